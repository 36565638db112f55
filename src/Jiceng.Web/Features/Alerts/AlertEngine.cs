using Jiceng.Data;
using Jiceng.Data.Alerts;
using Jiceng.Data.Scope;
using Jiceng.Domain.Alerts;
using Jiceng.Domain.Organizations;
using Jiceng.Domain.Settings;
using Jiceng.Web.Features.Settings;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Alerts;

/// <summary>A family of rules the engine evaluates: each module adds one.</summary>
public interface IAlertRuleSet
{
    Task<IReadOnlyList<AlertFinding>> EvaluateAsync(JicengDbContext db, ISettingsReader settings, DateOnly today, CancellationToken ct);
}

/// <summary>The organization-setting-up rules (rules.md §1) over every active organization.</summary>
public sealed class OrganizationAlertRules(IMemberCountSource counts) : IAlertRuleSet
{
    public async Task<IReadOnlyList<AlertFinding>> EvaluateAsync(JicengDbContext db, ISettingsReader settings, DateOnly today, CancellationToken ct)
    {
        var orgs = await db.Organizations.AsNoTracking().Where(o => o.Status == OrganizationStatus.Active)
            .Select(o => new { o.Id, o.Name, o.Kind, o.HasCommittee, o.TermStart, o.TermEnd }).ToListAsync(ct);
        var groups = await db.Organizations.AsNoTracking()
            .Where(o => o.Status == OrganizationStatus.Active && o.Kind == OrganizationKind.PartyGroup && o.ParentId != null)
            .GroupBy(o => o.ParentId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var memberCounts = await counts.GetCountsAsync(orgs.Select(o => o.Id).ToList(), ct);
        var findings = new List<AlertFinding>();
        foreach (var o in orgs)
        {
            var facts = new OrganizationFacts(o.Id, o.Name, o.Kind, o.HasCommittee, groups.GetValueOrDefault(o.Id), o.TermStart, o.TermEnd,
                memberCounts.GetValueOrDefault(o.Id), today);
            foreach (var rule in OrganizationRules.All)
                if (rule.Evaluate(facts, settings) is { } f) findings.Add(f);
        }
        return findings;
    }
}

public sealed record AlertRunResult(int Findings, int Raised, int Resolved, int StillOpen);

/// <summary>Runs every rule set and brings the stored alerts in line: new findings are raised,
/// findings that persist are refreshed, alerts no rule produces any more are resolved.</summary>
public sealed class AlertEngine(IEnumerable<IAlertRuleSet> ruleSets, ScopedDbFactory dbs, TimeProvider clock, ILogger<AlertEngine> log)
{
    public async Task<AlertRunResult> RunAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateUnrestrictedAsync(ct);
        // One evaluation at a time (the daily job on any copy, or one on demand).
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.LockAsync(JicengDbContext.TransactionLock.AlertEvaluation, ct);
        var settings = await SettingsService.LoadAsync(db, ct);
        var today = clock.Today();
        var now = clock.GetUtcNow();
        // Each set's findings are written as soon as it has run and then let go; only their keys are kept, to resolve at the
        // end what no set found any more. The city's 134,000 findings (messages included) were all held at once before.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int raised = 0;
        foreach (var set in ruleSets)
        {
            var started = clock.GetTimestamp();
            var found = ByKey(await set.EvaluateAsync(db, settings, today, ct));
            raised += await UpsertAsync(db, found, db.Alerts, now, ct);
            seen.UnionWith(found.Keys);
            // Which set costs the time and the memory of a city-wide run (the process's peak is read by the benchmark).
            log.LogInformation("Alert rule set {Set}: {Findings} findings in {Ms:F0} ms; managed heap {HeapMb} MB", set.GetType().Name,
                found.Count, clock.GetElapsedTime(started).TotalMilliseconds, GC.GetTotalMemory(false) >> 20);
        }
        var resolved = await ResolveMissingAsync(db, seen.Contains, db.Alerts, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new AlertRunResult(seen.Count, raised, resolved, seen.Count);
    }

