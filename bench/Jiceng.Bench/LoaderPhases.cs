using System.Collections.Concurrent;
using Stopwatch = System.Diagnostics.Stopwatch;
using Jiceng.Data;
using Jiceng.Data.Protection;
using Jiceng.Domain.Cases;
using Jiceng.Domain.Members;
using Jiceng.Domain.OrganizationalLife;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Dues;
using Jiceng.Web.Features.OrganizationalLife;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Jiceng.Bench;

/// <summary>
/// The loader's phases after the organizations and members: grids, households and cases; dues; organizational life.
/// Each phase looks at its own table first and reuses what is there, so a second run (or a run after a new phase was
/// added) loads only what is missing. Large tables are fed by one generator into parallel binary COPY streams, one
/// connection and transaction per table, committed together at the end; those connections skip the foreign-key
/// triggers (session_replication_role = replica, as pg_restore does), so a table can be filled before the rows it
/// refers to are committed, and the phase then checks that no row points at a missing one.
/// </summary>
public static partial class Loader
{
    private sealed class World(JicengDbContext db, Options o, Dictionary<string, object?> stats)
    {
        public JicengDbContext Db { get; } = db;
        public Options Options { get; } = o;
        public Dictionary<string, object?> Stats { get; } = stats;
        public FieldProtector Protector { get; } = new(o.ProtectionKey);
        public DateTimeOffset Now { get; } = TimeProvider.System.GetUtcNow();
        private List<Organization>? _orgs;
        private List<Member>? _members;

        public async Task<List<Organization>> OrgsAsync(CancellationToken ct) =>
            _orgs ??= await Db.Organizations.IgnoreQueryFilters().AsNoTracking().OrderBy(x => x.Path).ToListAsync(ct);

        public async Task<List<Member>> MembersAsync(CancellationToken ct) =>
            _members ??= await Db.Members.IgnoreQueryFilters().AsNoTracking().OrderBy(m => m.Id).ToListAsync(ct);

        public async Task<(string UserId, Guid OrganizationId, Guid? MemberId)> AccountAsync(string userName, CancellationToken ct)
        {
            var a = await Db.Users.Where(u => u.UserName == userName)
                .Join(Db.RoleAssignments.IgnoreQueryFilters(), u => u.Id, r => r.UserId, (u, r) => new { u.Id, r.OrganizationId, u.MemberId }).FirstAsync(ct);
            return (a.Id, a.OrganizationId, a.MemberId);
        }

        public async Task<long> CountAsync(string table, CancellationToken ct)
        {
            var conn = (NpgsqlConnection)Db.Database.GetDbConnection();
            if (conn.State != System.Data.ConnectionState.Open) await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\"", conn) { CommandTimeout = 0 };
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
        }

        public async Task ExecAsync(string sql, CancellationToken ct)
        {
            var conn = (NpgsqlConnection)Db.Database.GetDbConnection();
            if (conn.State != System.Data.ConnectionState.Open) await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
            await cmd.ExecuteNonQueryAsync(ct);
        }

        /// <summary>True when the phase's table already holds rows (then it is reused), after noting it in the statistics.</summary>
        public async Task<bool> ReuseAsync(string phase, string table, CancellationToken ct)
        {
            var n = await CountAsync(table, ct);
            if (n == 0) return false;
            Console.WriteLine($"{phase}: reusing {n} rows of {table}");
            Stats[$"{phase}.reused"] = true;
            return true;
        }

