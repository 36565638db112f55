using System.Net.Http.Headers;
using MiniExcelLibs;

namespace Jiceng.Web.Tests.Infrastructure;

/// <summary>Writing, reading and uploading the .xlsx files of the ledger tests (members, households).</summary>
public static class Workbooks
{
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] Write(IEnumerable<Dictionary<string, object?>> rows, string sheetName)
    {
        using var ms = new MemoryStream();
        MiniExcel.SaveAs(ms, rows.ToList(), sheetName: sheetName);
        return ms.ToArray();
    }

    public static List<IDictionary<string, object>> Read(byte[] bytes, string? sheet = null)
    {
        using var ms = new MemoryStream(bytes);
        return MiniExcel.Query(ms, useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object>>().ToList();
    }

    /// <summary>POSTs the bytes as the multipart field "file".</summary>
    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string url, byte[] bytes, string fileName)
    {
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(Xlsx);
        content.Add(file, "file", fileName);
        return await client.PostAsync(url, content);
    }
}
