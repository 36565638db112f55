using Jiceng.Data;
using Jiceng.Domain.Cases;
using Jiceng.Web.Features.Cases;
using Jiceng.Web.Infrastructure;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jiceng.Web.Tests.Features.Cases;

public sealed class CaseCountTests_Sqlite(SqliteApp app) : CaseCountTests(app), IClassFixture<SqliteApp>;

public sealed class CaseCountTests_Postgres(PostgresApp app) : CaseCountTests(app), IClassFixture<PostgresApp>;

/// <summary>The rates' month counts (CaseCountRow) against the cases themselves: however a period is cut, before and after
/// changes, compaction and a rebuild, the counts are the ones an aggregate over the cases gives.</summary>
public abstract class CaseCountTests(JicengApp app)
{
    private async Task<(string District, string Street, DateOnly Today)> PathsAsync(JicengDbContext db)
    {
        var district = await db.Organizations.Where(o => o.ParentId == null).Select(o => o.Path).FirstAsync();
        var street = await db.Organizations.Where(o => o.Depth == 1).OrderBy(o => o.Path).Select(o => o.Path).FirstAsync();
        return (district, street, app.Services.GetRequiredService<TimeProvider>().Today());
    }

    private static IEnumerable<(DateOnly From, DateOnly To)> Periods(DateOnly today)
    {
        var month = new DateOnly(today.Year, today.Month, 1);
        yield return (month.AddMonths(-3), today);                                   // whole months, then this month's days
        yield return (month.AddMonths(-3).AddDays(9), month.AddMonths(-1).AddDays(14)); // days, a whole month, days
        yield return (month.AddMonths(-2), month.AddMonths(-1).AddDays(-1));          // exactly one whole month
        yield return (month.AddMonths(-2), month.AddDays(-1));                        // two whole months
        yield return (month.AddMonths(-1).AddDays(3), month.AddMonths(-1).AddDays(3)); // one day
        yield return (month.AddMonths(-4), month.AddMonths(1).AddDays(-1));          // this month as a whole month too
        // Cuts counted as a month minus the days outside the period (fewer cases to read than the days inside):
        yield return (month.AddMonths(-2).AddDays(1), month.AddMonths(-1).AddDays(-2)); // one month less its first and last day
        yield return (month.AddMonths(-3).AddDays(24), month.AddMonths(-2).AddDays(27)); // the last days of one month, most of the next
        yield return (month.AddMonths(-3).AddDays(2), month.AddMonths(-3).AddDays(2));   // a single early day stays a day
    }

    private static async Task ShouldMatchTheCasesAsync(JicengDbContext db, string path, DateOnly today)
    {
        foreach (var (from, to) in Periods(today))
        {
            var expected = await CaseCountStore.FromCasesAsync(db, path, from, to, default);
            var counted = await CaseCountStore.CountAsync(db, path, from, to, default);
            counted.ShouldBe(expected, $"{path} {from}..{to}");
        }
    }

    [Fact]
    public async Task Month_counts_equal_the_cases_for_every_cut_of_a_period_through_changes_compaction_and_rebuild()
    {
        await using var db = app.OpenDb();
        var (district, street, today) = await PathsAsync(db);
        (await CaseCountStore.FromCasesAsync(db, district, today.AddDays(-120), today, default)).Received.ShouldBeGreaterThan(10);
        await ShouldMatchTheCasesAsync(db, district, today);
        await ShouldMatchTheCasesAsync(db, street, today);

        // Changes through SaveChanges move the counts: a case closed and rated, one moved to another organization
        // (two months' worth of deltas), one received a month earlier.
        var cases = await db.Cases.Where(c => c.Status == CaseStatus.Accepted || c.Status == CaseStatus.Handling).OrderBy(c => c.Id).Take(3).ToListAsync();
        cases.Count.ShouldBe(3);
        var now = DateTimeOffset.UtcNow;
        cases[0].Status = CaseStatus.Resolved; cases[0].ClosedAt = now; cases[0].CloseMinutes = 600; cases[0].Rating = 5;
        var otherOrg = await db.Organizations.Where(o => o.Id != cases[1].OrganizationId && !o.Path.StartsWith(street)).Select(o => o.Id).FirstAsync();
        cases[1].OrganizationId = otherOrg;
        cases[2].ReceivedAt = cases[2].ReceivedAt.AddMonths(-1);
        await db.SaveChangesAsync();
        (await db.CaseCountDeltas.CountAsync()).ShouldBeGreaterThan(0);
        await ShouldMatchTheCasesAsync(db, district, today);
        await ShouldMatchTheCasesAsync(db, street, today);

        // Compaction folds every delta into the months and changes no count.
        (await CaseCountStore.CompactAsync(db, default)).ShouldBeGreaterThan(0);
        (await db.CaseCountDeltas.CountAsync()).ShouldBe(0);
        (await CaseCountStore.CompactAsync(db, default)).ShouldBe(0);
        await ShouldMatchTheCasesAsync(db, district, today);
        var compacted = await db.CaseCountMonths.AsNoTracking().OrderBy(m => m.OrganizationId).ThenBy(m => m.Month)
            .Select(m => new { m.OrganizationId, m.Month, m.Received, m.Closed, m.Resolved, m.Rated, m.Satisfied, m.CloseMinutesTotal, m.RespondedInTime })
            .ToListAsync();

        // A rebuild from the cases gives the same rows (none left at zero that the compaction kept are counted as different).
        await CaseCountStore.RebuildAsync(db, default);
        var rebuilt = await db.CaseCountMonths.AsNoTracking().OrderBy(m => m.OrganizationId).ThenBy(m => m.Month)
            .Select(m => new { m.OrganizationId, m.Month, m.Received, m.Closed, m.Resolved, m.Rated, m.Satisfied, m.CloseMinutesTotal, m.RespondedInTime })
            .ToListAsync();
        rebuilt.ShouldBe(compacted.Where(m => m.Received != 0).ToList());
        await ShouldMatchTheCasesAsync(db, district, today);
    }

