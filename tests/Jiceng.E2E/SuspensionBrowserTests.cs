using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Jiceng.E2E;

/// <summary>停止党籍 on the member record, as a community worker: a lost-contact date too recent is refused inline, the date the
/// form offers (the last recorded contact) is accepted, the member is restored, and the timeline and the history keep both
/// suspensions and both decisions.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SuspensionBrowserTests(JicengApp app)
{
    private static DateOnly Today => Browser.ChinaToday;

    /// <summary>A normal member of demo-community's scope, suspended eight months ago and restored seven months ago through
    /// the API, so the page has an earlier suspension and decision to show and a recorded contact (the restoration) to offer.</summary>
    private async Task<(Guid Id, DateOnly RestoredOn)> MemberWithAnEarlierSuspensionAsync(string token)
    {
        var (suspendedOn, restoredOn) = (Today.AddMonths(-8), Today.AddMonths(-7));
        using var list = await app.ApiAsync(HttpMethod.Get, "/api/v1/members?status=Normal&pageSize=100", token);
        var members = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray()
            .Where(m => DateOnly.Parse(m.GetProperty("joinedOn").GetString()!) < Today.AddYears(-1)).Select(m => m.GetProperty("id").GetGuid()).Reverse();
        foreach (var id in members)
        {
            using var suspend = await app.ApiAsync(HttpMethod.Post, $"/api/v1/members/{id}/suspend", token,
                new { lostContactSince = Today.AddMonths(-15), decidedOn = suspendedOn, reason = "外出务工失去联系（浏览器测试）" });
            if (suspend.StatusCode != HttpStatusCode.OK) continue; // e.g. a mobile registration with a later contact
            using var restore = await app.ApiAsync(HttpMethod.Post, $"/api/v1/members/{id}/restore", token,
                new { decidedOn = restoredOn, review = "本人返回，审查后恢复党籍（浏览器测试）" });
            restore.StatusCode.ShouldBe(HttpStatusCode.OK);
            return (id, restoredOn);
        }
        throw new InvalidOperationException("演示数据中没有可停止党籍的党员");
    }

    [Fact]
    public async Task Community_worker_suspends_a_member_is_refused_a_recent_date_then_restores_them()
    {
        var token = await app.TokenAsync("demo-community");
        var (memberId, restoredOn) = await MemberWithAnEarlierSuspensionAsync(token);
        var page = await app.NewPageAsync(1280, 900);
        try
        {
            await Browser.SignInAsync(page, "demo-community");
            await page.GotoAsync($"/members/{memberId}");
            await Browser.RetryUntilAsync(async () =>
            {
                var open = page.Locator("#member-suspend-open");
                if (await open.IsVisibleAsync()) await open.ClickAsync();
            }, () => page.Locator("#member-suspend-card").IsVisibleAsync());
            // The form starts from the latest contact on record: the restoration.
            await Assertions.Expect(page.Locator("#s-recorded-contact")).ToContainTextAsync($"恢复党籍的决定 记录的最近一次联系：{restoredOn:yyyy-MM-dd}");
            await Assertions.Expect(page.Locator("#s-lost")).ToHaveValueAsync(restoredOn.ToString("yyyy-MM-dd"));

            // Lost contact three months ago: refused inline, nothing changes.
            await page.Locator("#s-lost").FillAsync(Today.AddMonths(-3).ToString("yyyy-MM-dd"));
            await page.Locator("#s-on").FillAsync(Today.ToString("yyyy-MM-dd"));
            await page.Locator("#s-reason").FillAsync("再次失去联系，电话、走访均未联系上（浏览器测试）");
            await page.Locator("#member-suspend").ClickAsync();
            await Assertions.Expect(page.Locator("#member-suspend-card .invalid-feedback").First).ToContainTextAsync("失去联系须超过6个月才能停止党籍");
            await Assertions.Expect(page.Locator("#member-record .badge.bg-secondary")).ToHaveTextAsync("正常");
            await Browser.ScreenshotAsync(page, "e2e-suspension-refused.png");

            // From the restoration, more than six months: suspended.
            await page.Locator("#s-lost").FillAsync(restoredOn.ToString("yyyy-MM-dd"));
            await page.Locator("#member-suspend").ClickAsync();
            await Assertions.Expect(page.Locator("#member-record [role=status]")).ToHaveTextAsync("已停止党籍");
            await Assertions.Expect(page.Locator("#member-suspended-on")).ToContainTextAsync($"{Today:yyyy-MM-dd} 起（{Today.AddYears(2):yyyy-MM-dd} 满2年）");

            await page.Locator("#s-review").FillAsync("本人再次返回，支部大会审查同意恢复党籍（浏览器测试）");
            await page.Locator("#member-restore").ClickAsync();
            await Assertions.Expect(page.Locator("#member-record [role=status]")).ToHaveTextAsync("已恢复党籍");
            await Assertions.Expect(page.Locator("#member-record .badge.bg-secondary")).ToHaveTextAsync("正常");

            // Both suspensions and both decisions: in the history and in the timeline.
            await Assertions.Expect(page.Locator("#member-suspensions tbody tr")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#member-suspensions")).ToContainTextAsync("本人再次返回，支部大会审查同意恢复党籍（浏览器测试）");
            await Assertions.Expect(page.Locator("#member-suspensions")).ToContainTextAsync("本人返回，审查后恢复党籍（浏览器测试）");
            await Assertions.Expect(page.Locator("#member-timeline li[data-kind='member.suspend']")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#member-timeline li[data-kind='member.restore']")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#member-timeline")).ToContainTextAsync("再次失去联系，电话、走访均未联系上（浏览器测试）");
            await Browser.ScreenshotAsync(page, "e2e-suspension-restored.png");
        }
        catch
        {
            await Browser.DumpAsync(app, page, "e2e-suspension-failure");
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
