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

/// <summary>Prepared statements on PostgreSQL are planned for their parameters every time (ADR 006): a generic plan cannot
/// know how many organizations a path prefix holds.</summary>
public sealed class StatementCacheTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    [Fact]
    public async Task The_app_prepares_statements_and_plans_each_execution_for_its_parameters()
    {
        await using var db = app.OpenDb();
        (await db.Database.SqlQuery<string>($"SELECT current_setting('plan_cache_mode') AS \"Value\"").SingleAsync()).ShouldBe("force_custom_plan");
        var used = new Npgsql.NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
        used.MaxAutoPrepare.ShouldBe(64);
    }

    [Theory]
    [InlineData("Host=h;Database=d;Max Auto Prepare=0")]
    [InlineData("Host=h;Database=d;Options=-c plan_cache_mode=auto")]
    public void A_connection_string_that_sets_preparation_itself_is_left_as_it_is(string connectionString) =>
        JicengDatabase.WithStatementCache(connectionString).ShouldBe(connectionString);

    [Fact]
    public void Other_options_are_kept()
    {
        var result = new Npgsql.NpgsqlConnectionStringBuilder(JicengDatabase.WithStatementCache("Host=h;Database=d;Options=-c statement_timeout=5000"));
        result.Options.ShouldBe("-c statement_timeout=5000 -c plan_cache_mode=force_custom_plan");
        result.MaxAutoPrepare.ShouldBe(64);
    }
}
