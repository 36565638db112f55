using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Jiceng.Web.Features.Ledgers;

/// <summary>One problem of an import file: Excel row number (the header is row 1), column header, Chinese message.</summary>
public sealed record ImportError(int Row, string Column, string Message);

/// <summary>What an import did: either imported rows, or refused the file, or listed the rows' errors (nothing written).</summary>
public sealed class ImportResult
{
    public int Imported { get; init; }
    public FileRefusal? Refusal { get; init; }
    public int ErrorCount { get; init; }
    /// <summary>The first <see cref="LedgerWorkbook.MaxListedErrors"/> errors.</summary>
    public IReadOnlyList<ImportError> Errors { get; init; } = [];
    /// <summary>The errors as an .xlsx (行号, 列, 错误说明).</summary>
    public byte[]? ErrorSheet { get; init; }
    public bool Succeeded => Refusal is null && ErrorCount == 0;
}

/// <summary>The upload of an Excel ledger import (members, households): limits, antiforgery, and the one answer.</summary>
public static class LedgerUpload
{
    /// <summary>The file plus the multipart envelope.</summary>
    private const long MaxRequestBytes = XlsxPackage.MaxFileBytes + 64 * 1024;

    /// <summary>How many errors the JSON answer lists; the error sheet lists more.</summary>
    public const int ErrorsInAnswer = 100;

    /// <summary>The upload limits of an import endpoint: request size, multipart length; antiforgery is checked in
    /// <see cref="ReceiveAsync"/> for cookie sessions only.</summary>
    public static RouteHandlerBuilder AsUpload(this RouteHandlerBuilder b) => b
        .DisableAntiforgery()
        .WithMetadata(new RequestSizeLimitAttribute(MaxRequestBytes))
        .WithFormOptions(multipartBodyLengthLimit: MaxRequestBytes)
        .Accepts<IFormFile>("multipart/form-data");

    /// <summary>Receives the uploaded .xlsx (field file), runs the import and answers: 200 {imported}, the file's refusal,
    /// or 400 with the errors and the error sheet (nothing written).</summary>
    public static async Task<Results<Ok<ImportAnswer>, ProblemHttpResult>> ReceiveAsync(HttpContext http, IAntiforgery antiforgery,
        Func<Stream, Task<ImportResult>> import, string errorSheetFileName, CancellationToken ct)
    {
        if (http.Request.ContentLength > MaxRequestBytes) return Refused(XlsxPackage.TooLarge);
        if (!http.Request.HasFormContentType)
            return TypedResults.Problem(title: "请上传文件", detail: "请以multipart/form-data格式上传，文件字段名为file", statusCode: 400);
        // Bearer clients carry no cookie and need no CSRF token; a cookie session must show the form's token.
        if (!http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && !await antiforgery.IsRequestValidAsync(http))
            return TypedResults.Problem(title: "页面已过期", detail: "请刷新页面后重新上传", statusCode: 400);
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            // The multipart reader's own limits (body length, headers).
            return Refused(XlsxPackage.TooLarge);
        }
        if (form.Files.GetFile("file") is not { } file)
            return TypedResults.Problem(title: "请选择要导入的文件", detail: "未收到文件，文件字段名应为file", statusCode: 400);
        if (file.Length > XlsxPackage.MaxFileBytes) return Refused(XlsxPackage.TooLarge);
        await using var stream = file.OpenReadStream();
        var result = await import(stream);
        if (result.Succeeded) return TypedResults.Ok(new ImportAnswer(result.Imported));
        if (result.Refusal is { } refusal) return Refused(refusal);
        return TypedResults.Problem(title: "导入数据有误，未导入任何记录",
            detail: $"共{result.ErrorCount}处错误，请按错误清单（errorSheet）改正后重新导入整个文件",
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?>
            {
                ["errorCount"] = result.ErrorCount,
                ["errors"] = result.Errors.Take(ErrorsInAnswer).ToList(),
                ["errorSheetFileName"] = errorSheetFileName,
                ["errorSheet"] = Convert.ToBase64String(result.ErrorSheet!),
            });
    }

    private static ProblemHttpResult Refused(FileRefusal r) => TypedResults.Problem(title: r.Title, detail: r.Detail, statusCode: r.Status);
}

public sealed record ImportAnswer(int Imported);