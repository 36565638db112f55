using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Jiceng.E2E;

/// <summary>The dues refund control on the member record (with the timeline that follows it) and the activity
/// attachment upload control on /activities, driven as a community worker would.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CorrectionsBrowserTests(JicengApp app)
{
    /// <summary>A demo member in demo-community's scope with a dues base, and a cash payment of one month recorded now
    /// through the API (so it is the member's latest payment, the one a refund may take back).</summary>
    private async Task<(Guid MemberId, string? PaidThroughBefore, string Month)> MemberWithFreshPaymentAsync(string token)
    {
        using var list = await app.ApiAsync(HttpMethod.Get, "/api/v1/members?status=Normal&pageSize=100", token);
        var members = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()).ToList();
        foreach (var id in members)
        {
            using var dues = await app.ApiAsync(HttpMethod.Get, $"/api/v1/members/{id}/dues", token);
            var d = await dues.Content.ReadFromJsonAsync<JsonElement>();
            if (d.GetProperty("currentBase").ValueKind == JsonValueKind.Null || d.GetProperty("pendingOnline").ValueKind != JsonValueKind.Null) continue;
            var before = d.GetProperty("paidThrough").ValueKind == JsonValueKind.Null ? null : d.GetProperty("paidThrough").GetString();
            using var pay = await app.ApiAsync(HttpMethod.Post, "/api/v1/dues/payments", token, new { memberId = id, months = 1, method = "Cash" });
            if (pay.StatusCode != HttpStatusCode.Created) continue;
            var p = await pay.Content.ReadFromJsonAsync<JsonElement>();
            return (id, before, p.GetProperty("fromMonth").GetString()!);
        }
        throw new InvalidOperationException("演示数据中没有可交纳党费的党员");
    }

    [Fact]
    public async Task Community_worker_refunds_a_payment_from_the_member_record_and_the_timeline_shows_it()
    {
        var token = await app.TokenAsync("demo-community");
        var (memberId, before, month) = await MemberWithFreshPaymentAsync(token);
        var page = await app.NewPageAsync(1280, 900);
        try
        {
            await Browser.SignInAsync(page, "demo-community");
            await page.GotoAsync($"/members/{memberId}");
            await Assertions.Expect(page.Locator("#dues-paid-through")).ToHaveTextAsync(month);
            await Assertions.Expect(page.Locator("#member-timeline")).ToContainTextAsync($"交纳党费：{DateOnly.ParseExact(month + "-01", "yyyy-MM-dd"):yyyy年M月}");

            // The newest payment is listed first; its 退还 opens the form under it (the details open with it).
            // Opening is idempotent (the details' open attribute, not a toggle by clicking the summary, which an early or
            // repeated click would close again), and the button is waited for: it appears once the circuit has the auth state.
            var refund = page.Locator("#member-dues .dues-refund").First;
            await Browser.RetryUntilAsync(async () =>
            {
                // A re-render sets the details back to closed until a form is open (open="@(_correcting is not null)").
                await page.Locator("#member-dues details").First.EvaluateAsync("d => d.open = true");
                try
                {
                    if (await refund.IsVisibleAsync()) await refund.ClickAsync(new() { Timeout = 2000 });
                }
                catch (TimeoutException) { } // closed again by a re-render before the click: the next attempt opens it

            }, () => page.Locator("#correction-save").IsVisibleAsync());

            // Without reason and approver nothing is refunded and the fields say why.
            await page.Locator("#correction-save").ClickAsync();
            await Assertions.Expect(page.Locator("#member-dues")).ToContainTextAsync("退还原因不能为空");
            await Assertions.Expect(page.Locator("#dues-paid-through")).ToHaveTextAsync(month);

            await page.Locator("#refund-months").FillAsync("1");
            await page.Locator("#refund-by").FillAsync("支部委员会");
            await page.Locator("#correction-reason").FillAsync("重复交纳（浏览器测试）");
            await page.Locator("#correction-save").ClickAsync();
            await Assertions.Expect(page.Locator("#member-dues [role=status]")).ToHaveTextAsync($"已退还，党费交至 {before ?? "—"}");
            await Assertions.Expect(page.Locator("#dues-paid-through")).ToHaveTextAsync(before ?? "—");
            await Assertions.Expect(page.Locator("#member-dues")).ToContainTextAsync("重复交纳（浏览器测试）（支部委员会 批准");
            await Browser.ScreenshotAsync(page, "e2e-dues-refund.png");

            // The timeline is assembled from the records: the refund is in it after a reload.
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("#member-timeline")).ToContainTextAsync("退还党费");
            await Assertions.Expect(page.Locator("#member-timeline")).ToContainTextAsync("支部委员会批准；重复交纳（浏览器测试）");
            await Browser.ScreenshotAsync(page, "e2e-member-timeline.png");
        }
        catch
        {
            await Browser.DumpAsync(app, page, "e2e-dues-refund-failure");
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    // A 1×1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Fact]
    public async Task Community_worker_uploads_an_activity_attachment_and_a_renamed_file_is_refused()
    {
        var token = await app.TokenAsync("demo-community");
        using var list = await app.ApiAsync(HttpMethod.Get, "/api/v1/activities?pageSize=1", token);
        var activity = (await list.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().First();
        var org = activity.GetProperty("organizationId").GetGuid();
        var page = await app.NewPageAsync(1280, 900);
        try
        {
            await Browser.SignInAsync(page, "demo-community");
            await page.GotoAsync($"/activities?org={org}");
            await Assertions.Expect(page.Locator("#activity-table")).ToBeVisibleAsync();
            await Browser.RetryUntilAsync(() => page.Locator("#activity-table .activity-attachments").First.ClickAsync(),
                () => page.Locator("#activity-attachments-panel").IsVisibleAsync());
            var panel = page.Locator("#activity-attachments-panel");
            await Assertions.Expect(panel).ToContainTextAsync("暂无附件");

            // A text file named .pdf: refused by its content, nothing stored.
            await page.Locator("#attachment-file").SetInputFilesAsync(new FilePayload { Name = "会议纪要.pdf", MimeType = "application/pdf", Buffer = "不是PDF文件"u8.ToArray() });
            await Assertions.Expect(page.Locator("#attachment-error")).ToHaveTextAsync("附件须为JPEG、PNG、WebP图片或PDF文件");
            await Assertions.Expect(panel).ToContainTextAsync("暂无附件");

            await page.Locator("#attachment-file").SetInputFilesAsync(new FilePayload { Name = "会议照片.png", MimeType = "image/png", Buffer = Png });
            var link = panel.GetByRole(AriaRole.Link, new() { Name = "会议照片.png" });
            await Assertions.Expect(link).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#attachment-error")).ToHaveCountAsync(0);
            await Browser.ScreenshotAsync(page, "e2e-activity-attachment.png");

            // The link downloads the stored file (the page's own cookie session, audited by the server).
            var href = await link.GetAttributeAsync("href");
            var download = await page.Context.APIRequest.GetAsync(href!);
            download.Status.ShouldBe(200);
            (await download.BodyAsync()).ShouldBe(Png);
        }
        catch
        {
            await Browser.DumpAsync(app, page, "e2e-activity-attachment-failure");
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
