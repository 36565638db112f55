using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Jiceng.E2E;

/// <summary>demo-community records a 支部党员大会 with attendance for the quarter its demo branch missed, and sees the alert go.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OrgLifeBrowserTests(JicengApp app)
{
    [Fact]
    public async Task Community_worker_records_a_branch_assembly_with_attendance_and_the_alert_disappears()
    {
        // The demo branch that missed last quarter's assembly, found through the API as demo-community sees it.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/alerts?pageSize=200");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await app.TokenAsync("demo-community"));
        using var response = await app.Http.SendAsync(request);
        var alerts = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().ToList();
        var missed = alerts.First(a => a.GetProperty("ruleCode").GetString() == "life.missed-activity" && a.GetProperty("message").GetString()!.Contains("支部党员大会"));
        var branch = missed.GetProperty("organizationId").GetGuid();
        var today = Browser.ChinaToday;
        var quarterStart = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1);
        var day = quarterStart.AddMonths(-2).AddDays(14); // mid-month in the middle of last quarter

        var page = await app.NewPageAsync();
        try
        {
            await Browser.SignInAsync(page, "demo-community");
            await page.GotoAsync($"/activities?org={branch}");
            await Assertions.Expect(page.Locator("#life-alerts")).ToContainTextAsync("支部党员大会");
            await Assertions.Expect(page.Locator("#a-roster")).ToBeVisibleAsync();
            await Browser.ScreenshotAsync(page, "e2e-orglife-before.png");

            // The form is live once choosing 党课 shows the lecturer field (the prerendered page ignores input).
            await Browser.RetryUntilAsync(() => page.Locator("#a-kind").SelectOptionAsync("PartyLesson"), () => page.Locator("#a-lecturer").IsVisibleAsync());
            await page.Locator("#a-kind").SelectOptionAsync("BranchAssembly");
            await Assertions.Expect(page.Locator("#a-lecturer")).ToBeHiddenAsync();
            await page.Locator("#a-date").FillAsync(day.ToString("yyyy-MM-dd"));
            await page.Locator("#a-place").FillAsync("社区党群服务中心");
            await page.Locator("#a-topic").FillAsync("研究季度工作安排（浏览器测试）");
            await page.Locator("#a-host").FillAsync("支部书记");
            await page.Locator("#att-0").SelectOptionAsync("Excused");
            await Assertions.Expect(page.Locator("#att-reason-0")).ToBeEnabledAsync();
            await page.Locator("#att-reason-0").FillAsync("出差");
            if (await page.Locator("#att-1").CountAsync() > 0) await page.Locator("#att-1").SelectOptionAsync("Absent");
            await Browser.RetryUntilAsync(() => page.Locator("#a-save").ClickAsync(), () => page.Locator("#a-saved").IsVisibleAsync());
            await Assertions.Expect(page.Locator("#a-saved")).ToContainTextAsync("支部党员大会");
            await Assertions.Expect(page.Locator("#life-alerts")).Not.ToContainTextAsync("支部党员大会");
            await Assertions.Expect(page.Locator("#activity-table")).ToContainTextAsync("研究季度工作安排（浏览器测试）");
            await Browser.ScreenshotAsync(page, "e2e-orglife-after.png");

            await page.GotoAsync($"/activities/calendar?org={branch}");
            await Assertions.Expect(page.Locator("#calendar-table")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#hours-table")).ToBeVisibleAsync();
            await Browser.ScreenshotAsync(page, "e2e-orglife-calendar.png");
        }
        catch
        {
            await Browser.DumpAsync(app, page, "e2e-orglife-failure");
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Member_sees_attended_activities_and_next_due_on_a_phone()
    {
        var page = await app.NewPageAsync(390, 844);
        try
        {
            await Browser.SignInAsync(page, "demo-member");
            await page.GotoAsync("/m/me");
            await Assertions.Expect(page.Locator("#me-life")).ToContainTextAsync("学时");
            await Assertions.Expect(page.Locator("#me-life")).ToContainTextAsync("本年参加的活动");
            (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390);
            await Browser.ScreenshotAsync(page, "e2e-orglife-member-phone.png");
        }
        catch
        {
            await Browser.DumpAsync(app, page, "e2e-orglife-member-failure");
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
