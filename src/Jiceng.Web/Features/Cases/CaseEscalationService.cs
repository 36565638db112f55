using Jiceng.Data;
using Jiceng.Data.Scope;
using Jiceng.Domain.Alerts;
using Jiceng.Domain.Cases;
using Jiceng.Domain.Grids;
using Jiceng.Domain.Settings;
using Jiceng.Web.Features.Alerts;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Cases;

/// <summary>Moves overdue cases one level up the tree (<see cref="CaseEscalation"/>) and writes the step to their history.
/// Copies of the app may run it at once: each case is saved under its version, so a case escalates once.</summary>
public sealed class CaseEscalationService(ScopedDbFactory dbs, CaseService cases, TimeProvider clock, ILogger<CaseEscalationService> logger)
{
    public const int Batch = 500;

    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var open = new[] { CaseStatus.Received, CaseStatus.Accepted, CaseStatus.Handling, CaseStatus.Whistled, CaseStatus.Reopened };
        await using var db = await dbs.CreateUnrestrictedAsync(ct);
        db.Actor = new AuditActor(null, "system:case-escalation", "", null);
        var due = await db.Cases.Where(c => (c.Status == CaseStatus.Received && c.ResponseDue < now && !c.EscalatedForResponse)
                || (open.Contains(c.Status) && c.ResolutionDue < now && !c.EscalatedForResolution))
            .OrderBy(c => c.ResolutionDue).Take(Batch).ToListAsync(ct);
        var parents = await OrgParentsAsync(db, due.Select(c => c.HandlingOrganizationId), ct);
        var done = 0;
        foreach (var c in due)
        {
            if (CaseEscalation.Due(c.Status, c.ResponseDue, c.ResolutionDue, c.EscalatedForResponse, c.EscalatedForResolution, now) is not { } reason) continue;
            if (reason == EscalationReason.Response) c.EscalatedForResponse = true; else c.EscalatedForResolution = true;
            var parent = parents.GetValueOrDefault(c.HandlingOrganizationId);
            if (parent is { } p) c.HandlingOrganizationId = p;
            c.Version++;
            c.UpdatedAt = now;
            var escalation = cases.Event(c, CaseAction.Escalate, CaseActor.System, "系统", CaseEscalation.Describe(reason), organizationId: parent);
            db.CaseEvents.Add(escalation);
            try
            {
                await db.SaveChangesAsync(ct);
                done++;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Someone acted on the case meanwhile; the next run looks at it again. Only this case and its event leave
                // the tracker: the other cases of the batch stay tracked, so their own escalation saves them.
                db.Entry(escalation).State = EntityState.Detached;
                db.Entry(c).State = EntityState.Detached;
            }
        }
        if (done > 0) logger.LogInformation("Escalated {Count} overdue cases", done);
        return done;
    }

    private static async Task<Dictionary<Guid, Guid?>> OrgParentsAsync(JicengDbContext db, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToList();
        return await db.Organizations.AsNoTracking().Where(o => list.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.ParentId, ct);
    }
}

/// <summary>Runs the escalation every five minutes (off with Jiceng:BackgroundJobs=false).</summary>
public sealed class CaseEscalationJob(IServiceScopeFactory scopes, TimeProvider clock, ILogger<CaseEscalationJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        await Task.Delay(TimeSpan.FromSeconds(20), clock, stop);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var scope = scopes.CreateScope();
                await scope.ServiceProvider.GetRequiredService<CaseEscalationService>().RunAsync(stop);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Case escalation failed");
            }
            await Task.Delay(TimeSpan.FromMinutes(5), clock, stop);
        }
    }
}

/// <summary>Deadlines of open cases and of whistled departments (warning in the last 24 hours, critical after), and
/// closed cases due for their 回访.</summary>
public sealed class CaseAlertRules(TimeProvider clock) : IAlertRuleSet
{
    public const string Deadline = "case.deadline";
    public const string DepartmentDeadline = "case.department-deadline";
    public const string FollowUp = "case.follow-up";

