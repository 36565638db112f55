using System.Security.Claims;
using Jiceng.Data;
using Jiceng.Data.Scope;
using Jiceng.Domain.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Infrastructure;

/// <summary>
/// The signed-in user of this request or circuit, and the data scope that follows from their role
/// assignments (looked up from the database, so a moved organization moves its users' scope).
/// </summary>
public sealed class CurrentUser(IServiceProvider services, IHttpContextAccessor http, IDbContextFactory<JicengDbContext> factory, CircuitActivity circuit)
{
    // Cached for one HTTP request only. A circuit lives for hours, so there the user and scope are
    // read afresh each time: a revoked role or a moved organization takes effect at the next action.
    private ClaimsPrincipal? _principal;
    private DataScope? _scope;
    private bool InRequest => !circuit.InCircuit && http.HttpContext is not null;

    public async Task<ClaimsPrincipal> GetPrincipalAsync()
    {
        if (_principal is not null) return _principal;
        if (InRequest) return _principal = http.HttpContext!.User;
        var state = services.GetService<AuthenticationStateProvider>();
        return state is null ? new ClaimsPrincipal() : (await state.GetAuthenticationStateAsync()).User;
    }

    public async Task<string?> GetUserIdAsync() => (await GetPrincipalAsync()).FindFirstValue(ClaimTypes.NameIdentifier);

    /// <summary>The member record bound to the signed-in party member's account (read from the database, never
    /// from the request), or null: what every self-service page keys its queries on.</summary>
    public async Task<Guid?> OwnMemberIdAsync(CancellationToken ct = default)
    {
        if (!await IsInRoleAsync(Roles.Member) || await GetUserIdAsync() is not { } userId) return null;
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId && !u.Disabled).Select(u => u.MemberId).FirstOrDefaultAsync(ct);
    }

    /// <summary>Where the token handler leaves the assignments it read, so this request does not read them twice.</summary>
    public const string AssignmentsKey = "jiceng.assignments";

    public sealed record AssignmentPath(string Role, string Path);

    // Compiled once: it runs on every authenticated request.
    private static readonly CompiledPerModel<Func<JicengDbContext, string, IAsyncEnumerable<AssignmentPath>>> AssignmentsQuery = new(() =>
        EF.CompileAsyncQuery((JicengDbContext db, string userId) =>
            db.RoleAssignments.IgnoreQueryFilters().AsNoTracking().Where(a => a.UserId == userId)
                .Select(a => new AssignmentPath(a.Role, a.Organization!.Path))));

    public static async Task<List<AssignmentPath>> AssignmentsAsync(JicengDbContext db, string userId, CancellationToken ct)
    {
        var list = new List<AssignmentPath>();
        await foreach (var a in AssignmentsQuery.For(db)(db, userId).WithCancellation(ct)) list.Add(a);
        return list;
    }

    public async Task<DataScope> GetScopeAsync(CancellationToken ct = default)
    {
        if (_scope is not null) return _scope;
        var userId = await GetUserIdAsync();
        if (userId is null) return DataScope.None;
        List<AssignmentPath> assignments;
        if (InRequest && http.HttpContext!.Items[AssignmentsKey] is List<AssignmentPath> read) assignments = read;
        else
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            assignments = await AssignmentsAsync(db, userId, ct);
        }
        // A party member's own assignment gives no view of others' data (self-service reads by MemberId);
        // only assignments whose role edits data widen what may be written.
        var scope = DataScope.ForPaths(
            assignments.Where(a => a.Role != Roles.Member).Select(a => a.Path),
            assignments.Where(a => Roles.DataWriters.Contains(a.Role)).Select(a => a.Path));
        if (InRequest) _scope = scope;
        return scope;
    }

    public async Task<AuditActor> GetActorAsync()
    {
        var p = await GetPrincipalAsync();
        var roles = string.Join(",", p.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct());
        return new AuditActor(p.FindFirstValue(ClaimTypes.NameIdentifier), p.Identity?.Name, roles,
            http.HttpContext?.Connection.RemoteIpAddress?.ToString());
    }

    public async Task<bool> IsInRoleAsync(string role) => (await GetPrincipalAsync()).IsInRole(role);

    public async Task<bool> IsInAnyRoleAsync(IEnumerable<string> roles)
    {
        var p = await GetPrincipalAsync();
        return roles.Any(p.IsInRole);
    }
}

/// <summary>Creates contexts scoped to the current user, for endpoints (one per request) and for
/// Blazor components (one per operation, since circuits live long).</summary>
public sealed class ScopedDbFactory(IDbContextFactory<JicengDbContext> factory, CurrentUser user, TimeProvider clock)
{
    public async Task<JicengDbContext> CreateAsync(CancellationToken ct = default)
    {
        var db = await factory.CreateDbContextAsync(ct);
        db.Scope = await user.GetScopeAsync(ct);
        db.Actor = await user.GetActorAsync();
        db.Clock = clock;
        return db;
    }

    /// <summary>For system work with no user behind it: jobs, seeding, the command line.</summary>
    public async Task<JicengDbContext> CreateUnrestrictedAsync(CancellationToken ct = default)
    {
        var db = await factory.CreateDbContextAsync(ct);
        db.Scope = DataScope.Unrestricted;
        db.Clock = clock;
        return db;
    }
}

public static class RoleClaims
{
    public static IEnumerable<string> StaffRoles => Roles.Names.Keys.Where(r => r != Roles.Member);
}
