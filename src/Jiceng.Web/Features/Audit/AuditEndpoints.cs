using Jiceng.Data.Audit;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Audit;

public sealed record AuditRecord(int Lane, long Sequence, DateTimeOffset At, string? UserId, string? UserName, string Roles, string Action, string ActionName,
    string EntityType, string? EntityId, Guid? OrganizationId, string? ClientAddress, bool Success, string? Changes, string Hash);

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/audit").WithTags("审计（审计管理员）").RequireAuthorization(Policies.AuditRead);

        g.MapGet("/", async Task<Results<Ok<PagedList<AuditRecord>>, ValidationProblem>> (
            DateTimeOffset? from, DateTimeOffset? to, string? user, string? action, int? page, int? pageSize, ScopedDbFactory dbs, CancellationToken ct) =>
        {
            var errors = Paging.Check(page, pageSize);
            if (from is { } f && to is { } t && t < f) errors.Add("to", "结束时间须晚于开始时间");
            if (errors.Any) return errors.ToProblem();
            return TypedResults.Ok(await QueryAsync(dbs, from, to, user, action, page ?? 1, pageSize ?? 50, ct));
        }).WithSummary("查询审计日志（只读，不可删除）");

        g.MapGet("/verify", async Task<Ok<AuditVerification>> (ScopedDbFactory dbs, CancellationToken ct) =>
        {
            await using var db = await dbs.CreateAsync(ct);
            return TypedResults.Ok(await AuditVerifier.VerifyAsync(db, ct));
        }).WithSummary("校验审计日志哈希链");
        return app;
    }

    public static async Task<PagedList<AuditRecord>> QueryAsync(ScopedDbFactory dbs, DateTimeOffset? from, DateTimeOffset? to, string? user, string? action,
        int page, int pageSize, CancellationToken ct)
    {
        await using var db = await dbs.CreateAsync(ct);
        var q = db.AuditEntries.AsNoTracking();
        if (from is { } f) q = q.Where(a => a.At >= f.ToUniversalTime());
        if (to is { } t) q = q.Where(a => a.At < t.ToUniversalTime());
        if (!string.IsNullOrWhiteSpace(user)) q = q.Where(a => a.UserName == user);
        if (!string.IsNullOrWhiteSpace(action)) q = q.Where(a => a.Action == action);
        var total = await q.CountAsync(ct);
        // Newest first across lanes; within one millisecond, a lane's own order.
        var rows = await q.OrderByDescending(a => a.At).ThenBy(a => a.Lane).ThenByDescending(a => a.Sequence).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return new PagedList<AuditRecord>(rows.Select(a => new AuditRecord(a.Lane, a.Sequence, a.At, a.UserId, a.UserName, a.Roles, a.Action,
            AuditActions.ToChinese(a.Action), a.EntityType, a.EntityId, a.OrganizationId, a.ClientAddress, a.Success, a.Changes, a.Hash)).ToList(), total, page, pageSize);
    }
}
