using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MiniExcelLibs;

namespace Jiceng.E2E;

/// <summary>A community worker imports households from Excel on the grid page (a bad file shows its errors and writes
/// nothing; the corrected file imports), then registers a resident's phone call on the hotline page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HouseholdHotlineBrowserTests(JicengApp app)
{
    private async Task<JsonElement> GetAsync(string userName, string url)
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.TokenAsync(userName));
        return await http.GetFromJsonAsync<JsonElement>(url);
    }

    private static string Workbook(IEnumerable<Dictionary<string, object?>> rows)
    {
        var path = Path.Combine(JicengApp.ArtifactsDirectory, $"e2e-households-{Guid.NewGuid():N}.xlsx");
        MiniExcel.SaveAs(path, rows.ToList(), sheetName: "民情台账");
        return path;
    }

    private static Dictionary<string, object?> Row(string grid, string address, string tags, string? worker) => new()
    {
        ["网格"] = grid, ["楼栋"] = "8号楼", ["住址"] = address, ["家庭成员"] = "周浏览/户主/13500001111", ["标签"] = tags, ["联系网格员"] = worker,
    };

    [Fact]
    public async Task Community_imports_households_on_the_grid_page_and_registers_a_hotline_call()
    {
        var grids = await GetAsync("demo-community", "/api/v1/grids");
        var names = grids.EnumerateArray().Select(g => g.GetProperty("name").GetString()).ToList();
        var grid = grids.EnumerateArray().First(g => names.Count(n => n == g.GetProperty("name").GetString()) == 1);
        var (gridId, gridName) = (grid.GetProperty("id").GetGuid(), grid.GetProperty("name").GetString()!);
        var worker = (await GetAsync("demo-community", $"/api/v1/grids/{gridId}")).GetProperty("staff").EnumerateArray()
            .First(s => s.GetProperty("kind").GetString() != "HouseholdLead").GetProperty("name").GetString();
        var tag = Guid.NewGuid().ToString("N")[..6];
        var (first, second) = ($"浏览器路{tag}号", $"浏览器路{tag}号附1");

        var page = await app.NewPageAsync();
        try
        {
            page.SetDefaultTimeout(40_000);
            await Browser.SignInAsync(page, "demo-community");
            await page.GotoAsync("/grids");
            await Assertions.Expect(page.Locator("#household-template-link")).ToBeVisibleAsync();

            // A bad file: an unknown tag. The errors are listed by row and column, nothing is imported.
            var bad = Workbook([Row(gridName, first, "独居老人", worker), Row(gridName, second, "土豪", worker)]);
            await Browser.RetryUntilAsync(() => page.Locator("#import-file").SetInputFilesAsync(bad), () => page.Locator("#import-button").IsEnabledAsync());
            await page.Locator("#import-button").ClickAsync();
            await Assertions.Expect(page.Locator("#import-errors")).ToBeVisibleAsync();
            var errorRow = page.Locator("#import-error-table tbody tr").First;
            await Assertions.Expect(errorRow).ToContainTextAsync("3");
            await Assertions.Expect(errorRow).ToContainTextAsync("标签");
            await Assertions.Expect(errorRow).ToContainTextAsync("标签“土豪”不在标签清单中");
            await Assertions.Expect(page.Locator("#error-sheet-link")).ToHaveAttributeAsync("download", "住户导入错误清单.xlsx");
            await Browser.ScreenshotAsync(page, "e2e-household-import-errors.png");
            (await GetAsync("demo-community", $"/api/v1/households?gridId={gridId}&q={Uri.EscapeDataString(tag)}")).GetProperty("total").GetInt32().ShouldBe(0);

            // Corrected, the file imports; the households are on the grid's ledger page.
            var good = Workbook([Row(gridName, first, "独居老人", worker), Row(gridName, second, "困难家庭、残疾", worker)]);
            await page.Locator("#import-file").SetInputFilesAsync(good);
            await page.Locator("#import-button").ClickAsync();
            await Assertions.Expect(page.Locator("#import-success")).ToHaveTextAsync("已导入 2 户。");
            await page.GotoAsync($"/grids/{gridId}");
            await Assertions.Expect(page.Locator($"#household-table tr[data-address='{second}']")).ToContainTextAsync("困难家庭、残疾");
            await Assertions.Expect(page.Locator($"#household-table tr[data-address='{first}']")).ToContainTextAsync(worker!);

            // Hotline: an empty form shows the errors inline; the filled form registers a case of source 热线.
            await page.GotoAsync("/cases/hotline");
            await Browser.RetryUntilAsync(() => page.Locator("#hotline-submit").ClickAsync(), () => page.Locator("#error-description").IsVisibleAsync());
            await Assertions.Expect(page.Locator("#error-description")).ToHaveTextAsync("诉求内容不能为空");
            await Assertions.Expect(page.Locator("#error-category")).ToHaveTextAsync("请选择诉求类别");
            await page.Locator("#hotline-grid").SelectOptionAsync(gridId.ToString());
            await page.Locator("#hotline-category").SelectOptionAsync(new SelectOptionValue { Label = "环境卫生" });
            var description = $"来电反映楼道堆放杂物（{tag}）";
            await page.Locator("#hotline-description").FillAsync(description);
            await page.Locator("#hotline-name").FillAsync("吴来电");
            await page.Locator("#hotline-phone").FillAsync("12345");
            await page.Locator("#hotline-submit").ClickAsync();
            await Assertions.Expect(page.Locator("#error-phone")).ToContainTextAsync("电话号码格式不正确");
            await page.Locator("#hotline-phone").FillAsync("13800002468");
            await page.Locator("#hotline-submit").ClickAsync();
            await Assertions.Expect(page.Locator("#hotline-success")).ToBeVisibleAsync();
            await Browser.ScreenshotAsync(page, "e2e-hotline-registered.png");
            var number = (await page.Locator("#hotline-case-link").InnerTextAsync()).Trim();
            await page.Locator("#hotline-case-link").ClickAsync();
            await Assertions.Expect(page.Locator("#case-description")).ToHaveTextAsync(description);

            var list = await GetAsync("demo-community", "/api/v1/cases?pageSize=50");
            var id = list.GetProperty("items").EnumerateArray().First(c => c.GetProperty("number").GetString() == number).GetProperty("id").GetGuid();
            var detail = await GetAsync("demo-community", $"/api/v1/cases/{id}");
            detail.GetProperty("source").GetString().ShouldBe("Hotline");
            detail.GetRawText().ShouldNotContain("13800002468");
        }
        catch
        {
            await Browser.DumpAsync(app, page, "e2e-household-hotline-failure");
            throw;
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
