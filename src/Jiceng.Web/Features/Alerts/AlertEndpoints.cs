using Jiceng.Data.Scope;
using Jiceng.Data;
using Jiceng.Domain.Alerts;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Alerts;

public sealed record AlertView(Guid Id, string RuleCode, Guid OrganizationId, string OrganizationName, AlertSeverity Severity, string SeverityName,
    string Message, string SubjectType, string SubjectId, DateOnly? DueOn, DateTimeOffset RaisedAt);

public static class AlertQueries
{
    /// <summary>Open alerts in the caller's scope, optionally limited to one organization's subtree, most severe first.</summary>
    public static async Task<PagedList<AlertView>> OpenAsync(JicengDbContext db, Guid? orgId, int page, int pageSize, CancellationToken ct)
    {
        var q = db.Alerts.AsNoTracking().Where(a => a.ResolvedAt == null);
        if (orgId is { } id)
        {
            var path = await db.Organizations.Where(o => o.Id == id).Select(o => o.Path).FirstOrDefaultAsync(ct);
            if (path is null) return new PagedList<AlertView>([], 0, page, pageSize);
            q = q.InSubtree(path, a => a.Organization!.Path);
        }
        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(a => a.Severity).ThenBy(a => a.DueOn).ThenBy(a => a.RaisedAt)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(a => new { a.Id, a.RuleCode, a.OrganizationId, a.Organization!.Name, a.Severity, a.Message, a.SubjectType, a.SubjectId, a.DueOn, a.RaisedAt })
            .ToListAsync(ct);
        return new PagedList<AlertView>(rows.Select(a => new AlertView(a.Id, a.RuleCode, a.OrganizationId, a.Name, a.Severity, a.Severity.ToChinese(),
            a.Message, a.SubjectType, a.SubjectId, a.DueOn, a.RaisedAt)).ToList(), total, page, pageSize);
    }
}

public static class AlertEndpoints
{
    public static IEndpointRouteBuilder MapAlertEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/alerts").WithTags("预警").RequireAuthorization(Policies.OrgRead);

        g.MapGet("/", async Task<Results<Ok<PagedList<AlertView>>, ValidationProblem, ProblemHttpResult>> (
            Guid? orgId, int? page, int? pageSize, ScopedDbFactory dbs, CancellationToken ct) =>
        {
            var errors = Paging.Check(page, pageSize);
            if (errors.Any) return errors.ToProblem();
            await using var db = await dbs.CreateAsync(ct);
            if (orgId is { } id && !await db.Organizations.AnyAsync(o => o.Id == id, ct)) return ProblemResults.NotFound("组织");
            return TypedResults.Ok(await AlertQueries.OpenAsync(db, orgId, page ?? 1, pageSize ?? Paging.DefaultPageSize, ct));
        }).WithSummary("本人管理范围内的未处理预警");

        g.MapPost("/evaluate", async (AlertEngine engine, CancellationToken ct) => TypedResults.Ok(await engine.RunAsync(ct)))
            .RequireAuthorization(Policies.SettingsAdmin).WithSummary("立即重新评估全部预警规则");
        return app;
    }
}
