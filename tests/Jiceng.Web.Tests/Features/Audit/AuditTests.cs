#pragma warning disable EF1002 // table and column names are constants; the test tampers on purpose
using System.Net;
using System.Net.Http.Json;
using Jiceng.Web.Infrastructure;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Tests.Features.Audit;

public sealed class AuditTests_Sqlite(SqliteApp app) : AuditTests(app), IClassFixture<SqliteApp>;

public sealed class AuditTests_Postgres(PostgresApp app) : AuditTests(app), IClassFixture<PostgresApp>;

public abstract class AuditTests(JicengApp app)
{
    [Fact]
    public async Task The_auditor_reads_and_filters_the_log()
    {
        await app.LoginAsync("demo-grid");
        var auditor = await app.LoginAsync("demo-auditor");
        var page = await auditor.GetJsonAsync("/api/v1/audit?user=demo-grid&action=login.success&pageSize=5");
        page.GetProperty("total").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
        page.GetProperty("pageSize").GetInt32().ShouldBe(5);
        var item = page.GetProperty("items")[0];
        item.GetProperty("actionName").GetString().ShouldBe("登录成功");
        item.GetProperty("roles").GetString().ShouldBe("GridWorker");
        item.GetProperty("hash").GetString()!.Length.ShouldBe(64);
        var bad = await (await auditor.GetAsync("/api/v1/audit?pageSize=100000")).ProblemAsync(HttpStatusCode.BadRequest);
        bad.FieldError("pageSize").ShouldContain("200");
    }

