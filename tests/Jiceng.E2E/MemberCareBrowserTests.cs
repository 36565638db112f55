using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Jiceng.E2E;

/// <summary>
/// The party member's own page on a phone, and the community worker's member-care pages (流动党员,
/// 双报到, 积分, 政治生日, 更正申请) at desktop and phone width. Screenshots go to artifacts/.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MemberCareBrowserTests(JicengApp app)
{
    [Fact]
    public async Task Member_sees_own_masked_record_on_a_phone_and_requests_a_correction()
    {
        var page = await app.NewPageAsync(390, 844);
        try
        {
            await Browser.SignInAsync(page, "demo-member");
            await page.GotoAsync("/m/me");
            var record = page.Locator("#me-record");
            await Assertions.Expect(record).ToBeVisibleAsync();
            (await page.Locator("#me-id").InnerTextAsync()).ShouldMatch(@"^\d{6}\*{8}[\dX]{4}$");
            (await page.Locator("#me-phone").InnerTextAsync()).ShouldMatch(@"^\d{3}\*{4}\d{4}$");
            await Assertions.Expect(page.Locator("#me-points")).ToContainTextAsync("年度积分");
            (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390);

            var text = "我的入党日期应为2001年7月1日（浏览器测试）";
            var sent = page.GetByText("已提交，请等待党支部答复。");
            // Fill and send together: text typed before the page turns interactive is lost when the circuit attaches.
            await Browser.RetryUntilAsync(async () =>
            {
                await page.Locator("#me-correction").FillAsync(text);
                await page.Locator("#me-correction-send").ClickAsync();
            }, () => sent.IsVisibleAsync());
            await Assertions.Expect(page.Locator("#me-corrections")).ToContainTextAsync(text);
            await Browser.ScreenshotAsync(page, "e2e-member-self-service-phone.png");
        }
        catch
        {
            await Browser.DumpAsync(app, page, "e2e-member-self-service-failure");
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Community_worker_uses_the_member_care_pages_at_desktop_and_phone_width()
    {
        var (memberName, _) = await SeedAsync();
        foreach (var (width, height, suffix) in new[] { (1366, 768, "desktop"), (390, 844, "phone") })
        {
            var page = await app.NewPageAsync(width, height);
            try
            {
                await Browser.SignInAsync(page, "demo-community");
                foreach (var (path, marker, file) in new[]
                {
                    ("/mobile-members", "#mobile-table", "mobile"),
                    ("/points", "#totals-table", "points"),
                    ("/anniversaries", "#anniversary-table", "anniversaries"),
                    ("/dual-registrations", "#unit-table", "dual"),
                    ("/corrections", "#c-status", "corrections"),
                })
                {
                    await page.GotoAsync(path);
                    await Assertions.Expect(page.Locator("#focus-org")).ToBeVisibleAsync();
                    await Assertions.Expect(page.Locator(marker)).ToBeVisibleAsync();
                    if (path is "/mobile-members" or "/points") await Assertions.Expect(page.Locator(marker)).ToContainTextAsync(memberName);
                    (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(width, $"{path} 在 {width}px 宽度下横向溢出");
                    await Browser.ScreenshotAsync(page, $"e2e-care-{file}-{suffix}.png");
                }
                // Greeting cards for the anniversary list.
                await page.GotoAsync("/anniversaries");
                await Assertions.Expect(page.Locator("#anniversary-table")).ToBeVisibleAsync();
                await Browser.RetryUntilAsync(() => page.Locator("#show-cards").ClickAsync(), () => page.Locator("#greeting-cards").IsVisibleAsync());
                await Assertions.Expect(page.Locator("#greeting-cards")).ToContainTextAsync("政治生日快乐");
                await Browser.ScreenshotAsync(page, $"e2e-care-cards-{suffix}.png");
            }
            catch
            {
                await Browser.DumpAsync(app, page, $"e2e-care-{suffix}-failure");
                throw;
            }
            finally
            {
                await page.Context.CloseAsync();
            }
        }
    }

    /// <summary>Through the API as demo-community: one mobile member, a point item, a record and a unit.</summary>
    private async Task<(string MemberName, Guid MemberId)> SeedAsync()
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.TokenAsync("demo-community"));
        var community = (await app.TreeAsync("demo-community")).ShouldHaveSingleItem();
        var members = await http.GetFromJsonAsync<JsonElement>($"/api/v1/members?orgId={community.Id}&status=Normal&pageSize=1");
        var member = members.GetProperty("items")[0];
        var memberId = member.GetProperty("id").GetGuid();
        var name = member.GetProperty("name").GetString()!;
        var today = Browser.ChinaToday.ToString("yyyy-MM-dd");
        await PostAsync(http, "/api/v1/mobile-members", new { memberId, location = "广东省深圳市南山区", since = today, contactPerson = "王书记" });
        var item = await PostAsync(http, "/api/v1/points/items", new { organizationId = community.Id, name = "志愿服务", points = 2 });
        await PostAsync(http, "/api/v1/points/records", new { memberId, pointItemId = item.GetProperty("id").GetGuid(), date = today, evidence = "社区环境整治志愿服务2小时" });
        await PostAsync(http, "/api/v1/unit-registrations", new
        {
            communityId = community.Id, unitName = "云湖区税务局机关党支部", contactPerson = "赵主任", contactPhone = "13812345678", resourcesOffered = "政策宣讲、志愿者10名",
        });
        return (name, memberId);
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string url, object body)
    {
        using var response = await http.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(201, $"{url}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }




}
