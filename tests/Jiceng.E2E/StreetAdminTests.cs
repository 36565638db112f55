using System.Text.RegularExpressions;

namespace Jiceng.E2E;

/// <summary>
/// A street administrator signs in, sees only the own street in the organization tree, opens an
/// organization and signs out. Screenshots go to artifacts/ at the repository root.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class StreetAdminTests(JicengApp app)
{
    private const string StreetUser = "demo-street";

    [Fact]
    public async Task Street_admin_sees_only_own_street_opens_an_organization_and_signs_out()
    {
        // Expected data from the API: the district's five streets, and demo-street's own street with its communities.
        var district = (await app.TreeAsync("demo-district")).ShouldHaveSingleItem();
        var streets = district.ChildNodes.Where(s => s.Kind == "StreetWorkingCommittee").Select(s => s.Name).ToList();
        streets.Count.ShouldBe(5);
        var street = (await app.TreeAsync(StreetUser)).ShouldHaveSingleItem();
        streets.ShouldContain(street.Name);
        street.Name.ShouldEndWith("街道党工委");
        // The other streets, and the district's other direct children (e.g. its agency committee), are out of scope.
        var outOfScope = district.ChildNodes.Select(s => s.Name).Where(n => n != street.Name).Append(district.Name).ToList();
        var community = street.ChildNodes.FirstOrDefault(c => Regex.IsMatch(c.Name, "(社区党委|社区党总支)$"));
        community.ShouldNotBeNull("演示街道下应有社区党组织");

        var page = await app.NewPageAsync();
        try
        {
            // Sign in.
            await page.GotoAsync("/login");
            await page.Locator("#userName").FillAsync(StreetUser);
            await page.Locator("#password").FillAsync(JicengApp.DemoPassword);
            await page.Locator("#login-submit").ClickAsync();
            await page.WaitForURLAsync(new Regex("^" + Regex.Escape(app.BaseAddress.ToString()) + "$"));
            (await page.Locator("#current-user").InnerTextAsync()).Trim().ShouldNotBeNullOrEmpty();

            // The tree shows the own street, expanded to its communities, and none of the other streets.
            var tree = page.Locator("#org-tree");
            await Assertions.Expect(tree.GetByText(street.Name, new() { Exact = true })).ToBeVisibleAsync();
            await Assertions.Expect(tree.GetByText(community.Name, new() { Exact = true })).ToBeVisibleAsync();
            var treeText = await tree.InnerTextAsync();
            foreach (var child in street.ChildNodes) treeText.ShouldContain(child.Name);
            foreach (var other in outOfScope) treeText.ShouldNotContain(other);
            await AssertStyledAsync(page);
            await Browser.ScreenshotAsync(page, "e2e-street-tree.png");

            // Click a community in the tree: it becomes the organization in focus. The click is retried until
            // the interactive circuit has taken over the prerendered tree.
            var node = tree.GetByText(community.Name, new() { Exact = true });
            var focus = page.Locator("#focus-org");
            await Browser.RetryUntilAsync(() => node.ClickAsync(), async () => (await TextOrEmptyAsync(focus)).Contains(community.Name));
            (await focus.InnerTextAsync()).ShouldContain($"当前组织：{community.Name}");

            // The organization page shows the organization in focus and lists its children; follow the first link.
            await page.Locator(".jc-side nav a[href='/orgs'], .jc-side nav a[href='orgs']").ClickAsync();
            await page.WaitForURLAsync(new Regex("/orgs(/[0-9a-fA-F-]{36})?$"));
            await Assertions.Expect(page.Locator("#org-detail h1")).ToContainTextAsync(community.Name);
            var link = page.Locator("a.org-link").First;
            await Assertions.Expect(link).ToBeVisibleAsync();
            var childName = (await link.InnerTextAsync()).Trim();
            childName.ShouldNotBeNullOrEmpty();
            await link.ClickAsync();
            await page.WaitForURLAsync(new Regex("/orgs/[0-9a-fA-F-]{36}$"));
            await Assertions.Expect(page.Locator("#org-detail h1")).ToContainTextAsync(childName);

            // Open the community itself by address.
            await page.GotoAsync($"/orgs/{community.Id}");
            await Assertions.Expect(page.Locator("#org-detail h1")).ToContainTextAsync(community.Name);
            await Browser.ScreenshotAsync(page, "e2e-org-detail.png");

            // Sign out: back on the sign-in page, and the app is closed again.
            await page.Locator("#logout-button").ClickAsync();
            await page.WaitForURLAsync(new Regex(@"/login\?loggedOut=1$"));
            await Assertions.Expect(page.GetByText("您已安全退出")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#login-submit")).ToBeVisibleAsync();
            await Browser.ScreenshotAsync(page, "e2e-signed-out.png");
            await page.GotoAsync("/");
            await page.WaitForURLAsync(new Regex("/login"));
            await Assertions.Expect(page.Locator("#userName")).ToBeVisibleAsync();
        }
        catch
        {
            await Browser.DumpAsync(app, page, "e2e-street-failure");
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Wrong_password_shows_a_chinese_error()
    {
        var page = await app.NewPageAsync();
        try
        {
            await page.GotoAsync("/login");
            await page.Locator("#userName").FillAsync("demo-community");
            await page.Locator("#password").FillAsync("wrong-password");
            await page.Locator("#login-submit").ClickAsync();
            var error = page.Locator("#login-error");
            await Assertions.Expect(error).ToBeVisibleAsync();
            var text = (await error.InnerTextAsync()).Trim();
            text.ShouldContain("用户名或密码错误");
            text.ShouldMatch(@"\p{IsCJKUnifiedIdeographs}");
            page.Url.ShouldContain("/login");
            await Assertions.Expect(page.Locator("#current-user")).ToHaveCountAsync(0);
            await Browser.ScreenshotAsync(page, "e2e-login-error.png");
        }
        catch
        {
            await Browser.DumpAsync(app, page, "e2e-login-failure");
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Grid_worker_uses_the_tree_on_a_phone_width_screen()
    {
        var grid = (await app.TreeAsync("demo-grid")).ShouldHaveSingleItem();
        var page = await app.NewPageAsync(390, 844);
        try
        {
            await Browser.SignInAsync(page, "demo-grid");
            // On a phone the tree starts folded away behind a toggle so the page content comes first.
            var tree = page.Locator("#org-tree");
            await Assertions.Expect(tree).ToBeHiddenAsync();
            var toggle = page.Locator(".jc-tree-toggle");
            await Browser.RetryUntilAsync(() => toggle.ClickAsync(), () => tree.IsVisibleAsync());
            await Assertions.Expect(tree.GetByText(grid.Name, new() { Exact = true })).ToBeVisibleAsync();
            // Nothing overflows sideways.
            (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390);
            await Browser.ScreenshotAsync(page, "e2e-phone-tree.png");
        }
        catch
        {
            await Browser.DumpAsync(app, page, "e2e-phone-failure");
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }


    private static async Task<string> TextOrEmptyAsync(ILocator locator) =>
        await locator.CountAsync() > 0 ? await locator.First.InnerTextAsync() : "";

    /// <summary>The stylesheets loaded: BootstrapBlazor's bundle and the app's header colour.</summary>
    private static async Task AssertStyledAsync(IPage page)
    {
        // Retrying assertion: the circuit may swap the prerendered header while it is read.
        await Assertions.Expect(page.Locator(".jc-header")).ToHaveCSSAsync("background-color", "rgb(183, 28, 28)");
        var bootstrapLoaded = await page.EvaluateAsync<bool>(
            "() => [...document.styleSheets].some(s => (s.href || '').includes('bootstrap.blazor.bundle'))");
        bootstrapLoaded.ShouldBeTrue();
    }


}
