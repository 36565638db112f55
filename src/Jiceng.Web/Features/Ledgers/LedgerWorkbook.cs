using System.IO.Pipelines;
using MiniExcel = MiniExcelLibs.MiniExcel;
using ExcelType = MiniExcelLibs.ExcelType;
using C = Jiceng.Web.Features.MemberLedger.MemberLedgerColumns;

namespace Jiceng.Web.Features.Ledgers;

/// <summary>One row of an uploaded sheet: its Excel row number (the header is row 1) and its cells by column letter.</summary>
public sealed record SheetRow(int Number, IDictionary<string, object> Cells);

/// <summary>
/// The pieces every Excel ledger import and export share (members, households): reading rows, the header, the error list and
/// error sheet, the instructions sheet of a template, the all-or-nothing answer, and streaming a workbook to a response.
/// </summary>
public static class LedgerWorkbook
{
    /// <summary>Errors kept for the error sheet; all are counted.</summary>
    public const int MaxListedErrors = 10_000;

    public static readonly FileRefusal Empty = new(400, "文件中没有数据", "第一个工作表是空的，请使用导入模板填写后再上传");

    public static FileRefusal TooManyRows(int max) => new(400, "数据行数过多", $"一个文件最多导入{max}行，请分成多个文件导入");

    /// <summary>Rows of the first sheet by column letter; MiniExcel yields empty rows for gaps, so the count is the Excel row number.</summary>
    public static IEnumerable<SheetRow> ReadRows(Stream file)
    {
        file.Position = 0;
        var number = 0;
        foreach (IDictionary<string, object> cells in MiniExcel.Query(file, useHeaderRow: false, excelType: ExcelType.XLSX))
            yield return new SheetRow(++number, cells);
    }

    public static bool TryRead(IEnumerator<SheetRow> rows, out SheetRow row)
    {
        var ok = rows.MoveNext();
        row = ok ? rows.Current : null!;
        return ok;
    }

    public static ImportResult Invalid(ImportErrorList errors)
    {
        errors.SortByRow();
        return new ImportResult { ErrorCount = errors.Count, Errors = errors.Listed, ErrorSheet = ErrorSheet(errors) };
    }

    /// <summary>The errors as an .xlsx (行号, 列, 错误说明), formula-escaped.</summary>
    public static byte[] ErrorSheet(ImportErrorList errors)
    {
        IEnumerable<Dictionary<string, object?>> Rows()
        {
            foreach (var e in errors.Listed)
                yield return new() { ["行号"] = e.Row, ["列"] = SpreadsheetText.Escape(e.Column), ["错误说明"] = SpreadsheetText.Escape(e.Message) };
            if (errors.Count > errors.Listed.Count)
                yield return new() { ["行号"] = null, ["列"] = "", ["错误说明"] = $"另有{errors.Count - errors.Listed.Count}处错误未列出，请改正以上错误后重新导入" };
        }
        using var ms = new MemoryStream();
        MiniExcel.SaveAs(ms, Rows(), sheetName: "错误清单");
        return ms.ToArray();
    }

    /// <summary>A line of a template's instructions sheet (填写说明).</summary>
    public static Dictionary<string, object?> Note(string column, string required, string text) =>
        new() { ["列名"] = column, ["是否必填"] = required, ["填写要求"] = text };

    /// <summary>The closing lines every template's instructions share.</summary>
    public static IEnumerable<Dictionary<string, object?>> CommonNotes(string perRow, int maxRows)
    {
        yield return Note("", "", "");
        yield return Note("说明", "", $"第1行为列标题，请勿修改；从第2行起每行{perRow}。示例行是虚构数据，导入前请删除");
        yield return Note("", "", "整个文件全部校验通过才会导入；任何一行有误都不导入，系统返回错误清单（行号、列、错误说明），改正后重新导入整个文件");
        yield return Note("", "", $"一个文件不超过{XlsxPackage.MaxFileBytes / 1024 / 1024}MB、不超过{maxRows}行；请上传Excel工作簿（.xlsx）");
    }

    /// <summary>A template: the data sheet with one fictional example row, and the instructions sheet.</summary>
    public static byte[] Template(string sheetName, Dictionary<string, object?> example, IEnumerable<Dictionary<string, object?>> notes)
    {
        using var ms = new MemoryStream();
        MiniExcel.SaveAs(ms, new Dictionary<string, object> { [sheetName] = new[] { example }, ["填写说明"] = notes.ToList() });
        return ms.ToArray();
    }

    /// <summary>
    /// Writes a workbook to <paramref name="output"/> (a response body: written asynchronously only). MiniExcel writes
    /// synchronously and needs no seeking; a pipe turns that into async writes, so rows can be read as they are written.
    /// </summary>
    public static async Task StreamAsync(Stream output, Func<Stream, CancellationToken, Task> save, CancellationToken ct)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writer = Task.Run(async () =>
        {
            Exception? error = null;
            try
            {
                await using var stream = pipe.Writer.AsStream(leaveOpen: true);
                await save(stream, cts.Token);
            }
            catch (Exception e)
            {
                error = e;
            }
            finally
            {
                await pipe.Writer.CompleteAsync(error);
            }
        }, CancellationToken.None);
        try
        {
            await pipe.Reader.CopyToAsync(output, ct);
        }
        catch
        {
            await cts.CancelAsync();
            throw;
        }
        finally
        {
            await pipe.Reader.CompleteAsync();
            await writer;
        }
    }
}

/// <summary>Errors in file order; only the first ones are kept, all are counted.</summary>
public sealed class ImportErrorList
{
    private readonly List<ImportError> _listed = [];
    public int Count { get; private set; }
    public IReadOnlyList<ImportError> Listed => _listed;

    public void Add(int row, string column, string message)
    {
        Count++;
        if (_listed.Count < LedgerWorkbook.MaxListedErrors) _listed.Add(new ImportError(row, column, message));
    }

    /// <summary>Duplicates found in batches come after later rows' errors: put the list back in row order (stable).</summary>
    public void SortByRow()
    {
        var sorted = _listed.OrderBy(e => e.Row).ToList();
        _listed.Clear();
        _listed.AddRange(sorted);
    }
}

/// <summary>Which column letter holds which header, from row 1.</summary>
public sealed class ImportHeader(Dictionary<string, string> letterOf)
{
    public bool Has(string column) => letterOf.ContainsKey(column);

    public object? Cell(IDictionary<string, object> cells, string column) =>
        letterOf.TryGetValue(column, out var letter) && cells.TryGetValue(letter, out var v) ? v : null;

    public string? Text(IDictionary<string, object> cells, string column) => C.Text(Cell(cells, column));

    public static bool IsBlank(IDictionary<string, object> cells) => cells.Values.All(v => C.Text(v) is null);

    public static ImportHeader Parse(IDictionary<string, object> first, IReadOnlySet<string> known, IEnumerable<string> required, ImportErrorList errors)
    {
        var letterOf = new Dictionary<string, string>();
        foreach (var (letter, value) in first)
        {
            if (C.Text(value) is not { } title) continue;
            if (!known.Contains(title)) errors.Add(1, letter + "列", $"未知的列标题“{title}”，请使用导入模板的列标题");
            else if (!letterOf.TryAdd(title, letter)) errors.Add(1, letter + "列", $"列标题“{title}”重复");
        }
        foreach (var r in required.Where(r => !letterOf.ContainsKey(r)))
            errors.Add(1, r, $"缺少必填列“{r}”，请使用导入模板");
        return new ImportHeader(letterOf);
    }
}
