using Stopwatch = System.Diagnostics.Stopwatch;
using Jiceng.Data;
using Jiceng.Data.Protection;
using Jiceng.Domain.Cases;
using Jiceng.Domain.Dues;
using Jiceng.Domain.Grids;
using Jiceng.Domain.Members;
using Jiceng.Domain.OrganizationalLife;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Dues;
using Jiceng.Web.Features.OrganizationalLife;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Bench;

/// <summary>
/// The loader's phases after the organizations and members: grids, households and cases; dues; organizational life.
/// Each phase looks at its own table first and reuses what is there, so a second run (or a run after a new phase was
/// added) loads only what is missing. Large tables are fed by one generator into a <see cref="StreamSet"/> (on
/// PostgreSQL parallel binary COPY streams, one connection and transaction per table; on SQLite one transaction),
/// committed together at the end; the loads skip the foreign-key checks (session_replication_role = replica, as
/// pg_restore does; foreign_keys=OFF on SQLite), so a table can be filled before the rows it refers to are committed,
/// and the phase then checks that no row points at a missing one.
/// </summary>
public static partial class Loader
{
    private sealed class World(JicengDbContext db, BulkTarget target, Options o, Dictionary<string, object?> stats)
    {
        public JicengDbContext Db { get; } = db;
        public BulkTarget Target { get; } = target;
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

