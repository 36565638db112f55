using Jiceng.Web.Infrastructure;
using Jiceng.Data;
using Jiceng.Data.Scope;
using Jiceng.Domain.Cases;
using Jiceng.Domain.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Cases;

/// <summary>
/// The counts behind the rates (<see cref="CaseCountRow"/>): whole months come from the month rows and their pending
/// deltas (a few rows per organization and month), the days of a period outside whole months from the cases themselves.
/// Either way the same definitions (<see cref="CaseRates"/>), so a period's counts do not depend on how it is cut.
/// </summary>
public static class CaseCountStore
{
    /// <summary>Counts of the cases received in [from, to] (China dates) by the organizations of the subtree at <paramref name="path"/>.</summary>
    public static async Task<CaseCounts> CountAsync(JicengDbContext db, string path, DateOnly from, DateOnly to, CancellationToken ct)
    {
        // One snapshot for every part: a compaction committing between reading the months and reading the deltas would
        // otherwise count its deltas twice or not at all.
        if (db.Database.CurrentTransaction is not null) return await CountInSnapshotAsync(db, path, from, to, ct);
        await using var snapshot = await db.BeginReadSnapshotAsync(ct);
        return await CountInSnapshotAsync(db, path, from, to, ct);
    }

    private static async Task<CaseCounts> CountInSnapshotAsync(JicengDbContext db, string path, DateOnly from, DateOnly to, CancellationToken ct)
    {
        // The whole tree (the only root): every row counts, no join with the 20,000 organizations.
        var wholeTree = OrgPath.DepthOf(path) == 0 && await db.Organizations.IgnoreQueryFilters().CountAsync(o => o.ParentId == null, ct) == 1;
        var today = db.Clock.Today();
        // The days of a range that can hold cases (none are received after today): what reading it from the cases costs.
        int Cost(DateOnly a, DateOnly b) => Math.Max(0, (b < today ? b : today).DayNumber - a.DayNumber + 1);
        var (firstMonth, lastMonth) = (FirstOfMonth(from), FirstOfMonth(to));
        var (startsWhole, endsWhole) = (from == firstMonth, to == EndOfMonth(to));

        // A period cut inside its months is counted either as its whole months plus the days outside them, or as one more
        // month minus the days of it outside the period, whichever reads fewer cases (the counts add and subtract exactly:
        // every counter is a sum over cases). A period from the 5th counts the month minus four days, not 26 days.
        var add = new List<(DateOnly From, DateOnly To)>();
        var subtract = new List<(DateOnly From, DateOnly To)>();
        var (monthsFrom, monthsTo) = (firstMonth, lastMonth);
        if (firstMonth == lastMonth)
        {
            if (!startsWhole || !endsWhole)
            {
                var outside = (startsWhole ? 0 : Cost(firstMonth, from.AddDays(-1))) + (endsWhole ? 0 : Cost(to.AddDays(1), EndOfMonth(to)));
                if (Cost(from, to) <= outside) return await EdgeDaysAsync(db, path, wholeTree, from, to, ct);
                if (!startsWhole) subtract.Add((firstMonth, from.AddDays(-1)));
                if (!endsWhole) subtract.Add((to.AddDays(1), EndOfMonth(to)));
            }
        }
        else
        {
            if (!startsWhole)
            {
                if (Cost(from, EndOfMonth(from)) <= Cost(firstMonth, from.AddDays(-1))) { add.Add((from, EndOfMonth(from))); monthsFrom = firstMonth.AddMonths(1); }
                else subtract.Add((firstMonth, from.AddDays(-1)));
            }
            if (!endsWhole)
            {
                if (Cost(lastMonth, to) <= Cost(to.AddDays(1), EndOfMonth(to))) { add.Add((lastMonth, to)); monthsTo = lastMonth.AddMonths(-1); }
                else subtract.Add((to.AddDays(1), EndOfMonth(to)));
            }
        }
        var counts = monthsFrom <= monthsTo ? await FromMonthsAsync(db, path, wholeTree, monthsFrom, monthsTo, ct) : CaseCounts.Zero;
        foreach (var (a, b) in add) counts += await EdgeDaysAsync(db, path, wholeTree, a, b, ct);
        foreach (var (a, b) in subtract) counts -= await EdgeDaysAsync(db, path, wholeTree, a, b, ct);
        return counts;
    }

    private static DateOnly EndOfMonth(DateOnly d) => FirstOfMonth(d).AddMonths(1).AddDays(-1);

    private static DateOnly FirstOfMonth(DateOnly d) => new(d.Year, d.Month, 1);