    [Fact]
    public async Task Verify_finds_the_first_edited_or_deleted_record()
    {
        // Its own app: this test tampers with the table.
        await using var own = app.Database == TestDatabase.Sqlite ? (JicengApp)new SqliteApp() : new PostgresApp();
        await own.InitializeAsync();
        var district = await own.LoginAsync("demo-district");
        var streets = (await district.GetJsonAsync("/api/v1/orgs/tree?depth=1"))[0].GetProperty("children");
        for (var i = 0; i < 3; i++)
            await district.PostJsonAsync("/api/v1/orgs", new { name = $"审计链测试{i}", kind = "CommunityCommittee", parentId = streets[0].Id() }, HttpStatusCode.Created);

        var auditor = await own.LoginAsync("demo-auditor");
        var intact = await auditor.GetJsonAsync("/api/v1/audit/verify");
        intact.GetProperty("intact").GetBoolean().ShouldBeTrue();
        (await Cli.RunAsync(own.Services, ["audit", "verify"])).ShouldBe(0);

        long target;
        short lane;
        await using (var db = own.OpenDb())
        {
            var first = await db.AuditEntries.Where(a => a.Action == "create" && a.EntityType == "Organization")
                .OrderBy(a => a.At).ThenBy(a => a.Sequence).Select(a => new { a.Lane, a.Sequence }).FirstAsync();
            (target, lane) = (first.Sequence, first.Lane);
            target.ShouldBeGreaterThan(1);
            var table = db.IsPostgres ? "audit_entries" : "\"AuditEntries\"";
            var changes = db.IsPostgres ? "changes" : "\"Changes\"";
            var at = db.IsPostgres ? $"sequence = {target} AND lane = {lane}" : $"\"Sequence\" = {target} AND \"Lane\" = {lane}";
            // The database refuses edits of the log ...
            await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync($"UPDATE {table} SET {changes} = 'tampered' WHERE {at}"));
            await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync($"DELETE FROM {table} WHERE {at}"));
            // ... so the tampering below is what someone with the database owner's rights could still do.
            if (db.IsPostgres) await db.Database.ExecuteSqlRawAsync("ALTER TABLE audit_entries DISABLE TRIGGER USER");
            else
            {
                await db.Database.ExecuteSqlRawAsync("DROP TRIGGER audit_entries_no_update");
                await db.Database.ExecuteSqlRawAsync("DROP TRIGGER audit_entries_no_delete");
            }
            (await db.Database.ExecuteSqlRawAsync($"UPDATE {table} SET {changes} = 'tampered' WHERE {at}")).ShouldBe(1);
        }
        var broken = await auditor.GetJsonAsync("/api/v1/audit/verify");
        broken.GetProperty("intact").GetBoolean().ShouldBeFalse();
        broken.GetProperty("firstBrokenSequence").GetInt64().ShouldBe(target);
        broken.GetProperty("lane").GetInt32().ShouldBe(lane);
        broken.GetProperty("problem").GetString().ShouldNotBeNull().ShouldContain("篡改");
        (await Cli.RunAsync(own.Services, ["audit", "verify"])).ShouldBe(1);

        // Deleting a record (and re-pointing nothing) is caught as a gap.
        await using (var db = own.OpenDb())
        {
            var table = db.IsPostgres ? "audit_entries" : "\"AuditEntries\"";
            var at = db.IsPostgres ? $"sequence = {target - 1} AND lane = {lane}" : $"\"Sequence\" = {target - 1} AND \"Lane\" = {lane}";
            await db.Database.ExecuteSqlRawAsync($"DELETE FROM {table} WHERE {at}");
        }
        var gap = await auditor.GetJsonAsync("/api/v1/audit/verify");
        gap.GetProperty("firstBrokenSequence").GetInt64().ShouldBe(target - 1);
        gap.GetProperty("problem").GetString().ShouldNotBeNull().ShouldContain("删除");
    }

    [Fact]
    public async Task Concurrent_writers_extend_separate_lanes_and_every_lane_verifies()
    {
        // Its own app, so the lanes counted are this test's.
        await using var own = app.Database == TestDatabase.Sqlite ? (JicengApp)new SqliteApp() : new PostgresApp();
        await own.InitializeAsync();
        var writers = own.Database == TestDatabase.Postgres ? 12 : 3;
        var held = 0;
        var allHold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task WriteAsync(int i)
        {
            await using var db = own.OpenDb();
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Audit("lane.test", "LaneTest", i.ToString());
            await db.SaveChangesAsync();
            // PostgreSQL: every writer holds its lane until all of them have written, which one shared lock could not allow.
            if (Interlocked.Increment(ref held) == writers) allHold.SetResult();
            if (db.IsPostgres) await allHold.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await tx.CommitAsync();
        }
        if (own.Database == TestDatabase.Postgres) await Task.WhenAll(Enumerable.Range(0, writers).Select(WriteAsync));
        else for (var i = 0; i < writers; i++) await WriteAsync(i); // one writer at a time: lane 0

        await using (var db = own.OpenDb())
        {
            var lanes = await db.AuditEntries.Where(a => a.Action == "lane.test").Select(a => a.Lane).ToListAsync();
            lanes.Count.ShouldBe(writers);
            lanes.ShouldAllBe(l => l >= 0 && l < Jiceng.Data.Audit.AuditLanes.Count);
            if (db.IsPostgres) lanes.Distinct().Count().ShouldBe(writers);
            else lanes.ShouldAllBe(l => l == 0);
            // Within each lane, sequences run from 1 without gaps.
            foreach (var lane in (await db.AuditEntries.Select(a => new { a.Lane, a.Sequence }).ToListAsync()).GroupBy(a => a.Lane))
                lane.Select(a => a.Sequence).Order().ShouldBe(Enumerable.Range(1, lane.Count()).Select(n => (long)n));
        }
        var auditor = await own.LoginAsync("demo-auditor");
        var verified = await auditor.GetJsonAsync("/api/v1/audit/verify");
        verified.GetProperty("intact").GetBoolean().ShouldBeTrue();
        verified.GetProperty("checked").GetInt64().ShouldBeGreaterThan(writers);
    }

    [Fact]
    public async Task No_role_can_delete_or_edit_the_log_through_the_api()
    {
        var auditor = await app.LoginAsync("demo-auditor");
        (await auditor.DeleteAsync("/api/v1/audit")).StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        (await auditor.PutAsJsonAsync("/api/v1/audit/1", new { })).StatusCode.ShouldBeOneOf(HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed);
    }
}
