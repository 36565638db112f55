using System.IO.Compression;

namespace Jiceng.Web.Features.Ledgers;

/// <summary>Why an uploaded file is refused before any parsing: HTTP status and Chinese text.</summary>
public sealed record FileRefusal(int Status, string Title, string Detail);

/// <summary>
/// Upload limits for Excel import (rules.md §9), checked on the bytes before the spreadsheet parser
/// sees them: size, the zip signature (not the file name), the number of zip entries and what they
/// really expand to. The expansion is measured by decompressing into nothing, because the sizes a
/// zip declares can lie (zip bomb).
/// </summary>
public static class XlsxPackage
{
    public const long MaxFileBytes = 10 * 1024 * 1024;
    public const int MaxEntries = 100;
    public const long MaxUncompressedBytes = 200L * 1024 * 1024;
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static readonly FileRefusal TooLarge = new(StatusCodes.Status413PayloadTooLarge, "文件过大",
        $"导入文件不能超过{MaxFileBytes / 1024 / 1024}MB，请分成多个文件导入");

    public static readonly FileRefusal NotXlsx = new(StatusCodes.Status400BadRequest, "文件不是有效的Excel（.xlsx）文件",
        "请下载导入模板，填写后保存为Excel工作簿（.xlsx）再上传；不支持.xls、.csv或改了扩展名的文件");

    public static readonly FileRefusal TooManyEntries = new(StatusCodes.Status400BadRequest, "文件结构异常",
        $"文件包含的部件超过{MaxEntries}个，不是常规的Excel文件");

    public static readonly FileRefusal TooLargeExpanded = new(StatusCodes.Status400BadRequest, "文件解压后过大",
        $"文件解压后超过{MaxUncompressedBytes / 1024 / 1024}MB，不是常规的Excel文件，或数据过多，请分成多个文件导入");

    /// <summary>Null when the stream (seekable) may be handed to the parser; it is left at position 0.</summary>
    public static async Task<FileRefusal?> CheckAsync(Stream file, CancellationToken ct)
    {
        if (!file.CanSeek) throw new ArgumentException("The upload must be buffered (seekable).", nameof(file));
        if (file.Length > MaxFileBytes) return TooLarge;
        file.Position = 0;
        var signature = new byte[4];
        if (await file.ReadAtLeastAsync(signature, 4, throwOnEndOfStream: false, ct) < 4
            || signature is not [0x50, 0x4B, 0x03, 0x04])
            return NotXlsx;
        file.Position = 0;
        try
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.Entries.Count > MaxEntries) return TooManyEntries;
            if (zip.GetEntry("[Content_Types].xml") is null || zip.GetEntry("xl/workbook.xml") is null) return NotXlsx;
            long declared = 0;
            foreach (var e in zip.Entries) declared += e.Length;
            if (declared > MaxUncompressedBytes) return TooLargeExpanded;

            var buffer = new byte[81920];
            long expanded = 0;
            foreach (var e in zip.Entries)
            {
                long entryBytes = 0;
                await using var s = await e.OpenAsync(ct);
                int n;
                while ((n = await s.ReadAsync(buffer, ct)) > 0)
                {
                    entryBytes += n;
                    expanded += n;
                    if (expanded > MaxUncompressedBytes) return TooLargeExpanded;
                    if (entryBytes > e.Length) return NotXlsx; // more data than the entry declares
                }
            }
        }
        catch (InvalidDataException)
        {
            return NotXlsx;
        }
        finally
        {
            file.Position = 0;
        }
        return null;
    }
}