    /// <summary>The cases received in [from, to], aggregated in one query. The caller has checked that the subtree is
    /// readable (as for the month rows, the scope filter is not repeated).</summary>
    public static Task<CaseCounts> FromCasesAsync(JicengDbContext db, string path, DateOnly from, DateOnly to, CancellationToken ct) =>
        EdgeDaysAsync(db, path, wholeTree: false, from, to, ct);

    /// <summary>The days outside whole months, from the cases; for the whole tree without the join that finds each case's
    /// organization inside it (a range of the received-at index, nothing else).</summary>
    private static Task<CaseCounts> EdgeDaysAsync(JicengDbContext db, string path, bool wholeTree, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var (fromUtc, toUtc) = CaseService.ChinaDays(from, to);
        var cases = wholeTree ? db.Cases.IgnoreQueryFilters().AsNoTracking() : db.Cases.AsNoTracking().InReadSubtree(path, c => c.Organization!.Path);
        return CaseService.CountAsync(cases.Where(c => c.ReceivedAt >= fromUtc && c.ReceivedAt < toUtc), ct);
    }

    /// <summary>Whole months [firstMonth, lastMonth]: the settled rows plus the deltas not yet folded into them.</summary>
    private static async Task<CaseCounts> FromMonthsAsync(JicengDbContext db, string path, bool wholeTree, DateOnly firstMonth, DateOnly lastMonth, CancellationToken ct)
    {
        var orgs = db.Organizations.IgnoreQueryFilters().AsNoTracking().InSubtree(path, o => o.Path);
        IQueryable<CaseCountRow> InTree<T>(IQueryable<T> rows) where T : CaseCountRow => wholeTree
            ? rows.AsNoTracking().Where(m => m.Month >= firstMonth && m.Month <= lastMonth).Select(m => (CaseCountRow)m)
            : rows.AsNoTracking().Where(m => m.Month >= firstMonth && m.Month <= lastMonth).Join(orgs, m => m.OrganizationId, o => o.Id, (m, o) => (CaseCountRow)m);
        return await Sum(InTree(db.CaseCountMonths), ct) + await Sum(InTree(db.CaseCountDeltas), ct);
    }

    private static async Task<CaseCounts> Sum(IQueryable<CaseCountRow> rows, CancellationToken ct)
    {
        var s = await rows.GroupBy(_ => 1).Select(g => new
        {
            Received = g.Sum(r => r.Received), Rejected = g.Sum(r => r.Rejected), Responded = g.Sum(r => r.RespondedInTime),
            Closed = g.Sum(r => r.Closed), Resolved = g.Sum(r => r.Resolved), EverClosed = g.Sum(r => r.EverClosed),
            Reopened = g.Sum(r => r.Reopened), Rated = g.Sum(r => r.Rated), Satisfied = g.Sum(r => r.Satisfied),
            Minutes = g.Sum(r => r.CloseMinutesTotal),
        }).FirstOrDefaultAsync(ct);
        return s is null ? CaseCounts.Zero
            : new CaseCounts(s.Received, s.Rejected, s.Responded, s.Closed, s.Resolved, s.EverClosed, s.Reopened, s.Rated, s.Satisfied, s.Minutes);
    }

    // ------------------------------------------------------------------ compaction and rebuild