        public void Done(string phase, Stopwatch step, Dictionary<string, long> rows)
        {
            Stats[$"{phase}.reused"] = false;
            Stats[$"{phase}.seconds"] = Round(step.Elapsed.TotalSeconds);
            foreach (var (table, n) in rows) Stats[$"{phase}.rows.{table}"] = n;
            Console.WriteLine($"{phase}: {string.Join(", ", rows.Select(r => $"{r.Value} {r.Key}"))} in {step.Elapsed.TotalSeconds:F1} s");
        }
    }

    /// <summary>One table's binary COPY on its own connection and transaction, fed from a bounded queue.</summary>
    private sealed class CopyStream<T> : IAsyncDisposable where T : class
    {
        private readonly BlockingCollection<T> _queue = new(20_000);
        private readonly NpgsqlConnection _conn;
        private readonly NpgsqlTransaction _tx;
        private readonly Task<long> _copy;
        private readonly CancellationTokenSource _failed;

        private CopyStream(DbContext db, NpgsqlConnection conn, NpgsqlTransaction tx, CancellationTokenSource failed)
        {
            (_conn, _tx, _failed) = (conn, tx, failed);
            _copy = Task.Run(async () =>
            {
                try { return await BulkCopy.CopyAsync(db, conn, _queue.GetConsumingEnumerable(), rebuildIndexes: true); }
                catch { failed.Cancel(); throw; }
            });
        }

        public static async Task<CopyStream<T>> StartAsync(DbContext db, string connection, CancellationTokenSource failed, CancellationToken ct)
        {
            var conn = new NpgsqlConnection(connection);
            await conn.OpenAsync(ct);
            var tx = await conn.BeginTransactionAsync(ct);
            await using (var cmd = new NpgsqlCommand("SET LOCAL session_replication_role = replica; SET LOCAL maintenance_work_mem = '256MB'", conn, tx))
                await cmd.ExecuteNonQueryAsync(ct);
            return new CopyStream<T>(db, conn, tx, failed);
        }

        public void Add(T row) => _queue.Add(row, _failed.Token);

        public async Task<long> CompleteAsync() { _queue.CompleteAdding(); return await _copy; }

        public Task CommitAsync(CancellationToken ct) => _tx.CommitAsync(ct);

        public async ValueTask DisposeAsync()
        {
            _queue.CompleteAdding();
            try { await _copy; } catch { /* reported by CompleteAsync */ }
            await _tx.DisposeAsync();
            await _conn.DisposeAsync();
            _queue.Dispose();
        }
    }

    private static string ConnectionFor(World w) => new NpgsqlConnectionStringBuilder(w.Options.Connection) { CommandTimeout = 0, Pooling = false }.ConnectionString;

    /// <summary>Rows of <paramref name="table"/> whose <paramref name="column"/> points at no row of the parent (must be 0).</summary>
    private static async Task CheckOrphansAsync(World w, string table, string column, string parent, CancellationToken ct)
    {
        var conn = (NpgsqlConnection)w.Db.Database.GetDbConnection();
        if (conn.State != System.Data.ConnectionState.Open) await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(
            $"SELECT count(*) FROM \"{table}\" t WHERE t.\"{column}\" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \"{parent}\" p WHERE p.id = t.\"{column}\")", conn) { CommandTimeout = 0 };
        var orphans = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
        if (orphans != 0) throw new InvalidOperationException($"{orphans} rows of {table}.{column} point at no row of {parent}");
    }

    // ---------------------------------------------------------------- grids, households, cases

    private static async Task LoadCasesAsync(World w, CancellationToken ct)
    {
        if (await w.ReuseAsync("cases", "Cases", ct)) return;
        if (await w.CountAsync("grids", ct) > 0)
        {
            // An earlier load stopped while streaming the cases (their transactions rolled back): start the group again.
            // CASCADE empties the tables that refer to these, all empty without cases in a benchmark database.
            Console.WriteLine("cases: grids without cases (an interrupted load): emptying the group to load it again");
            await w.ExecAsync("TRUNCATE departments, \"DepartmentHandlers\", grids, grid_staff, buildings, households CASCADE", ct);
        }
        var step = Stopwatch.StartNew();
        var orgs = await w.OrgsAsync(ct);
        var data = new CityData(w.Options.Scale, w.Now, w.Protector);
        var grids = data.Grids(orgs);
        var rows = new Dictionary<string, long>();
        var dept = await w.AccountAsync("demo-dept", ct);
        await using (var tx = await w.Db.Database.BeginTransactionAsync(ct))
        {
            var conn = (NpgsqlConnection)w.Db.Database.GetDbConnection();
            await w.ExecAsync("SET LOCAL session_replication_role = replica", ct);
            rows["departments"] = await BulkCopy.CopyAsync(w.Db, conn, grids.Departments, rebuildIndexes: true, ct);
            rows["grids"] = await BulkCopy.CopyAsync(w.Db, conn, grids.Grids, rebuildIndexes: true, ct);
            rows["grid_staff"] = await BulkCopy.CopyAsync(w.Db, conn, grids.Staff, rebuildIndexes: true, ct);
            rows["buildings"] = await BulkCopy.CopyAsync(w.Db, conn, grids.Buildings, rebuildIndexes: true, ct);
            rows["households"] = await BulkCopy.CopyAsync(w.Db, conn, grids.Households, rebuildIndexes: true, ct);
            // demo-dept handles for the first street's 城管执法中队, as in the demo district.
            w.Db.DepartmentHandlers.Add(new DepartmentHandler
            {
                Id = Guid.CreateVersion7(w.Now), UserId = dept.UserId,
                DepartmentId = grids.Departments.First(d => d.OrganizationId == dept.OrganizationId).Id,
            });
            await w.Db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        Console.WriteLine($"cases: grids and households in {step.Elapsed.TotalSeconds:F1} s");

        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await using var cases = await CopyStream<Case>.StartAsync(w.Db, ConnectionFor(w), failed, ct);
        await using var events = await CopyStream<CaseEvent>.StartAsync(w.Db, ConnectionFor(w), failed, ct);
        await using var dispatches = await CopyStream<CaseDispatch>.StartAsync(w.Db, ConnectionFor(w), failed, ct);
        foreach (var r in data.Cases(grids))
        {
            cases.Add(r.Case);
            foreach (var e in r.Events) events.Add(e);
            if (r.Dispatch is { } d) dispatches.Add(d);
        }
        rows["cases"] = await cases.CompleteAsync();
        rows["case_events"] = await events.CompleteAsync();
        rows["case_dispatches"] = await dispatches.CompleteAsync();
        await cases.CommitAsync(ct);
        await events.CommitAsync(ct);
        await dispatches.CommitAsync(ct);
        await CheckOrphansAsync(w, "households", "grid_id", "grids", ct);
        await CheckOrphansAsync(w, "Cases", "grid_id", "grids", ct);
        await CheckOrphansAsync(w, "case_events", "case_id", "Cases", ct);
        await CheckOrphansAsync(w, "case_dispatches", "case_id", "Cases", ct);
        await w.ExecAsync("VACUUM (ANALYZE) departments, grids, grid_staff, buildings, households, \"Cases\", case_events, case_dispatches", ct);
        w.Done("cases", step, rows);
    }

    /// <summary>The rates' month counts, from the copied cases (COPY does not go through SaveChanges, which writes them
    /// for entered cases): the app's own rebuild, so the counts are what the app would have written.</summary>
    private static async Task LoadCaseCountsAsync(World w, CancellationToken ct)
    {
        if (await w.ReuseAsync("caseCounts", "case_count_months", ct)) return;
        var step = Stopwatch.StartNew();
        var months = await Jiceng.Web.Features.Cases.CaseCountStore.RebuildAsync(w.Db, ct);
        await w.ExecAsync("VACUUM (ANALYZE) case_count_months", ct);
        w.Done("caseCounts", step, new() { ["case_count_months"] = months });
    }

    // ---------------------------------------------------------------- dues

    private static async Task LoadDuesAsync(World w, CancellationToken ct)
    {
        if (await w.ReuseAsync("dues", "dues_bases", ct)) return;
        var step = Stopwatch.StartNew();
        var members = await w.MembersAsync(ct);
        var demoMember = (await w.AccountAsync("demo-member", ct)).MemberId;
        var (bases, payments, months) = DuesDemo.Generate(members, demoMember, w.Now);
        var rows = new Dictionary<string, long>();
        await using (var tx = await w.Db.Database.BeginTransactionAsync(ct))
        {
            var conn = (NpgsqlConnection)w.Db.Database.GetDbConnection();
            rows["dues_bases"] = await BulkCopy.CopyAsync(w.Db, conn, bases, rebuildIndexes: true, ct);
            rows["dues_payments"] = await BulkCopy.CopyAsync(w.Db, conn, payments, rebuildIndexes: true, ct);
            rows["dues_payment_months"] = await BulkCopy.CopyAsync(w.Db, conn, months, rebuildIndexes: true, ct);
            await tx.CommitAsync(ct);
        }
        await w.ExecAsync("VACUUM (ANALYZE) dues_bases, dues_payments, dues_payment_months", ct);
        w.Done("dues", step, rows);
    }

    // ---------------------------------------------------------------- organizational life

    private static async Task LoadOrgLifeAsync(World w, CancellationToken ct)
    {
        if (await w.ReuseAsync("orgLife", "activities", ct)) return;
        var step = Stopwatch.StartNew();
        var orgs = await w.OrgsAsync(ct);
        var members = await w.MembersAsync(ct);
        var demoMemberOrg = (await w.AccountAsync("demo-member", ct)).OrganizationId;
        var today = ChinaDate.Of(w.Now);
        // As the demo district, from the start of the quarter a year ago, but for every branch of the city.
        var from = LifePeriods.Of(today.AddYears(-1), 4).Start;
        var seats = new List<CommitteeSeat>();
        var streaks = new List<AbsenceStreak>();
        var rows = new Dictionary<string, long>();
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await using (var activities = await CopyStream<Activity>.StartAsync(w.Db, ConnectionFor(w), failed, ct))
        await using (var attendance = await CopyStream<ActivityAttendance>.StartAsync(w.Db, ConnectionFor(w), failed, ct))
        {
            foreach (var unit in DemoOrgLife.Generate(orgs, members, from, today, _ => true, demoMemberOrg))
            {
                foreach (var a in unit.Activities)
                {
                    activities.Add(a);
                    foreach (var x in a.Attendance) attendance.Add(x);
                }
                seats.AddRange(unit.Seats);
                streaks.AddRange(unit.Streaks);
            }
            rows["activities"] = await activities.CompleteAsync();
            rows["activity_attendance"] = await attendance.CompleteAsync();
            await activities.CommitAsync(ct);
            await attendance.CommitAsync(ct);
        }
        await using (var tx = await w.Db.Database.BeginTransactionAsync(ct))
        {
            var conn = (NpgsqlConnection)w.Db.Database.GetDbConnection();
            rows["committee_seats"] = await BulkCopy.CopyAsync(w.Db, conn, seats, rebuildIndexes: true, ct);
            rows["absence_streaks"] = await BulkCopy.CopyAsync(w.Db, conn, streaks, rebuildIndexes: true, ct);
            await tx.CommitAsync(ct);
        }
        await CheckOrphansAsync(w, "activity_attendance", "activity_id", "activities", ct);
        await w.ExecAsync("VACUUM (ANALYZE) activities, activity_attendance, committee_seats, absence_streaks", ct);
        w.Done("orgLife", step, rows);
    }
}
