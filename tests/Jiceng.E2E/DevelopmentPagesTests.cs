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

    /// <summary>demo-community corrects a recorded step of a development candidate (the original stays, marked as corrected),
    /// then the branch committee cancels the candidate's qualification: the record shows the closure and no step can be
    /// recorded. (A candidate, so the other test's activist is left alone.)</summary>
    [Fact]
    public async Task Community_worker_corrects_a_step_and_cancels_a_candidates_qualification()
    {
        var page = await app.NewPageAsync();
        try
        {
            await Browser.SignInAsync(page, "demo-community");
            await page.GotoAsync("/development");
            await Assertions.Expect(page.Locator("#dev-board")).ToBeVisibleAsync();
            var candidateCard = page.Locator(".dev-stage-card[data-stage='Candidate']");
            await Browser.RetryUntilAsync(() => candidateCard.ClickAsync(),
                async () => (await page.Locator("#dev-total").InnerTextAsync()).Contains("发展对象"));
            var link = page.Locator("a.dev-link").First;
            var name = await link.InnerTextAsync();
            await link.ClickAsync();
            await page.WaitForURLAsync(new Regex("/development/[0-9a-fA-F-]{36}$"));
            await Assertions.Expect(page.Locator("#dev-record h1")).ToHaveTextAsync(name);
            await Assertions.Expect(page.Locator("#dev-stage")).ToHaveTextAsync("发展对象");

            // Correct the activist determination (step 3): the actor was recorded wrongly.
            var determination = page.Locator(".dev-step[data-step='3']");
            await Browser.RetryUntilAsync(() => determination.Locator("button.dev-correct").First.ClickAsync(),
                async () => await page.Locator("#dev-correct-form").IsVisibleAsync());
            await page.Locator("#x-actor").FillAsync("第一网格党支部委员会");
            await page.Locator("#dev-correct-save").ClickAsync();
            await Assertions.Expect(page.Locator("#dev-correct-errors")).ToContainTextAsync("更正原因");
            await page.Locator("#x-reason").FillAsync("决定机构录入错误，以支委会会议记录为准");
            await page.Locator("#dev-correct-save").ClickAsync();
            await Assertions.Expect(page.Locator("#dev-message")).ToContainTextAsync("已更正：推荐和确定入党积极分子");
            await Assertions.Expect(determination.Locator(".dev-step-entry.dev-corrected")).ToHaveCountAsync(1);
            await Assertions.Expect(determination.Locator(".dev-step-entry", new() { HasText = "更正原因：决定机构录入错误" })).ToHaveCountAsync(1);
            await Assertions.Expect(determination).ToHaveAttributeAsync("data-state", "done");

            // Cancel the qualification by the branch committee's decision.
            await page.Locator("#dev-close-open").ClickAsync();
            await Assertions.Expect(page.Locator("#dev-close-form")).ToBeVisibleAsync();
            await page.Locator("#c-kind").SelectOptionAsync("Termination");
            await page.Locator("#c-actor").FillAsync("第一网格党支部委员会");
            await page.Locator("#c-reason").FillAsync("考察期间表现不符合发展对象条件");
            await page.Locator("#dev-close-save").ClickAsync();
            await Assertions.Expect(page.Locator("#dev-closure")).ToContainTextAsync("发展程序已终止：取消入党积极分子/发展对象资格");
            await Assertions.Expect(page.Locator("#dev-closure")).ToContainTextAsync("考察期间表现不符合发展对象条件");
            await Assertions.Expect(page.Locator("#dev-record")).Not.ToContainTextAsync("办理中");
            (await page.Locator("button.dev-do").CountAsync()).ShouldBe(0);
            (await page.Locator("#dev-close-open").CountAsync()).ShouldBe(0);
            await Browser.ScreenshotAsync(page, "e2e-development-closure.png");
        }
        catch
        {
            await Browser.DumpAsync(app, page, "development-closure");
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