    public async Task<IReadOnlyList<AlertFinding>> EvaluateAsync(JicengDbContext db, ISettingsReader settings, DateOnly today, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var horizon = now + CaseDeadlines.WarningBefore;
        var open = new[] { CaseStatus.Received, CaseStatus.Accepted, CaseStatus.Handling, CaseStatus.Whistled, CaseStatus.Reopened };
        var findings = new List<AlertFinding>();
        var cases = await db.Cases.AsNoTracking().Where(c => open.Contains(c.Status) && (c.ResolutionDue <= horizon || (c.Status == CaseStatus.Received && c.ResponseDue <= horizon)))
            .Select(c => new { c.Id, c.Number, c.Status, c.HandlingOrganizationId, c.ResponseDue, c.ResolutionDue }).Take(20000).ToListAsync(ct);
        foreach (var c in cases)
        {
            var (due, what) = c.Status == CaseStatus.Received && c.ResponseDue <= horizon ? (c.ResponseDue, "响应") : (c.ResolutionDue, "办结");
            if (CaseDeadlines.Alert(due, now) is not { } sev) continue;
            var when = due.ToChina();
            findings.Add(new AlertFinding(Deadline, c.HandlingOrganizationId, sev,
                sev == AlertSeverity.Critical ? $"诉求{c.Number}已超过{what}时限（{when:M月d日HH:mm}）" : $"诉求{c.Number}将于{when:M月d日HH:mm}到达{what}时限",
                nameof(Case), c.Id.ToString(), DateOnly.FromDateTime(when.DateTime)));
        }
        var dispatches = await db.CaseDispatches.AsNoTracking().Where(d => d.Status != DispatchStatus.Reported && d.Case!.Status == CaseStatus.Whistled
                && (d.ReportDue <= horizon || (d.Status == DispatchStatus.Whistled && d.AcceptDue <= horizon)))
            .Select(d => new { d.Id, d.Status, d.AcceptDue, d.ReportDue, d.Case!.Number, Dept = d.Department!.Name, d.Department.OrganizationId }).Take(20000).ToListAsync(ct);
        foreach (var d in dispatches)
        {
            var (due, what) = d.Status == DispatchStatus.Whistled && d.AcceptDue <= horizon ? (d.AcceptDue, "报到") : (d.ReportDue, "反馈");
            if (CaseDeadlines.Alert(due, now) is not { } sev) continue;
            var when = due.ToChina();
            findings.Add(new AlertFinding(DepartmentDeadline, d.OrganizationId, sev,
                $"{d.Dept}{(sev == AlertSeverity.Critical ? "已超过" : "将到达")}诉求{d.Number}的{what}时限（{when:M月d日HH:mm}）", nameof(CaseDispatch), d.Id.ToString(),
                DateOnly.FromDateTime(when.DateTime)));
        }
        var days = settings.Get(SettingDefinitions.CaseFollowUpDays);
        var closedBefore = now.AddDays(-days);
        var followUps = await db.Cases.AsNoTracking().Where(c => c.Status == CaseStatus.Closed && c.ClosedAt <= closedBefore)
            .Select(c => new { c.Id, c.Number, c.HandlingOrganizationId }).Take(20000).ToListAsync(ct);
        findings.AddRange(followUps.Select(c => new AlertFinding(FollowUp, c.HandlingOrganizationId, AlertSeverity.Info,
            $"诉求{c.Number}办结已满{days}天，居民尚未确认，请回访", nameof(Case), c.Id.ToString())));
        return findings;
    }
}

/// <summary>Seed 002: each grid worker links 15-20 households and visits each at least 4 times a year. Per grid: workers
/// holding more than 20 households, households with no responsible worker, households not visited since last quarter.</summary>
public sealed class GridAlertRules : IAlertRuleSet
{
    public const string WorkerLoad = "grid.worker-load";
    public const string NoWorker = "grid.household-without-worker";
    public const string NotVisited = "grid.not-visited";

    public async Task<IReadOnlyList<AlertFinding>> EvaluateAsync(JicengDbContext db, ISettingsReader settings, DateOnly today, CancellationToken ct)
    {
        var findings = new List<AlertFinding>();
        var loads = await db.Households.AsNoTracking().Where(h => h.ResponsibleWorkerId != null).GroupBy(h => h.ResponsibleWorkerId)
            .Select(g => new { Worker = g.Key, Count = g.Count() }).Where(x => x.Count > HouseholdRules.MaxHouseholdsPerWorker).ToListAsync(ct);
        var workerIds = loads.Select(l => l.Worker!.Value).ToList();
        var workers = await db.GridStaff.AsNoTracking().Where(s => workerIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        foreach (var l in loads)
            if (workers.TryGetValue(l.Worker!.Value, out var w) && HouseholdRules.WorkerOverloaded(l.Count))
                findings.Add(new AlertFinding(WorkerLoad, w.OrganizationId, AlertSeverity.Warning,
                    $"网格员{w.Name}联系{l.Count}户，超过{HouseholdRules.MaxHouseholdsPerWorker}户，请调整分工", nameof(GridStaff), w.Id.ToString()));
        var none = await db.Households.AsNoTracking().Where(h => h.ResponsibleWorkerId == null).GroupBy(h => new { h.GridId, h.OrganizationId })
            .Select(g => new { g.Key.GridId, g.Key.OrganizationId, Count = g.Count() }).ToListAsync(ct);
        findings.AddRange(none.Select(n => new AlertFinding(NoWorker, n.OrganizationId, AlertSeverity.Warning,
            $"本网格有{n.Count}户未明确联系网格员", nameof(Grid), n.GridId.ToString())));
        var from = HouseholdRules.LastQuarter(today).From;
        var missed = await db.Households.AsNoTracking().Where(h => !db.Visits.Any(v => v.HouseholdId == h.Id && v.VisitedOn >= from))
            .GroupBy(h => new { h.GridId, h.OrganizationId }).Select(g => new { g.Key.GridId, g.Key.OrganizationId, Count = g.Count() }).ToListAsync(ct);
        findings.AddRange(missed.Select(n => new AlertFinding(NotVisited, n.OrganizationId, AlertSeverity.Info,
            $"本网格有{n.Count}户自{from:yyyy年M月d日}以来未走访", nameof(Grid), n.GridId.ToString())));
        return findings;
    }
}

/// <summary>Folds the rates' pending month-count deltas into the month rows every minute (off with
/// Jiceng:BackgroundJobs=false). Only speed depends on it: the counts are exact with or without it.</summary>
public sealed class CaseCountCompactionJob(IServiceScopeFactory scopes, TimeProvider clock, ILogger<CaseCountCompactionJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        await Task.Delay(TimeSpan.FromSeconds(30), clock, stop);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var scope = scopes.CreateScope();
                await using var db = await scope.ServiceProvider.GetRequiredService<ScopedDbFactory>().CreateUnrestrictedAsync(stop);
                await CaseCountStore.CompactAsync(db, stop);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Case count compaction failed");
            }
            await Task.Delay(TimeSpan.FromMinutes(1), clock, stop);
        }
    }
}
