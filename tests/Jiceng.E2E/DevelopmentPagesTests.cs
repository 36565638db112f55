using System.Text.RegularExpressions;

namespace Jiceng.E2E;

/// <summary>demo-community opens the 发展党员 board, picks an activist and records the next step (a half-yearly assessment).</summary>
[Collection(BrowserCollection.Name)]
public sealed class DevelopmentPagesTests(JicengApp app)
{
    [Fact]
    public async Task Community_worker_opens_the_board_and_records_an_activists_next_step()
    {
        var page = await app.NewPageAsync();
        try
        {
            await Browser.SignInAsync(page, "demo-community");
            await page.GotoAsync("/development");
            await Assertions.Expect(page.Locator("#dev-board")).ToBeVisibleAsync();
            var activistCard = page.Locator(".dev-stage-card[data-stage='Activist']");
            int.Parse(await activistCard.Locator(".dev-stage-count").InnerTextAsync()).ShouldBeGreaterThan(0);

            // Filter by the stage (once the circuit is up the click takes effect).
            await Browser.RetryUntilAsync(() => activistCard.ClickAsync(),
                async () => (await page.Locator("#dev-total").InnerTextAsync()).Contains("入党积极分子"));
            await Browser.ScreenshotAsync(page, "e2e-development-board.png");
            var first = page.Locator("a.dev-link").First;
            var name = await first.InnerTextAsync();
            await first.ClickAsync();
            await page.WaitForURLAsync(new Regex("/development/[0-9a-fA-F-]{36}$"));
            await Assertions.Expect(page.Locator("#dev-record h1")).ToHaveTextAsync(name);
            await Assertions.Expect(page.Locator("#dev-stage")).ToHaveTextAsync("入党积极分子");
            (await page.Locator(".dev-step").CountAsync()).ShouldBe(25);

            var assessment = page.Locator(".dev-step[data-step='6']");
            var before = await assessment.Locator(".dev-step-entry").CountAsync();
            await Browser.RetryUntilAsync(() => assessment.Locator("button.dev-do").ClickAsync(),
                async () => await page.Locator("#dev-step-form").IsVisibleAsync());
            await page.Locator("#s-actor").FillAsync("支部委员会");
            await page.Locator("#s-docs").FillAsync("入党积极分子考察登记表");
            await page.Locator("#dev-step-save").ClickAsync();
            await Assertions.Expect(page.Locator("#dev-message")).ToContainTextAsync("已记录：培养教育考察");
            await Assertions.Expect(assessment.Locator(".dev-step-entry")).ToHaveCountAsync(before + 1);
            await Assertions.Expect(assessment.Locator(".dev-step-entry").Last).ToContainTextAsync("入党积极分子考察登记表");
            await Browser.ScreenshotAsync(page, "e2e-development-record.png");
        }
        catch
        {
            await Browser.DumpAsync(app, page, "development");
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
