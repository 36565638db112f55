using System.Text.RegularExpressions;

namespace Jiceng.E2E;

/// <summary>A community worker finds a member by pinyin initials and opens the record.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MemberTests(JicengApp app)
{
    [Fact]
    public async Task Community_worker_finds_a_member_by_pinyin_initials_and_opens_the_record()
    {
        var token = await app.TokenAsync("demo-community");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/members?pageSize=1");
        request.Headers.Authorization = new("Bearer", token);
        var first = System.Text.Json.JsonDocument.Parse(await (await app.Http.SendAsync(request)).Content.ReadAsStringAsync())
            .RootElement.GetProperty("items")[0];
        var name = first.GetProperty("name").GetString()!;

        var page = await app.NewPageAsync();
        try
        {
            await Browser.SignInAsync(page, "demo-community");
            await page.GotoAsync("/members");
            await Assertions.Expect(page.Locator("#member-total")).ToBeVisibleAsync();

            // Type the initials of the name: the list narrows to names with those initials.
            var initials = Jiceng.Domain.Members.PinyinInitials.Of(name);
            var search = page.Locator("#m-q");
            var link = page.Locator("a.member-link", new() { HasTextString = name });
            bool Matches(string n) => Jiceng.Domain.Members.PinyinInitials.Of(n).StartsWith(initials);
            await Browser.RetryUntilAsync(async () => { await search.FillAsync(""); await search.PressSequentiallyAsync(initials); },
                async () => await link.First.IsVisibleAsync() && (await page.Locator("a.member-link").AllInnerTextsAsync()).All(Matches));
            (await page.Locator("a.member-link").AllInnerTextsAsync()).All(Matches).ShouldBeTrue();
            await Browser.ScreenshotAsync(page, "e2e-member-search.png");

            await link.First.ClickAsync();
            await page.WaitForURLAsync(new Regex("/members/[0-9a-fA-F-]{36}$"));
            await Assertions.Expect(page.Locator("#member-record h1")).ToHaveTextAsync(name);
            (await page.Locator("#member-id-number").InnerTextAsync()).ShouldMatch(@"^\d{6}\*{8}[\dX]{4}$");
            await Browser.ScreenshotAsync(page, "e2e-member-record.png");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

}