    [Fact]
    public async Task A_failed_save_writes_no_delta_and_its_retry_writes_one()
    {
        await using var db = app.OpenDb();
        var (district, _, today) = await PathsAsync(db);
        var c = await db.Cases.Where(x => x.Status == CaseStatus.Accepted).OrderByDescending(x => x.Id).FirstAsync();
        var version = c.Version;
        c.Status = CaseStatus.Rejected;
        // Someone else's update won: the row's version is no longer the one read, so the save fails and rolls back.
        db.Entry(c).Property(x => x.Version).OriginalValue = version + 1000;
        await Should.ThrowAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Entries<CaseCountDelta>().ShouldBeEmpty();
        await using (var check = app.OpenDb()) await ShouldMatchTheCasesAsync(check, district, today);

        db.Entry(c).Property(x => x.Version).OriginalValue = version;
        await db.SaveChangesAsync();
        await using (var check = app.OpenDb()) await ShouldMatchTheCasesAsync(check, district, today);
    }

    [Fact]
    public async Task Counting_takes_no_write_lock_and_reads_beside_a_writer_holding_one()
    {
        await using var db = app.OpenDb();
        var (_, street, today) = await PathsAsync(db);
        var expected = await CaseCountStore.CountAsync(db, street, today.AddMonths(-3), today, default);

        // A writer holds its lock (on SQLite the database's one write lock) until the end of its transaction.
        await using var writer = app.OpenDb();
        await using (var tx = await writer.Database.BeginTransactionAsync())
        {
            await writer.LockAsync(JicengDbContext.TransactionLock.CaseCounts, default);
            // On a thread of its own: Microsoft.Data.Sqlite waits for a lock synchronously, inside the call.
            var counting = Task.Run(() => CaseCountStore.CountAsync(db, street, today.AddMonths(-3), today, default));
            var answered = await Task.WhenAny(counting, Task.Delay(TimeSpan.FromSeconds(5))) == counting;
            await tx.RollbackAsync();
            answered.ShouldBeTrue("the count waited for the writer's lock");
            (await counting).ShouldBe(expected);
        }
        // The snapshot's transaction and the connection opened for it are gone again.
        db.Database.CurrentTransaction.ShouldBeNull();
        db.Database.GetDbConnection().State.ShouldBe(System.Data.ConnectionState.Closed);
    }

    [Fact]
    public async Task A_read_snapshot_sees_one_state_while_a_writer_commits_beside_it()
    {
        await using var reader = app.OpenDb();
        await using var writer = app.OpenDb();
        var org = await writer.Organizations.Select(o => o.Id).FirstAsync();
        var month = new DateOnly(2001, 1, 1); // counts nothing: a row of zeros in a month no period of the other tests reaches
        int before;
        await using (await reader.BeginReadSnapshotAsync(default))
        {
            before = await reader.CaseCountDeltas.CountAsync();
            writer.CaseCountDeltas.Add(new CaseCountDelta { OrganizationId = org, Month = month });
            await writer.SaveChangesAsync(); // commits beside the open snapshot, without waiting for it
            (await reader.CaseCountDeltas.CountAsync()).ShouldBe(before);
        }
        (await reader.CaseCountDeltas.CountAsync()).ShouldBe(before + 1);
        await writer.CaseCountDeltas.Where(d => d.Month == month).ExecuteDeleteAsync();
    }
}
