namespace Jiceng.E2E;

/// <summary>Steps every browser test repeats.</summary>
public static class Browser
{
    private static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Today in Asia/Shanghai, the date the app's business rules use (the machine's own date is
    /// the day before for eight hours of every day).</summary>
    public static DateOnly ChinaToday => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, China).DateTime);

    /// <summary>Signs in through the login form and waits for a signed-in page (staff layout or a party
    /// member's self-service page: both carry the sign-out button).</summary>
    public static async Task SignInAsync(IPage page, string userName, string password = JicengApp.DemoPassword)
    {
        await page.GotoAsync("/login");
        await page.Locator("#userName").FillAsync(userName);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#login-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#logout-button")).ToBeVisibleAsync();
    }

    /// <summary>Repeats an action until a condition holds: the interactive circuit takes over a
    /// prerendered page a moment after it appears, and an early click can be lost.</summary>
    public static async Task RetryUntilAsync(Func<Task> action, Func<Task<bool>> done, int attempts = 20)
    {
        for (var i = 0; i < attempts; i++)
        {
            await action();
            for (var j = 0; j < 10; j++)
            {
                if (await done()) return;
                await Task.Delay(100);
            }
        }
        (await done()).ShouldBeTrue("操作多次重试后仍未生效");
    }

    /// <summary>On failure: screenshot, DOM and the app's console output under artifacts/.</summary>
    public static async Task DumpAsync(JicengApp app, IPage page, string name)
    {
        await File.WriteAllTextAsync(Path.Combine(JicengApp.ArtifactsDirectory, name + ".log"), app.Log);
        try
        {
            await ScreenshotAsync(page, name + ".png");
            await File.WriteAllTextAsync(Path.Combine(JicengApp.ArtifactsDirectory, name + ".html"), await page.ContentAsync());
        }
        catch (PlaywrightException)
        {
            // The page may already be gone; the log is still worth having.
        }
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(JicengApp.ArtifactsDirectory, name), FullPage = true });
}
