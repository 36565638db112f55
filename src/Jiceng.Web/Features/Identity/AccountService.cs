using Jiceng.Data;
using Jiceng.Data.Audit;
using Jiceng.Data.Identity;
using Jiceng.Data.Protection;
using Scope = Jiceng.Data.Scope;
using Jiceng.Domain.Identity;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Identity;

public sealed record RoleInput(string? Role, Guid? OrganizationId);
public sealed record CreateUserInput(string? UserName, string? DisplayName, string? Password, string? Phone, List<RoleInput>? Roles);
public sealed record UserSummary(string Id, string UserName, string DisplayName, string? PhoneMasked, bool Disabled, bool LockedOut, bool TwoFactorEnabled, IReadOnlyList<RoleScope> Roles);

/// <summary>Accounts and role assignments: the security administrator's work (三员分立).</summary>
public sealed class AccountService(UserManager<AppUser> users, ScopedDbFactory dbs, IDbContextFactory<JicengDbContext> factory, FieldProtector protector, TimeProvider clock)
{
    public async Task<List<RoleScope>> RoleScopesAsync(string userId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.RoleAssignments.IgnoreQueryFilters().AsNoTracking().Where(a => a.UserId == userId)
            .OrderBy(a => a.Role).Select(a => new { a.Role, a.OrganizationId, a.Organization!.Name }).ToListAsync(ct);
        return rows.Select(r => new RoleScope(r.Role, Roles.ToChinese(r.Role), r.OrganizationId, r.Name)).ToList();
    }

    /// <summary>Accounts the caller manages: those with a role in the caller's scope, and accounts that
    /// have no role yet (just created, waiting for one).</summary>
    private static async Task<IQueryable<AppUser>> VisibleAsync(JicengDbContext db, CancellationToken ct)
    {
        // IgnoreQueryFilters holds for a whole query, so the unassigned accounts are found on their own:
        // an account with no assignment anywhere is visible to every security administrator.
        var unassigned = await db.Users.IgnoreQueryFilters().Where(u => !db.RoleAssignments.Any(a => a.UserId == u.Id)).Select(u => u.Id).ToListAsync(ct);
        return db.Users.Where(u => db.RoleAssignments.Any(a => a.UserId == u.Id) || unassigned.Contains(u.Id));
    }

