using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Jiceng.E2E;

/// <summary>A resident reports through the grid's QR link on a phone and follows the case; the street whistles it to a
/// department, which accepts and reports back; the resident sees the progress.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CaseBrowserTests(JicengApp app)
{
    private async Task<JsonElement> GetAsync(string userName, string url)
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.TokenAsync(userName));
        return await http.GetFromJsonAsync<JsonElement>(url);
    }

    [Fact]
    public async Task Resident_reports_by_QR_link_on_a_phone_the_street_whistles_and_the_department_reports_back()
    {
        var grids = await GetAsync("demo-street", "/api/v1/grids");
        var gridId = grids.EnumerateArray().First().GetProperty("id").GetGuid();
        var resident = await app.NewPageAsync(390, 844);
        IPage? staff = null;
        try
        {
            // The QR code opens the static form with the grid filled in; no account.
            // The shared machine can be slow: wait for the document, not for every resource.
            resident.SetDefaultTimeout(40_000);
            await resident.GotoAsync($"/m/report.html?grid={gridId}", new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Assertions.Expect(resident.Locator("#grid-name")).ToContainTextAsync("·");
            await Assertions.Expect(resident.Locator("#category option")).Not.ToHaveCountAsync(0);
            await resident.Locator("#category").SelectOptionAsync(new SelectOptionValue { Label = "占道经营" });
            var description = $"早市摊贩占用人行道（浏览器测试 {Guid.NewGuid():N}）"[..40];
            await resident.Locator("#description").FillAsync(description);
            await resident.Locator("#phone").FillAsync("13600001111");
            await resident.Locator("#submit").ClickAsync();
            await resident.WaitForURLAsync("**/m/track.html#*", new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Assertions.Expect(resident.Locator("#case-status")).ToHaveTextAsync("待响应");
            (await resident.Locator("#tracking-code").InnerTextAsync()).Trim().Length.ShouldBe(26);
            (await resident.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390);
            await Browser.ScreenshotAsync(resident, "e2e-case-resident-submitted-phone.png");
            var number = (await resident.Locator("#case-number").InnerTextAsync()).Trim();

            var list = await GetAsync("demo-street", "/api/v1/cases?pageSize=50");
            var caseId = list.GetProperty("items").EnumerateArray().First(c => c.GetProperty("number").GetString() == number).GetProperty("id").GetGuid();

            // 街道吹哨: demo-street accepts the case and whistles 城管执法中队 (demo-dept's department).
            staff = await app.NewPageAsync();
            await Browser.SignInAsync(staff, "demo-street");
            await staff.GotoAsync($"/cases/{caseId}");
            await Assertions.Expect(staff.Locator("#case-description")).ToHaveTextAsync(description);
            var status = staff.Locator("#case-status");
            await Browser.RetryUntilAsync(() => staff.Locator("#action-accept").ClickAsync(), async () => (await status.InnerTextAsync()) == "已响应");
            await staff.Locator("input.dept-choice[data-name='城管执法中队']").CheckAsync();
            await staff.Locator("#case-text").FillAsync("请城管到场处置");
            await staff.Locator("#action-whistle").ClickAsync();
            await Assertions.Expect(status).ToHaveTextAsync("部门处置中");
            await Assertions.Expect(staff.Locator("#dispatch-table")).ToContainTextAsync("城管执法中队");
            await Browser.ScreenshotAsync(staff, "e2e-case-street-whistled.png");
            await staff.Context.CloseAsync();

            // 部门报到: demo-dept finds it in the inbox, accepts and reports back.
            staff = await app.NewPageAsync();
            await Browser.SignInAsync(staff, "demo-dept");
            await staff.GotoAsync("/inbox");
            await Assertions.Expect(staff.Locator($"#case-table a[data-number='{number}']")).ToBeVisibleAsync();
            await staff.GotoAsync($"/cases/{caseId}");
            await Browser.RetryUntilAsync(() => staff.Locator("#action-department-accept").ClickAsync(), () => staff.Locator("#action-report").IsVisibleAsync());
            await staff.Locator("#case-text").FillAsync("已到场劝离摊贩，设置提示牌");
            await staff.Locator("#action-report").ClickAsync();
            await Assertions.Expect(staff.Locator("#dispatch-table")).ToContainTextAsync("已反馈");
            await Browser.ScreenshotAsync(staff, "e2e-case-department-reported.png");

            // The resident sees the progress on the phone.
            await resident.ReloadAsync(new PageReloadOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
            await Assertions.Expect(resident.Locator("#progress")).ToContainTextAsync("部门反馈");
            await Assertions.Expect(resident.Locator("#progress")).ToContainTextAsync("已到场劝离摊贩");
            await Browser.ScreenshotAsync(resident, "e2e-case-resident-progress-phone.png");
        }
        catch
        {
            await Browser.DumpAsync(app, resident, "e2e-case-failure-resident");
            if (staff is not null) await Browser.DumpAsync(app, staff, "e2e-case-failure-staff");
            throw;
        }
        finally
        {
            await resident.Context.CloseAsync();
            if (staff is not null) await staff.Context.CloseAsync();
        }
    }
}
