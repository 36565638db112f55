using Jiceng.Data;
using Jiceng.Data.Scope;
using Jiceng.Domain.Alerts;
using Jiceng.Domain.Members;
using Jiceng.Domain.OrganizationalLife;
using Jiceng.Domain.Organizations;
using Jiceng.Domain.Settings;
using Jiceng.Web.Features.Alerts;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.OrganizationalLife;

/// <summary>
/// Compliance of organizational life, counted from the activity records (rules.md §4):
/// <list type="bullet">
/// <item><c>life.missed-activity</c>: a branch or party group did not hold a required activity in a closed period of the last
/// 12 months — one alert per organization and kind, naming the periods.</item>
/// <item><c>life.absence-streak</c>: a member absent without excuse from N consecutive activities (setting <c>life.absenceStreak</c>).</item>
/// </list>
/// </summary>
public sealed class OrgLifeAlertRules : ISubtreeAlertRuleSet
{
    public const string MissedRule = "life.missed-activity";
    public const string AbsenceRule = "life.absence-streak";

    public IReadOnlyList<string> RuleCodes { get; } = [MissedRule, AbsenceRule];

    public Task<IReadOnlyList<AlertFinding>> EvaluateAsync(JicengDbContext db, ISettingsReader settings, DateOnly today, CancellationToken ct) =>
        EvaluateCoreAsync(db, settings, today, null, ct);

    public Task<IReadOnlyList<AlertFinding>> EvaluateSubtreeAsync(JicengDbContext db, ISettingsReader settings, DateOnly today, string orgPath, CancellationToken ct) =>
        EvaluateCoreAsync(db, settings, today, orgPath, ct);

    private static async Task<IReadOnlyList<AlertFinding>> EvaluateCoreAsync(JicengDbContext db, ISettingsReader settings, DateOnly today, string? path, CancellationToken ct)
    {
        var findings = new List<AlertFinding>();
        await MissedAsync(db, settings, today, path, findings, ct);
        await AbsencesAsync(db, settings, path, findings, ct);
        return findings;
    }

    private static async Task MissedAsync(JicengDbContext db, ISettingsReader settings, DateOnly today, string? path, List<AlertFinding> findings, CancellationToken ct)
    {
        var orgQuery = db.Organizations.AsNoTracking().Where(o => o.Status == OrganizationStatus.Active);
        if (path is not null) orgQuery = orgQuery.InSubtree(path, o => o.Path);
        var holders = ActivityHolderKinds;
        var orgs = await orgQuery.Where(o => holders.Contains(o.Kind))
            .Select(o => new { o.Id, o.Name, o.Kind, o.HasCommittee, o.EstablishedOn }).ToListAsync(ct);
        if (orgs.Count == 0) return;
        var held = await HeldAsync(db, path, new DateOnly(today.Year - 1, 1, 1), today, ct);
        foreach (var o in orgs)
        {
            var mine = held.GetValueOrDefault(o.Id);
            foreach (var required in ActivitySchedule.RequiredFor(o.Kind, o.HasCommittee, settings))
            {
                var dates = mine?.GetValueOrDefault(required.Kind) ?? [];
                var missed = ActivityCalendar.MissedRecently(required, dates, today, o.EstablishedOn);
                if (missed.Count == 0) continue;
                var last = missed[^1];
                var labels = string.Join("、", missed.Select(p => p.Label));
                var message = $"{o.Name}{labels}未开展{required.Kind.ToChinese()}（要求每年{required.TimesPerYear}次），请补充记录或按要求开展";
                findings.Add(new AlertFinding(MissedRule, o.Id, missed.Count > 1 ? AlertSeverity.Critical : AlertSeverity.Warning, message,
                    nameof(Organization), o.Id.ToString(), last.End, required.Kind.ToString()));
            }
        }
    }

    internal static readonly OrganizationKind[] ActivityHolderKinds =
        Enum.GetValues<OrganizationKind>().Where(ActivitySchedule.HoldsActivities).ToArray();

    /// <summary>Dates of the activities held per organization and kind since <paramref name="from"/>, a submitted appraisal
    /// round counting as the year's 民主评议.</summary>
    internal static async Task<Dictionary<Guid, Dictionary<ActivityKind, List<DateOnly>>>> HeldAsync(JicengDbContext db, string? path, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var q = db.Activities.AsNoTracking().Where(a => a.Date >= from && a.Date <= to);
        if (path is not null) q = q.InSubtree(path, a => a.Organization!.Path);
        var rows = await q.Select(a => new { a.OrganizationId, a.Kind, a.Date }).ToListAsync(ct);
        var rounds = db.AppraisalRounds.AsNoTracking().Where(r => r.Status == AppraisalStatus.Submitted && r.Year >= from.Year && r.Year <= to.Year);
        if (path is not null) rounds = rounds.InSubtree(path, r => r.Organization!.Path);
        var appraisals = await rounds.Select(r => new { r.OrganizationId, r.Year }).ToListAsync(ct);
        var result = new Dictionary<Guid, Dictionary<ActivityKind, List<DateOnly>>>();
        void Add(Guid org, ActivityKind kind, DateOnly date)
        {
            if (!result.TryGetValue(org, out var byKind)) result[org] = byKind = [];
            if (!byKind.TryGetValue(kind, out var list)) byKind[kind] = list = [];
            list.Add(date);
        }
        foreach (var r in rows) Add(r.OrganizationId, r.Kind, r.Date);
        foreach (var r in appraisals) Add(r.OrganizationId, ActivityKind.MemberAppraisal, new DateOnly(r.Year, 12, 31));
        return result;
    }

    private static async Task AbsencesAsync(JicengDbContext db, ISettingsReader settings, string? path, List<AlertFinding> findings, CancellationToken ct)
    {
        var threshold = settings.Get(SettingDefinitions.LifeAbsenceStreak);
        var counted = PartyMembership.Current;
        var q = db.AbsenceStreaks.AsNoTracking().Where(s => s.Count >= threshold && counted.Contains(s.Member!.Status));
        if (path is not null) q = q.InSubtree(path, s => s.Member!.Organization!.Path);
        var rows = await q.Select(s => new { s.MemberId, s.Member!.Name, s.Member.OrganizationId, s.Count, s.LastDate }).ToListAsync(ct);
        foreach (var r in rows)
        {
            if (!AbsenceStreakRule.Fires(r.Count, threshold)) continue;
            findings.Add(new AlertFinding(AbsenceRule, r.OrganizationId, r.Count >= threshold * 2 ? AlertSeverity.Critical : AlertSeverity.Warning,
                $"{r.Name}已连续{r.Count}次无故缺席组织生活（最近一次{r.LastDate:yyyy年M月d日}），请谈心谈话了解情况（党章第九条：连续六个月不参加组织生活视为自行脱党）",
                nameof(Member), r.MemberId.ToString()));
        }
    }
}