    public async Task<PagedList<UserSummary>> ListAsync(string? search, int page, int pageSize, CancellationToken ct)
    {
        await using var db = await dbs.CreateAsync(ct);
        var q = (await VisibleAsync(db, ct)).AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search)) q = q.Where(u => u.UserName!.Contains(search) || u.DisplayName.Contains(search));
        var total = await q.CountAsync(ct);
        var now = clock.GetUtcNow();
        var rows = await q.OrderBy(u => u.UserName).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(u => new { u.Id, u.UserName, u.DisplayName, u.PhoneMasked, u.Disabled, u.LockoutEnd, u.TwoFactorEnabled }).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var roles = await db.RoleAssignments.IgnoreQueryFilters().AsNoTracking().Where(a => ids.Contains(a.UserId))
            .Select(a => new { a.UserId, a.Role, a.OrganizationId, a.Organization!.Name }).ToListAsync(ct);
        var items = rows.Select(r => new UserSummary(r.Id, r.UserName!, r.DisplayName, r.PhoneMasked, r.Disabled, r.LockoutEnd > now, r.TwoFactorEnabled,
            roles.Where(x => x.UserId == r.Id).Select(x => new RoleScope(x.Role, Roles.ToChinese(x.Role), x.OrganizationId, x.Name)).ToList())).ToList();
        return new PagedList<UserSummary>(items, total, page, pageSize);
    }

    public async Task<Outcome<UserSummary>> CreateAsync(CreateUserInput input, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Required("userName", input.UserName, "用户名").MaxLength("userName", input.UserName, 64, "用户名")
            .Required("displayName", input.DisplayName, "姓名").MaxLength("displayName", input.DisplayName, 50, "姓名");
        if (Domain.Security.PasswordPolicy.Check(input.Password) is { } pw) errors.Add("password", pw);
        if (input.Phone is { Length: > 0 } phone && !System.Text.RegularExpressions.Regex.IsMatch(FieldProtector.Normalize(phone, ProtectedKind.Phone), @"^1\d{10}$"))
            errors.Add("phone", "手机号应为11位数字，以1开头");
        if (input.UserName is { } name && !System.Text.RegularExpressions.Regex.IsMatch(name.Trim(), "^[A-Za-z0-9._@-]{2,64}$"))
            errors.Add("userName", "用户名只能包含字母、数字和 . _ @ -，长度2到64位");
        else if (input.UserName is { } un && await users.FindByNameAsync(un.Trim()) is not null) errors.Add("userName", "用户名已存在");
        await using var db = await dbs.CreateAsync(ct);
        var assignments = await CheckRolesAsync(db, input.Roles ?? [], [], errors, ct);
        if (errors.Any) return errors;

        var user = new AppUser { Id = Guid.CreateVersion7().ToString(), UserName = input.UserName!.Trim(), DisplayName = input.DisplayName!.Trim(), CreatedAt = clock.GetUtcNow() };
        if (input.Phone is { Length: > 0 })
        {
            var p = protector.Protect(input.Phone, ProtectedKind.Phone);
            (user.PhoneCipher, user.PhoneHash, user.PhoneMasked) = (p.Cipher, p.Hash, p.Masked);
        }
        user.PasswordHash = users.PasswordHasher.HashPassword(user, input.Password!);
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.NormalizedUserName = users.NormalizeName(user.UserName);
        user.LockoutEnabled = true;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Users.Add(user);
        foreach (var (role, org) in assignments)
        {
            var a = new RoleAssignment { Id = Guid.CreateVersion7(), UserId = user.Id, Role = role, OrganizationId = org };
            db.RoleAssignments.Add(a);
            db.AuditAs(a, AuditActions.RoleChange);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await ListAsync(user.UserName, 1, 1, ct)).Items.Single();
    }

    /// <summary>Replaces a user's role assignments (within the caller's scope).</summary>
    public async Task<Outcome<UserSummary>> SetRolesAsync(string userId, List<RoleInput> roles, CancellationToken ct)
    {
        await using var db = await dbs.CreateAsync(ct);
        var user = await (await VisibleAsync(db, ct)).FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return Outcome<UserSummary>.Missing;
        var errors = new FieldErrors();
        // 三员分立: nobody changes their own roles (a security administrator could otherwise make itself auditor).
        if (userId == db.Actor.UserId) return errors.Add("roles", "不能修改自己账户的角色");
        var inScope = await db.RoleAssignments.Where(a => a.UserId == userId).Select(a => a.Id).ToListAsync(ct);
        var elsewhere = (await db.RoleAssignments.IgnoreQueryFilters().Where(a => a.UserId == userId).Select(a => new { a.Id, a.Role }).ToListAsync(ct))
            .Where(a => !inScope.Contains(a.Id)).Select(a => a.Role).ToList();
        var wanted = await CheckRolesAsync(db, roles, elsewhere, errors, ct);
        if (errors.Any) return errors;
        var current = await db.RoleAssignments.Where(a => a.UserId == userId).ToListAsync(ct);
        foreach (var a in current.Where(a => !wanted.Contains((a.Role, a.OrganizationId))))
        {
            db.RoleAssignments.Remove(a);
            db.AuditAs(a, AuditActions.RoleChange);
        }
        foreach (var (role, org) in wanted.Where(w => !current.Any(a => a.Role == w.Role && a.OrganizationId == w.Org)))
        {
            var a = new RoleAssignment { Id = Guid.CreateVersion7(), UserId = userId, Role = role, OrganizationId = org };
            db.RoleAssignments.Add(a);
            db.AuditAs(a, AuditActions.RoleChange);
        }
        // Existing sessions end: pages re-check the stamp within a minute, API tokens are revoked now.
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        await db.SaveChangesAsync(ct);
        await db.ApiTokens.Where(t => t.UserId == userId).ExecuteDeleteAsync(ct);
        return (await ListAsync(user.UserName, 1, 1, ct)).Items.Single();
    }

    /// <summary>The full phone number of an account, audited as a sensitive read.</summary>
    public async Task<Outcome<string>> RevealPhoneAsync(string userId, ProtectedFieldReveal reveal, CancellationToken ct)
    {
        await using var db = await dbs.CreateAsync(ct);
        var user = await (await VisibleAsync(db, ct)).AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return Outcome<string>.Missing;
        return await reveal.RevealAsync(db, nameof(AppUser), userId, null, "phone", user.PhoneCipher, ct) ?? "";
    }

    public async Task<bool> UnlockAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var user = await (await VisibleAsync(db, ct)).FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null) return false;
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        // Lockout fields are sign-in bookkeeping, which the entity audit skips; an unlock is an act of its own.
        db.Audit(AuditActions.Unlock, nameof(AppUser), userId);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static async Task<HashSet<(string Role, Guid Org)>> CheckRolesAsync(JicengDbContext db, List<RoleInput> roles, List<string> rolesElsewhere, FieldErrors errors, CancellationToken ct)
    {
        var result = new HashSet<(string, Guid)>();
        for (var i = 0; i < roles.Count; i++)
        {
            var r = roles[i];
            if (r.Role is null || !Roles.IsKnown(r.Role)) { errors.Add($"roles[{i}].role", "角色无效"); continue; }
            // The scope check is the filtered lookup: an organization outside the caller's scope does not exist for them.
            if (r.OrganizationId is not { } org || !await db.Organizations.AnyAsync(o => o.Id == org, ct)) { errors.Add($"roles[{i}].organizationId", "组织不存在"); continue; }
            result.Add((r.Role, org));
        }
        var allRoles = result.Select(r => r.Item1).Concat(rolesElsewhere).ToList();
        if (allRoles.Any(Roles.Administrators.Contains) && allRoles.Count > 1)
            errors.Add("roles", "系统管理员、安全管理员、审计管理员账户不能兼任其他角色（三员分立）");
        if (result.Count > 0)
        {
            var orgIds = result.Select(x => x.Item2).Distinct().ToList();
            var paths = await db.Organizations.Where(o => orgIds.Contains(o.Id)).Select(o => o.Path).ToListAsync(ct);
            try { Scope.DataScope.ForPaths(paths); }
            catch (InvalidOperationException e) { errors.Add("roles", e.Message); }
        }
        return result;
    }
}
