using System.Security.Claims;
using Jiceng.Data;
using Jiceng.Data.Audit;
using Jiceng.Data.Scope;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Infrastructure;

/// <summary>Refused attempts are audit events too (等保2.0: every important action with its result):
/// a write outside the caller's scope, or a request their role does not allow.</summary>
public static class DeniedAccessAudit
{
    public static async Task RecordAsync(HttpContext ctx, string reason)
    {
        try
        {
            var factory = ctx.RequestServices.GetRequiredService<IDbContextFactory<JicengDbContext>>();
            await using var db = await factory.CreateDbContextAsync(CancellationToken.None);
            db.Clock = ctx.RequestServices.GetRequiredService<TimeProvider>();
            var user = ctx.User;
            db.Actor = new AuditActor(user.FindFirstValue(ClaimTypes.NameIdentifier), user.Identity?.Name,
                string.Join(",", user.FindAll(ClaimTypes.Role).Select(c => c.Value)), ctx.Connection.RemoteIpAddress?.ToString());
            db.Audit(AuditActions.AccessDenied, "Request", null, success: false,
                details: new { method = ctx.Request.Method, path = ctx.Request.Path.Value, reason });
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DeniedAccessAudit))
                .LogError(ex, "Could not audit a denied request to {Path}", ctx.Request.Path);
        }
    }
}
