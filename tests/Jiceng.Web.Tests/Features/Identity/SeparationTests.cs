using Jiceng.Web.Infrastructure;
using System.Net;
using System.Net.Http.Json;
using Jiceng.Data.Scope;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Tests.Features.Identity;

public sealed class SeparationTests_Sqlite(SqliteApp app) : SeparationTests(app), IClassFixture<SqliteApp>;

public sealed class SeparationTests_Postgres(PostgresApp app) : SeparationTests(app), IClassFixture<PostgresApp>;

/// <summary>三员分立 and role-bound write scope.</summary>
public abstract class SeparationTests(JicengApp app)
{
    private async Task<List<Guid>> StreetsAsync()
    {
        var district = await app.LoginAsync("demo-district");
        return (await district.GetJsonAsync("/api/v1/orgs/tree?depth=1"))[0].GetProperty("children").EnumerateArray()
            .Where(c => c.GetProperty("kind").GetString() == "StreetWorkingCommittee").Select(c => c.Id()).ToList();
    }

    [Fact]
    public async Task The_security_administrator_cannot_change_its_own_roles_and_administrators_hold_no_other_role()
    {
        var security = await app.LoginAsync("demo-secadmin");
        var me = await security.GetJsonAsync("/api/v1/auth/me");
        var district = me.GetProperty("scopes")[0].GetProperty("organizationId").GetGuid();
        var self = await (await security.PutAsJsonAsync($"/api/v1/users/{me.GetProperty("id").GetString()}/roles",
            new[] { new { role = "Auditor", organizationId = district }, new { role = "SecurityAdmin", organizationId = district } })).ProblemAsync(HttpStatusCode.BadRequest);
        self.FieldError("roles").ShouldBe("不能修改自己账户的角色");
        (await security.GetAsync("/api/v1/audit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var mixed = await (await security.PostAsJsonAsync("/api/v1/users", new
        {
            userName = "mixed-admin", displayName = "兼任", password = "Strong#Pass1",
            roles = new[] { new { role = "SystemAdmin", organizationId = district }, new { role = "StreetAdmin", organizationId = district } },
        })).ProblemAsync(HttpStatusCode.BadRequest);
        mixed.FieldError("roles").ShouldContain("三员分立");
        await using var db = app.OpenDb();
        (await db.Users.AnyAsync(u => u.UserName == "mixed-admin")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_wide_read_only_assignment_does_not_widen_what_another_role_may_write()
    {
        var streets = await StreetsAsync();
        var security = await app.LoginAsync("demo-secadmin");
        var district = (await security.GetJsonAsync("/api/v1/auth/me")).GetProperty("scopes")[0].GetProperty("organizationId").GetGuid();
        await security.PostJsonAsync("/api/v1/users", new
        {
            userName = "reader-writer", displayName = "读写混合", password = "Strong#Pass1",
            roles = new[] { new { role = "GridWorker", organizationId = district }, new { role = "StreetAdmin", organizationId = streets[0] } },
        });
        var client = await app.LoginAsync("reader-writer", "Strong#Pass1");
        // Reads the whole district (grid worker) ...
        (await client.GetAsync($"/api/v1/orgs/{streets[1]}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // ... but writes only where the street administrator role is held.
        await (await client.PutAsJsonAsync($"/api/v1/orgs/{streets[1]}", new { name = "越权改名街道党工委", kind = "StreetWorkingCommittee" })).ProblemAsync(HttpStatusCode.NotFound);
        (await client.PutAsJsonAsync($"/api/v1/orgs/{streets[0]}", new { name = "本街道改名党工委", kind = "StreetWorkingCommittee" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var db = app.OpenDb();
        (await db.Organizations.SingleAsync(o => o.Id == streets[1])).Name.ShouldNotBe("越权改名街道党工委");
        (await db.AuditEntries.AnyAsync(a => a.Action == "access.denied" && a.UserName == "reader-writer" && !a.Success)).ShouldBeTrue();
    }

    [Fact]
    public async Task The_context_refuses_writes_outside_its_scope_even_when_a_caller_skips_the_lookups()
    {
        var streets = await StreetsAsync();
        await using var probe = app.OpenDb();
        var paths = await probe.Organizations.Where(o => streets.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Path);
        await using var db = app.OpenDb();
        db.Scope = DataScope.ForPaths([paths[streets[0]]]);
        var id = Guid.NewGuid();
        db.Organizations.Add(new Organization
        {
            Id = id, Name = "绕过查询直接写入", Kind = OrganizationKind.CommunityCommittee, ParentId = streets[1],
            Path = OrgPath.Child(paths[streets[1]], id), Depth = 2,
        });
        await Should.ThrowAsync<OutOfScopeException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        var other = await db.Organizations.IgnoreQueryFilters().SingleAsync(o => o.Id == streets[1]);
        other.Name = "绕过查询改名";
        await Should.ThrowAsync<OutOfScopeException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        var demoGrid = await db.Users.SingleAsync(u => u.UserName == "demo-grid");
        db.RoleAssignments.Add(new Data.Identity.RoleAssignment { Id = Guid.NewGuid(), UserId = demoGrid.Id, Role = "StreetAdmin", OrganizationId = streets[1] });
        await Should.ThrowAsync<OutOfScopeException>(() => db.SaveChangesAsync());
        await using var check = app.OpenDb();
        (await check.Organizations.AnyAsync(o => o.Id == id || o.Name == "绕过查询改名")).ShouldBeFalse();
    }

    [Fact]
    public async Task An_authorized_update_lets_exactly_the_named_properties_of_that_row_change_outside_the_scope()
    {
        var streets = await StreetsAsync();
        await using var probe = app.OpenDb();
        var paths = await probe.Organizations.Where(o => streets.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Path);
        var community = await probe.Organizations.Where(o => o.Path.StartsWith(paths[streets[1]]) && o.Kind == OrganizationKind.CommunityCommittee).Select(o => o.Id).FirstAsync();
        var ownCommunity = await probe.Organizations.Where(o => o.Path.StartsWith(paths[streets[0]]) && o.Kind == OrganizationKind.CommunityCommittee).Select(o => o.Id).FirstAsync();
        var members = await probe.Members.OrderBy(m => m.Id).Select(m => m.Id).Take(2).ToListAsync();
        var today = TimeProvider.System.Today();
        var rows = members.Select(m => new Domain.Members.DualRegistration
        {
            Id = Guid.NewGuid(), MemberId = m, OrganizationId = community, RegisteredOn = today.AddMonths(-2), CreatedAt = DateTimeOffset.UtcNow,
        }).ToList();
        probe.DualRegistrations.AddRange(rows);
        await probe.SaveChangesAsync();
        await using var db = app.OpenDb();
        db.Scope = DataScope.ForPaths([paths[streets[0]]]);
        async Task<Domain.Members.DualRegistration> Row(int i) => await db.DualRegistrations.IgnoreQueryFilters().SingleAsync(r => r.Id == rows[i].Id);

        // Without the authorization: refused.
        (await Row(0)).EndedOn = today;
        await Should.ThrowAsync<OutOfScopeException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        // Authorized for its end date, another property of the same row changed along: refused.
        var first = await Row(0);
        (first.EndedOn, first.ServiceIntent) = (today, "改写");
        db.AuthorizeUpdate(first, nameof(Domain.Members.DualRegistration.EndedOn));
        await Should.ThrowAsync<OutOfScopeException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        // Authorized for one row, a second row of the same community changed along: refused.
        first = await Row(0);
        first.EndedOn = today;
        db.AuthorizeUpdate(first, nameof(Domain.Members.DualRegistration.EndedOn));
        (await Row(1)).EndedOn = today;
        await Should.ThrowAsync<OutOfScopeException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        // Moving the row (into the caller's own community) is never what it authorizes.
        Should.Throw<ArgumentException>(() => db.AuthorizeUpdate(first, nameof(Domain.Members.DualRegistration.OrganizationId)));
        first = await Row(0);
        first.OrganizationId = ownCommunity;
        db.AuthorizeUpdate(first, nameof(Domain.Members.DualRegistration.EndedOn));
        await Should.ThrowAsync<OutOfScopeException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        // A new row outside the scope is not let through by an authorization either.
        var added = new Domain.Members.DualRegistration { Id = Guid.NewGuid(), MemberId = members[0], OrganizationId = community, RegisteredOn = today, CreatedAt = DateTimeOffset.UtcNow };
        db.DualRegistrations.Add(added);
        db.AuthorizeUpdate(added, nameof(Domain.Members.DualRegistration.EndedOn));
        await Should.ThrowAsync<OutOfScopeException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        // Authorized and only the end date changed: written and audited; the authorization is gone after the save.
        first = await Row(0);
        first.EndedOn = today;
        db.AuthorizeUpdate(first, nameof(Domain.Members.DualRegistration.EndedOn));
        await db.SaveChangesAsync();
        first.EndedOn = today.AddDays(-1);
        await Should.ThrowAsync<OutOfScopeException>(() => db.SaveChangesAsync());
        await using var check = app.OpenDb();
        (await check.DualRegistrations.SingleAsync(r => r.Id == rows[0].Id)).EndedOn.ShouldBe(today);
        (await check.DualRegistrations.SingleAsync(r => r.Id == rows[1].Id)).EndedOn.ShouldBeNull();
        (await check.DualRegistrations.AnyAsync(r => r.Id == added.Id)).ShouldBeFalse();
        (await check.AuditEntries.CountAsync(a => a.EntityId == rows[0].Id.ToString() && a.Action == "update")).ShouldBe(1);
        check.DualRegistrations.RemoveRange(await check.DualRegistrations.Where(r => r.Id == rows[0].Id || r.Id == rows[1].Id).ToListAsync());
        await check.SaveChangesAsync();
    }

    [Fact]
    public async Task An_authorized_move_in_lets_exactly_that_row_leave_an_organization_outside_the_scope()
    {
        var streets = await StreetsAsync();
        await using var probe = app.OpenDb();
        var paths = await probe.Organizations.Where(o => streets.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Path);
        var own = await probe.Organizations.Where(o => o.Path.StartsWith(paths[streets[0]]) && o.Kind == OrganizationKind.GridBranch).Select(o => o.Id).FirstAsync();
        var outside = await probe.Members.Where(m => m.Organization!.Path.StartsWith(paths[streets[1]])).OrderBy(m => m.Id).Select(m => new { m.Id, m.OrganizationId }).Take(2).ToListAsync();
        await using var db = app.OpenDb();
        db.Scope = DataScope.ForPaths([paths[streets[0]]]);
        async Task<Domain.Members.Member> Row(int i) => await db.Members.IgnoreQueryFilters().SingleAsync(m => m.Id == outside[i].Id);

        // Without the authorization: refused.
        (await Row(0)).OrganizationId = own;
        await Should.ThrowAsync<OutOfScopeException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        // Authorized for one row, a second row moved along is still refused.
        var first = await Row(0);
        first.OrganizationId = own;
        db.AuthorizeMoveIn(first);
        (await Row(1)).OrganizationId = own;
        await Should.ThrowAsync<OutOfScopeException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        // Authorized, but its new organization is outside the scope too: refused.
        first = await Row(0);
        first.Name += "测";
        db.AuthorizeMoveIn(first);
        await Should.ThrowAsync<OutOfScopeException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        // Authorized into an organization in scope: written, and audited with its old and new organization.
        first = await Row(0);
        first.OrganizationId = own;
        db.AuthorizeMoveIn(first);
        await db.SaveChangesAsync();
        await using var check = app.OpenDb();
        (await check.Members.SingleAsync(m => m.Id == outside[0].Id)).OrganizationId.ShouldBe(own);
        (await check.Members.SingleAsync(m => m.Id == outside[1].Id)).OrganizationId.ShouldBe(outside[1].OrganizationId);
        (await check.AuditEntries.Where(a => a.EntityId == outside[0].Id.ToString()).OrderByDescending(a => a.Sequence).FirstAsync()).Changes!
            .ShouldContain(outside[0].OrganizationId.ToString());
    }

    [Fact]
    public async Task Concurrent_moves_never_leave_a_cycle_or_a_stale_path()
    {
        var client = await app.LoginAsync("demo-district");
        var streets = await StreetsAsync();
        var a = (await client.PostJsonAsync("/api/v1/orgs", new { name = "并发A党总支", kind = "GeneralBranch", parentId = streets[2] }, HttpStatusCode.Created)).Id();
        var b = (await client.PostJsonAsync("/api/v1/orgs", new { name = "并发B党总支", kind = "GeneralBranch", parentId = streets[2] }, HttpStatusCode.Created)).Id();
        for (var round = 0; round < 5; round++)
        {
            var c1 = await app.LoginAsync("demo-district");
            var c2 = await app.LoginAsync("demo-district");
            await Task.WhenAll(
                c1.PostAsJsonAsync($"/api/v1/orgs/{a}/move", new { newParentId = b }),
                c2.PostAsJsonAsync($"/api/v1/orgs/{b}/move", new { newParentId = a }),
                c1.PostAsJsonAsync("/api/v1/orgs", new { name = $"并发子组织{round}", kind = "Branch", parentId = a }));
            // Put them back side by side for the next round (one of them may sit under the other).
            await client.PostAsJsonAsync($"/api/v1/orgs/{a}/move", new { newParentId = streets[2] });
            await client.PostAsJsonAsync($"/api/v1/orgs/{b}/move", new { newParentId = streets[2] });
        }
        await using var db = app.OpenDb();
        var all = await db.Organizations.AsNoTracking().ToDictionaryAsync(o => o.Id);
        foreach (var o in all.Values)
        {
            if (o.ParentId is not { } p) { o.Path.ShouldBe(OrgPath.Root(o.Id)); continue; }
            o.Path.ShouldBe(OrgPath.Child(all[p].Path, o.Id), $"{o.Name} has a stale path");
            o.Depth.ShouldBe(all[p].Depth + 1);
        }
    }
}