    /// <summary>Folds the pending deltas into the month rows; returns how many month rows it changed. Safe beside writers and
    /// beside another copy of the app: PostgreSQL deletes and sums the same rows in one statement (one snapshot); SQLite
    /// does both in one transaction under its single write lock.</summary>
    public static async Task<int> CompactAsync(JicengDbContext db, CancellationToken ct)
    {
        var d = Table<CaseCountDelta>(db);
        var m = Table<CaseCountMonth>(db);
        var keys = $"{Col<CaseCountDelta>(db, nameof(CaseCountRow.OrganizationId))}, {Col<CaseCountDelta>(db, nameof(CaseCountRow.Month))}";
        var counters = Counters.Select(c => Col<CaseCountDelta>(db, c)).ToList();
        var sums = string.Join(", ", counters.Select(c => $"sum({c})"));
        var add = string.Join(", ", counters.Select(c => $"{c} = {m}.{c} + excluded.{c}"));
        var columns = $"{keys}, {string.Join(", ", counters)}";
        var conflict = $"ON CONFLICT ({keys}) DO UPDATE SET {add}";
        if (db.IsPostgres)
        {
            await using var pgTx = await db.Database.BeginTransactionAsync(ct);
            await db.LockAsync(JicengDbContext.TransactionLock.CaseCounts, ct); // not beside a rebuild
            var sql = $"WITH moved AS (DELETE FROM {d} RETURNING *) INSERT INTO {m} ({columns}) SELECT {keys}, {sums} FROM moved GROUP BY {keys} {conflict}";
#pragma warning disable EF1002 // identifiers from the model, no input
            var folded = await db.Database.ExecuteSqlRawAsync(sql, ct);
            await pgTx.CommitAsync(ct);
            return folded;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var id = Col<CaseCountDelta>(db, nameof(CaseCountDelta.Id));
        var max = await db.CaseCountDeltas.MaxAsync(x => (long?)x.Id, ct);
        if (max is null) return 0;
        var changed = await db.Database.ExecuteSqlRawAsync($"INSERT INTO {m} ({columns}) SELECT {keys}, {sums} FROM {d} WHERE {id} <= {{0}} GROUP BY {keys} {conflict}", [max], ct);
        await db.Database.ExecuteSqlRawAsync($"DELETE FROM {d} WHERE {id} <= {{0}}", [max], ct);
#pragma warning restore EF1002
        await tx.CommitAsync(ct);
        return changed;
    }

    private static readonly string[] Counters =
    [
        nameof(CaseCountRow.Received), nameof(CaseCountRow.Rejected), nameof(CaseCountRow.RespondedInTime), nameof(CaseCountRow.Closed),
        nameof(CaseCountRow.Resolved), nameof(CaseCountRow.EverClosed), nameof(CaseCountRow.Reopened), nameof(CaseCountRow.Rated),
        nameof(CaseCountRow.Satisfied), nameof(CaseCountRow.CloseMinutesTotal),
    ];

    private static string Table<T>(JicengDbContext db) => Quote(db.Model.FindEntityType(typeof(T))!.GetTableName()!);

    private static string Col<T>(JicengDbContext db, string property)
    {
        var type = db.Model.FindEntityType(typeof(T))!;
        return Quote(type.FindProperty(property)!.GetColumnName(Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema()))!);
    }

    private static string Quote(string name) => $"\"{name}\"";

    /// <summary>Recomputes every month row from the cases and drops the deltas, for data written around SaveChanges (a bulk
    /// load) or from before the month counts existed. One repeatable-read transaction under the counts' lock: the cases
    /// read and the deltas deleted are those of one snapshot, so a delta committed meanwhile (another app copy) survives
    /// and still adds its change; a compaction or another rebuild waits. <paramref name="onlyIfMissing"/>: do nothing when
    /// counts exist (checked under the lock, so two copies starting together rebuild once). Streams the cases once; memory
    /// grows with organizations × months. Returns the month rows written (0 when skipped).</summary>
    public static async Task<int> RebuildAsync(JicengDbContext db, CancellationToken ct, bool onlyIfMissing = false)
    {
        await using var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await db.LockAsync(JicengDbContext.TransactionLock.CaseCounts, ct);
        if (onlyIfMissing && (await db.CaseCountMonths.AnyAsync(ct) || await db.CaseCountDeltas.AnyAsync(ct) || !await db.Cases.IgnoreQueryFilters().AnyAsync(ct)))
            return 0;
        var months = new Dictionary<(Guid, DateOnly), CaseCounts>();
        await foreach (var c in db.Cases.IgnoreQueryFilters().AsNoTracking().Select(c => new
        {
            c.OrganizationId, c.Status, c.ReceivedAt, c.ResponseDue, c.RespondedAt, c.ClosedAt, c.ReopenCount, c.Rating, c.CloseMinutes,
        }).AsAsyncEnumerable().WithCancellation(ct))
        {
            var key = (c.OrganizationId, CaseCountRow.MonthOf(c.ReceivedAt));
            var counts = CaseCounts.Of(new CaseFacts(c.Status, c.ReceivedAt, c.ResponseDue, c.RespondedAt, c.ClosedAt, c.ReopenCount, c.Rating, c.CloseMinutes));
            months[key] = months.TryGetValue(key, out var sum) ? sum + counts : counts;
        }
        await db.CaseCountDeltas.ExecuteDeleteAsync(ct);
        await db.CaseCountMonths.ExecuteDeleteAsync(ct);
        await db.InsertAsync(months.Select(kv => new CaseCountMonth { OrganizationId = kv.Key.Item1, Month = kv.Key.Item2, Counts = kv.Value }).ToList(), ct);
        await tx.CommitAsync(ct);
        return months.Count;
    }
}
