using Jiceng.Data.Scope;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Infrastructure;

/// <summary>RFC 9457 problem details in Chinese, written the same way from handlers and middleware.</summary>
public static class ProblemResults
{
    public static Task WriteAsync(HttpContext ctx, int status, string title, string detail)
    {
        ctx.Response.StatusCode = status;
        return ctx.Response.WriteAsJsonAsync(new ProblemDetails { Status = status, Title = title, Detail = detail },
            options: null, contentType: "application/problem+json");
    }

    public static ProblemHttpResult NotFound(string what = "记录") =>
        TypedResults.Problem(title: $"{what}不存在", detail: $"未找到该{what}，或不在您的管理范围内", statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(title: "操作冲突", detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.ValidationProblem(errors, title: "提交的数据有误", detail: detail ?? "请按提示修改后重新提交");

    public static ValidationProblem Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>Collects field errors for one request; handlers return <see cref="ProblemResults.Invalid(IDictionary{string,string[]},string?)"/> when any.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Any => _errors.Count > 0;

    public IReadOnlyDictionary<string, List<string>> All => _errors;

    public string? For(string field) => _errors.TryGetValue(field, out var l) ? string.Join("；", l) : null;

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public FieldErrors Required(string field, string? value, string label)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, $"{label}不能为空");
        return this;
    }

    public FieldErrors MaxLength(string field, string? value, int max, string label)
    {
        if (value is not null && value.Length > max) Add(field, $"{label}不能超过{max}个字符");
        return this;
    }

    public ValidationProblem ToProblem() => ProblemResults.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}

/// <summary>One place that turns exceptions into problem details. Anything unexpected answers a
/// generic 500 without internals; the log has the rest.</summary>
public sealed class JicengExceptionHandler(ILogger<JicengExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext ctx, Exception exception, CancellationToken ct)
    {
        var (status, title, detail) = exception switch
        {
            OutOfScopeException => (404, "记录不存在", "未找到该记录，或不在您的管理范围内"),
            BadHttpRequestException { InnerException: System.Text.Json.JsonException } => (400, "请求格式错误", "请求内容不是有效的JSON，或字段类型不正确"),
            BadHttpRequestException b when b.StatusCode == 413 => (413, "请求内容过大", "上传或提交的内容超过大小限制"),
            BadHttpRequestException => (400, "请求参数有误", "请求参数缺失或格式不正确，请检查后重试"),
            DbUpdateConcurrencyException => (409, "数据已被他人修改", "该记录已被其他人修改，请刷新后重试"),
            // A unique index refused the save: the same thing was saved by someone else a moment earlier (two 停止党籍 at once).
            DbUpdateException d when Jiceng.Data.DbErrors.IsUniqueViolation(d) => (409, "数据已被他人修改", "相同的记录刚刚已由他人保存，请刷新后查看"),
            OperationCanceledException => (499, "请求已取消", "请求已取消"),
            _ => (500, "服务器内部错误", "服务器处理请求时出错，请稍后重试"),
        };
        if (status == 500) logger.LogError(exception, "Unhandled exception on {Path}", ctx.Request.Path);
        if (exception is OutOfScopeException) await DeniedAccessAudit.RecordAsync(ctx, "out-of-scope");
        else logger.LogInformation("Request {Path} answered {Status}: {Type}", ctx.Request.Path, status, exception.GetType().Name);
        if (ctx.Response.HasStarted) return false;
        await ProblemResults.WriteAsync(ctx, status, title, detail);
        return true;
    }
}

/// <summary>Paged lists: {"items":[],"total":N,"page":P,"pageSize":S,"totalIsLowerBound":false}. When
/// <see cref="TotalIsLowerBound"/> is true there are more than <see cref="Total"/> rows (a count capped at
/// <see cref="Paging.CountCap"/>): shown as "10000+".</summary>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize, bool TotalIsLowerBound = false)
{
    /// <summary>Whether a next page may exist.</summary>
    public bool HasNext => TotalIsLowerBound ? Items.Count == PageSize : Page * PageSize < Total;

    /// <summary>The total for people: "3321" or "10000+".</summary>
    public string TotalText => TotalIsLowerBound ? $"{Total}+" : Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public static class Paging
{
    public const int MaxPageSize = 200;
    public const int DefaultPageSize = 20;

    /// <summary>Lists over large scopes count at most this many rows: an exact total over a city costs a scan of
    /// the city (hundreds of ms), while nobody pages through ten thousand names; a filter narrows it instead.</summary>
    public const int CountCap = 10_000;

    /// <summary>The number of rows, exact up to <see cref="CountCap"/>, and whether there are more.</summary>
    public static Task<(int Total, bool IsLowerBound)> CappedCountAsync<T>(IQueryable<T> q, CancellationToken ct) => CappedCountAsync(q, CountCap, ct);

    public static async Task<(int Total, bool IsLowerBound)> CappedCountAsync<T>(IQueryable<T> q, int cap, CancellationToken ct)
    {
        var counted = await q.Take(cap + 1).CountAsync(ct);
        return counted > cap ? (cap, true) : (counted, false);
    }

    /// <summary>Validates page/pageSize; null when fine, otherwise the field errors.</summary>
    public static FieldErrors Check(int? page, int? pageSize, FieldErrors? errors = null)
    {
        errors ??= new FieldErrors();
        if (page is < 1) errors.Add("page", "页码须从1开始");
        if (pageSize is < 1 or > MaxPageSize) errors.Add("pageSize", $"每页条数须在1到{MaxPageSize}之间");
        return errors;
    }
}