        /// <summary>True when the phase's table already holds rows (then it is reused), after noting it in the statistics.</summary>
        public async Task<bool> ReuseAsync<T>(string phase, CancellationToken ct) where T : class
        {
            var n = await Target.CountAsync<T>(ct);
            if (n == 0) return false;
            Console.WriteLine($"{phase}: reusing {n} rows of {Target.Table<T>()}");
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

    // ---------------------------------------------------------------- grids, households, cases

    private static async Task LoadCasesAsync(World w, CancellationToken ct)
    {
        if (await w.ReuseAsync<Case>("cases", ct)) return;
        if (await w.Target.CountAsync<Grid>(ct) > 0)
        {
            // An earlier load stopped while streaming the cases (their transactions rolled back): start the group again.
            Console.WriteLine("cases: grids without cases (an interrupted load): emptying the group to load it again");
            await w.Target.EmptyAsync(ct, typeof(Household), typeof(Building), typeof(GridStaff), typeof(Grid), typeof(DepartmentHandler), typeof(Department));
        }
        var step = Stopwatch.StartNew();
        var orgs = await w.OrgsAsync(ct);
        var data = new CityData(w.Options.Scale, w.Now, w.Protector);
        var grids = data.Grids(orgs);
        var rows = new Dictionary<string, long>();
        var dept = await w.AccountAsync("demo-dept", ct);
        await using (var tx = await w.Db.Database.BeginTransactionAsync(ct))
        {
            if (w.Target is PostgresTarget) await w.Target.ExecAsync("SET LOCAL session_replication_role = replica", ct);
            rows["departments"] = await w.Target.CopyAsync(grids.Departments, ct);
            rows["grids"] = await w.Target.CopyAsync(grids.Grids, ct);
            rows["grid_staff"] = await w.Target.CopyAsync(grids.Staff, ct);
            rows["buildings"] = await w.Target.CopyAsync(grids.Buildings, ct);
            rows["households"] = await w.Target.CopyAsync(grids.Households, ct);
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
        await using var streams = await w.Target.StreamsAsync(failed, ct);
        var cases = await streams.TableAsync<Case>(ct);
        var events = await streams.TableAsync<CaseEvent>(ct);
        var dispatches = await streams.TableAsync<CaseDispatch>(ct);
        foreach (var r in data.Cases(grids))
        {
            cases.Add(r.Case);
            foreach (var e in r.Events) events.Add(e);
            if (r.Dispatch is { } d) dispatches.Add(d);
        }
        rows["cases"] = await cases.CompleteAsync();
        rows["case_events"] = await events.CompleteAsync();
        rows["case_dispatches"] = await dispatches.CompleteAsync();
        await streams.CommitAsync(ct);
        await w.Target.CheckOrphansAsync<Household, Grid>(nameof(Household.GridId), ct);
        await w.Target.CheckOrphansAsync<Case, Grid>(nameof(Case.GridId), ct);
        await w.Target.CheckOrphansAsync<CaseEvent, Case>(nameof(CaseEvent.CaseId), ct);
        await w.Target.CheckOrphansAsync<CaseDispatch, Case>(nameof(CaseDispatch.CaseId), ct);
        await w.Target.AnalyzeAsync(ct, typeof(Department), typeof(Grid), typeof(GridStaff), typeof(Building), typeof(Household), typeof(Case), typeof(CaseEvent), typeof(CaseDispatch));
        w.Done("cases", step, rows);
    }

    /// <summary>The rates' month counts, from the copied cases (COPY does not go through SaveChanges, which writes them
    /// for entered cases): the app's own rebuild, so the counts are what the app would have written.</summary>
    private static async Task LoadCaseCountsAsync(World w, CancellationToken ct)
    {
        if (await w.ReuseAsync<Jiceng.Domain.Cases.CaseCountMonth>("caseCounts", ct)) return;
        var step = Stopwatch.StartNew();
        var months = await Jiceng.Web.Features.Cases.CaseCountStore.RebuildAsync(w.Db, ct);
        await w.Target.AnalyzeAsync(ct, typeof(Jiceng.Domain.Cases.CaseCountMonth));
        w.Done("caseCounts", step, new() { ["case_count_months"] = months });
    }

    // ---------------------------------------------------------------- dues

    private static async Task LoadDuesAsync(World w, CancellationToken ct)
    {
        if (await w.ReuseAsync<DuesBase>("dues", ct)) return;
        var step = Stopwatch.StartNew();
        var members = await w.MembersAsync(ct);
        var demoMember = (await w.AccountAsync("demo-member", ct)).MemberId;
        var (bases, payments, months) = DuesDemo.Generate(members, demoMember, w.Now);
        var rows = new Dictionary<string, long>();
        await using (var tx = await w.Db.Database.BeginTransactionAsync(ct))
        {
            rows["dues_bases"] = await w.Target.CopyAsync(bases, ct);
            rows["dues_payments"] = await w.Target.CopyAsync(payments, ct);
            rows["dues_payment_months"] = await w.Target.CopyAsync(months, ct);
            await tx.CommitAsync(ct);
        }
        await w.Target.AnalyzeAsync(ct, typeof(DuesBase), typeof(DuesPayment), typeof(DuesPaymentMonth));
        w.Done("dues", step, rows);
    }

    // ---------------------------------------------------------------- organizational life

    private static async Task LoadOrgLifeAsync(World w, CancellationToken ct)
    {
        if (await w.ReuseAsync<Activity>("orgLife", ct)) return;
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
        await using (var streams = await w.Target.StreamsAsync(failed, ct))
        {
            var activities = await streams.TableAsync<Activity>(ct);
            var attendance = await streams.TableAsync<ActivityAttendance>(ct);
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
            await streams.CommitAsync(ct);
        }
        await using (var tx = await w.Db.Database.BeginTransactionAsync(ct))
        {
            rows["committee_seats"] = await w.Target.CopyAsync(seats, ct);
            rows["absence_streaks"] = await w.Target.CopyAsync(streaks, ct);
            await tx.CommitAsync(ct);
        }
        await w.Target.CheckOrphansAsync<ActivityAttendance, Activity>(nameof(ActivityAttendance.ActivityId), ct);
        await w.Target.AnalyzeAsync(ct, typeof(Activity), typeof(ActivityAttendance), typeof(CommitteeSeat), typeof(AbsenceStreak));
        w.Done("orgLife", step, rows);
    }
}
