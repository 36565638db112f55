using Jiceng.Data;
using Jiceng.Data.Scope;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jiceng.Web.Tests.Storage;

public sealed class ContextPoolTests_Sqlite(SqliteApp app) : ContextPoolTests(app), IClassFixture<SqliteApp>;

public sealed class ContextPoolTests_Postgres(PostgresApp app) : ContextPoolTests(app), IClassFixture<PostgresApp>;

/// <summary>Contexts are pooled (ADR 006): whatever one user of a context left on it must not reach the next.</summary>
public abstract class ContextPoolTests(JicengApp app)
{
    private IDbContextFactory<JicengDbContext> Factory => app.Services.GetRequiredService<IDbContextFactory<JicengDbContext>>();

    [Fact]
    public async Task A_leased_context_is_reused_and_starts_like_a_new_one()
    {
        Organization street;
        int allMembers;
        await using (var db = app.OpenDb())
        {
            street = await db.Organizations.FirstAsync(o => o.Kind == OrganizationKind.StreetWorkingCommittee);
            allMembers = await db.Members.CountAsync();
        }
        var marker = "pool-" + Guid.NewGuid().ToString("N");

        JicengDbContext first;
        await using (first = await Factory.CreateDbContextAsync())
        {
            first.Scope = DataScope.Unrestricted;
            first.Actor = new AuditActor("u-pool", "pool-user", "StreetStaff", "10.0.0.1");
            first.BulkLoad = true;
            (await first.ReadableMembersAsync(CancellationToken.None)).ShouldNotBeNull(); // caches "reads the whole tree"
            first.Audit("pool.leftover", "Test", marker); // queued, never saved
            first.Organizations.Local.ShouldBeEmpty();
        }

        var reused = false;
        for (var i = 0; i < 5 && !reused; i++)
        {
            await using var next = await Factory.CreateDbContextAsync();
            reused = ReferenceEquals(next, first);
            next.Scope.ShouldBe(DataScope.None);
            next.Actor.ShouldBe(AuditActor.System);
            next.BulkLoad.ShouldBeFalse();
            (await next.Organizations.CountAsync()).ShouldBe(0); // no scope, no rows
            next.Scope = DataScope.ForPaths([street.Path]);
            var members = await next.ReadableMembersAsync(CancellationToken.None);
            var streetMembers = await next.Members.CountAsync();
            streetMembers.ShouldBeLessThan(allMembers);
            (await members.CountAsync()).ShouldBe(streetMembers); // the scope filter applies again, not the cached whole tree
            // Saving something on the reused context writes only its own audit record, not the one left queued.
            next.Scope = DataScope.Unrestricted;
            next.Audit("pool.check", "Test", marker + "-" + i);
            await next.SaveChangesAsync();
        }
        reused.ShouldBeTrue("the factory should hand the released context out again");

        await using var check = app.OpenDb();
        (await check.AuditEntries.CountAsync(a => a.EntityId == marker)).ShouldBe(0);
        (await check.AuditEntries.CountAsync(a => a.EntityId!.StartsWith(marker + "-"))).ShouldBeGreaterThan(0);
        (await check.AuditEntries.Where(a => a.EntityId!.StartsWith(marker + "-")).Select(a => a.UserName).Distinct().ToListAsync())
            .ShouldBe(["system"]);
    }
}