    /// <summary>Re-evaluates one rule set for one subtree right after a change (an activity recorded), so the alert it
    /// answers goes away at once rather than at the next daily run. Only that set's stored alerts in that subtree are touched.</summary>
    public async Task<AlertRunResult> RefreshAsync(ISubtreeAlertRuleSet set, string orgPath, CancellationToken ct)
    {
        await using var db = await dbs.CreateUnrestrictedAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.LockAsync(JicengDbContext.TransactionLock.AlertEvaluation, ct);
        var settings = await SettingsService.LoadAsync(db, ct);
        var now = clock.GetUtcNow();
        var findings = ByKey(await set.EvaluateSubtreeAsync(db, settings, clock.Today(), orgPath, ct));
        var codes = set.RuleCodes.ToList();
        var stored = db.Alerts.Where(a => codes.Contains(a.RuleCode)).InSubtree(orgPath, a => a.Organization!.Path);
        var raised = await UpsertAsync(db, findings, stored, now, ct);
        var resolved = await ResolveMissingAsync(db, findings.ContainsKey, stored, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new AlertRunResult(findings.Count, raised, resolved, findings.Count);
    }

    /// <summary>Findings by their key (a set finding one subject twice keeps the last).</summary>
    private static Dictionary<string, AlertFinding> ByKey(IReadOnlyList<AlertFinding> found)
    {
        var byKey = new Dictionary<string, AlertFinding>(found.Count, StringComparer.Ordinal);
        foreach (var f in found) byKey[f.DedupKey] = f;
        return byKey;
    }

    /// <summary>Findings per batch of stored alerts: each batch's alerts are read by key, raised or refreshed, saved and let go,
    /// so memory holds the findings and one batch, not every alert of the city (120,000 at city scale: 1.1 GB peak when they
    /// were all tracked at once). Returns how many were raised (new, or open again).</summary>
    private static async Task<int> UpsertAsync(JicengDbContext db, Dictionary<string, AlertFinding> findings, IQueryable<Alert> storedQuery,
        DateTimeOffset now, CancellationToken ct)
    {
        int raised = 0;
        foreach (var batch in findings.Chunk(ReconcileBatch))
        {
            var keys = batch.Select(f => f.Key).ToList();
            var stored = await storedQuery.Where(a => keys.Contains(a.DedupKey)).ToDictionaryAsync(a => a.DedupKey, ct);
            foreach (var (key, f) in batch)
            {
                if (!stored.TryGetValue(key, out var a))
                {
                    db.Alerts.Add(new Alert
                    {
                        Id = Guid.CreateVersion7(now), DedupKey = key, RuleCode = f.RuleCode, OrganizationId = f.OrganizationId, Severity = f.Severity,
                        Message = f.Message, SubjectType = f.SubjectType, SubjectId = f.SubjectId, DueOn = f.DueOn, RaisedAt = now, LastSeenAt = now,
                    });
                    raised++;
                    continue;
                }
                if (a.ResolvedAt is not null) { a.ResolvedAt = null; a.RaisedAt = now; raised++; }
                a.Severity = f.Severity;
                a.Message = f.Message;
                a.DueOn = f.DueOn;
                a.LastSeenAt = now;
            }
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        return raised;
    }

    /// <summary>Resolves the open alerts of <paramref name="storedQuery"/> whose key <paramref name="isFound"/> does not know, by id in
    /// batches; the open alerts are streamed, only the ids to resolve are kept.</summary>
    private static async Task<int> ResolveMissingAsync(JicengDbContext db, Func<string, bool> isFound, IQueryable<Alert> storedQuery,
        DateTimeOffset now, CancellationToken ct)
    {
        var gone = new List<Guid>();
        await foreach (var a in storedQuery.AsNoTracking().Where(a => a.ResolvedAt == null).Select(a => new { a.Id, a.DedupKey }).AsAsyncEnumerable().WithCancellation(ct))
            if (!isFound(a.DedupKey)) gone.Add(a.Id);
        int resolved = 0;
        foreach (var batch in gone.Chunk(ReconcileBatch))
        {
            var ids = batch.ToList();
            resolved += await storedQuery.Where(a => ids.Contains(a.Id) && a.ResolvedAt == null).ExecuteUpdateAsync(u => u.SetProperty(a => a.ResolvedAt, now), ct);
        }
        return resolved;
    }

    private const int ReconcileBatch = 5000;
}

/// <summary>A rule set that can also evaluate one subtree alone (see <see cref="AlertEngine.RefreshAsync"/>).</summary>
public interface ISubtreeAlertRuleSet : IAlertRuleSet
{
    IReadOnlyList<string> RuleCodes { get; }
    Task<IReadOnlyList<AlertFinding>> EvaluateSubtreeAsync(JicengDbContext db, ISettingsReader settings, DateOnly today, string orgPath, CancellationToken ct);
}
