using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Jiceng.E2E;

/// <summary>
/// demo-community starts a transfer on the transfers page, the street committee approves it, the letter prints,
/// and a rejection without a reason is refused inline; the page also fits a phone-width screen.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TransferPagesTests(JicengApp app)
{
    private async Task<JsonElement> ApiAsync(string userName, HttpMethod method, string url, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await app.TokenAsync(userName));
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await app.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<IPage> SignInAsync(string userName, int width = 1366, int height = 768)
    {
        var page = await app.NewPageAsync(width, height);
        await Browser.SignInAsync(page, userName);
        return page;
    }

    [Fact]
    public async Task Community_worker_starts_a_transfer_the_street_approves_and_the_letter_prints()
    {
        // Two members of the community in different organizations: the first moves to the second's organization.
        var members = (await ApiAsync("demo-community", HttpMethod.Get, "/api/v1/members?pageSize=200")).GetProperty("items").EnumerateArray().ToList();
        var member = members.First(m => m.GetProperty("status").GetString() == "Normal");
        var memberOrg = member.GetProperty("organizationId").GetGuid();
        var target = members.First(m => m.GetProperty("organizationId").GetGuid() != memberOrg);
        var memberId = member.GetProperty("id").GetGuid();
        var memberName = member.GetProperty("name").GetString()!;

        var page = await SignInAsync("demo-community");
        try
        {
            // Arriving from a member record: the form opens with the member chosen.
            await page.GotoAsync($"/transfers?memberId={memberId}");
            await Assertions.Expect(page.Locator("#t-form")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#f-member")).ToHaveValueAsync(memberId.ToString());
            // Wait for the circuit before typing (the prerendered form does not react).
            await Browser.RetryUntilAsync(async () =>
            {
                await page.Locator("#f-to-search").FillAsync(target.GetProperty("organizationName").GetString()!);
                await page.Locator("#f-to-search").PressAsync("Tab");
            }, async () => await page.Locator($"#f-to option[value='{target.GetProperty("organizationId").GetGuid()}']").CountAsync() > 0);
            await page.Locator("#f-to").SelectOptionAsync(target.GetProperty("organizationId").GetGuid().ToString());
            await page.Locator("#f-reason").FillAsync("居住地变更");
            await page.Locator("#f-paid").FillAsync("2026-10");
            await page.Locator("#f-submit").ClickAsync();
            await Assertions.Expect(page.Locator("#t-message")).ToContainTextAsync($"已发起{memberName}的组织关系转接");
            var row = page.Locator("tr.transfer-row", new() { HasText = memberName }).First;
            await Assertions.Expect(row).ToContainTextAsync("待转出方党委审批");
            await Browser.ScreenshotAsync(page, "e2e-transfer-started.png");

            var transfer = (await ApiAsync("demo-community", HttpMethod.Get, $"/api/v1/transfers?memberId={memberId}")).GetProperty("items")[0];
            var id = transfer.GetProperty("id").GetGuid();

            // The street committee approves on its page: the letter is issued.
            var street = await SignInAsync("demo-street");
            try
            {
                await street.GotoAsync("/transfers");
                var streetRow = street.Locator($"tr.transfer-row[data-id='{id}']");
                await Browser.RetryUntilAsync(() => streetRow.Locator("button[data-action='reject']").ClickAsync(),
                    async () => await street.Locator(".t-panel").CountAsync() > 0);
                // A rejection needs a reason: refused inline, nothing changes.
                await street.Locator(".t-confirm").ClickAsync();
                await Assertions.Expect(street.Locator(".t-panel .invalid-feedback")).ToContainTextAsync("退回原因不能为空");
                await streetRow.Locator("button[data-action='approve']").ClickAsync();
                await street.Locator(".t-confirm").ClickAsync();
                await Assertions.Expect(street.Locator("#t-message")).ToContainTextAsync("待转入方审批");
                await streetRow.Locator(".t-steps").ClickAsync();
                await Assertions.Expect(street.Locator(".t-timeline")).ToContainTextAsync("转出方审批同意，开具介绍信");
                await Browser.ScreenshotAsync(street, "e2e-transfer-approved.png");
            }
            finally
            {
                await street.Context.CloseAsync();
            }

            var letterNumber = (await ApiAsync("demo-community", HttpMethod.Get, $"/api/v1/transfers/{id}")).GetProperty("letterNumber").GetString()!;
            await page.GotoAsync($"/transfers/{id}/letter");
            await Assertions.Expect(page.Locator("#transfer-letter h1")).ToHaveTextAsync("中国共产党党员组织关系介绍信");
            await Assertions.Expect(page.Locator("#letter-number")).ToHaveTextAsync(letterNumber);
            await Assertions.Expect(page.Locator("#letter-member")).ToHaveTextAsync(memberName);
            await Assertions.Expect(page.Locator("#letter-id")).ToHaveTextAsync(member.GetProperty("idNumberMasked").GetString()!);
            await Assertions.Expect(page.Locator("#letter-paid")).ToHaveTextAsync("2026年10月");
            await Browser.ScreenshotAsync(page, "e2e-transfer-letter.png");
            // Printing hides the application's chrome and the buttons.
            await page.EmulateMediaAsync(new() { Media = Media.Print });
            await Assertions.Expect(page.Locator(".jc-header")).ToBeHiddenAsync();
            await Assertions.Expect(page.Locator("#btn-print")).ToBeHiddenAsync();
            await Assertions.Expect(page.Locator("#transfer-letter")).ToBeVisibleAsync();
        }
        catch
        {
            await Browser.DumpAsync(app, page, "e2e-transfer-failure");
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_transfers_page_fits_a_phone_width_screen()
    {
        var page = await SignInAsync("demo-street", 390, 844);
        try
        {
            await page.GotoAsync("/transfers");
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("组织关系转接");
            await Browser.RetryUntilAsync(() => page.Locator("#t-new").ClickAsync(), () => page.Locator("#f-kind").IsVisibleAsync());
            (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390);
            await Browser.ScreenshotAsync(page, "e2e-transfer-phone.png");
        }
        catch
        {
            await Browser.DumpAsync(app, page, "e2e-transfer-phone-failure");
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }



}
