using System.Text.RegularExpressions;

namespace Jiceng.E2E;

/// <summary>Dues in the browser: the party member's dues on a phone (and an online payment through the
/// fake provider), and the branch ledger for staff. Screenshots go to artifacts/.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DuesBrowserTests(JicengApp app)
{
    [Fact]
    public async Task Member_sees_the_dues_amount_on_a_phone_and_pays_online()
    {
        var page = await app.NewPageAsync(390, 844);
        try
        {
            await Browser.SignInAsync(page, "demo-member");
            await page.GotoAsync("/m/me");
            var dues = page.Locator("#me-dues");
            await Assertions.Expect(dues).ToBeVisibleAsync();
            (await page.Locator("#me-dues-amount").InnerTextAsync()).ShouldMatch(@"^\d+\.\d{2} 元$");
            var before = await page.Locator("#me-dues-paid-through").InnerTextAsync();
            before.ShouldMatch(@"^\d{4}-\d{2}$");
            (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390);
            await Browser.ScreenshotAsync(page, "e2e-member-dues-phone.png");

            await Browser.RetryUntilAsync(() => page.Locator("#me-dues-pay").ClickAsync(), async () => page.Url.Contains("/dues/fake-pay/"));
            await Assertions.Expect(page.Locator("#fake-pay-amount")).ToHaveTextAsync(new Regex(@"^\d+\.\d{2} 元$"));
            await Browser.ScreenshotAsync(page, "e2e-member-dues-fake-pay-phone.png");
            await Browser.RetryUntilAsync(() => page.Locator("#fake-pay-confirm").ClickAsync(), async () => page.Url.EndsWith("/m/me"));
            var paidThrough = page.Locator("#me-dues-paid-through");
            await Assertions.Expect(paidThrough).Not.ToHaveTextAsync(before);
            var expected = DateOnly.ParseExact(before + "-01", "yyyy-MM-dd").AddMonths(1).ToString("yyyy-MM");
            await Assertions.Expect(paidThrough).ToHaveTextAsync(expected);
        }
        catch
        {
            await Browser.DumpAsync(app, page, "e2e-member-dues-failure");
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Community_worker_sees_the_monthly_ledger_with_names()
    {
        var page = await app.NewPageAsync(1280, 900);
        try
        {
            await Browser.SignInAsync(page, "demo-community");
            await page.GotoAsync("/dues");
            // Clicking the community in the tree puts it in focus; the ledger follows.
            var community = (await app.TreeAsync("demo-community")).ShouldHaveSingleItem();
            var node = page.Locator("#org-tree").GetByText(community.Name, new() { Exact = true });
            await Browser.RetryUntilAsync(() => node.ClickAsync(), () => page.Locator("#ledger-totals").IsVisibleAsync());
            (await page.Locator("#ledger-due").InnerTextAsync()).ShouldMatch(@"^\d+\.\d{2} 元$");
            await Assertions.Expect(page.Locator("#ledger-members tbody tr").First).ToBeVisibleAsync();
            await Browser.ScreenshotAsync(page, "e2e-dues-ledger.png");
        }
        catch
        {
            await Browser.DumpAsync(app, page, "e2e-dues-ledger-failure");
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
