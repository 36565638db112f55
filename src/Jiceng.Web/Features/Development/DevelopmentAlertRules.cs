using Jiceng.Data;
using Jiceng.Domain.Alerts;
using Jiceng.Domain.Development;
using Jiceng.Domain.Settings;
using Jiceng.Web.Features.Alerts;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Development;

/// <summary>Deadlines of 发展党员 (rules.md §2): the talk within a month, half-yearly assessments, approval within three
/// months, the 转正 discussion when probation ends and its approval. A warning in the last
/// <see cref="DevelopmentProcedure.DueSoonDays"/> days, critical once passed; recording the step clears it.</summary>
public sealed class DevelopmentAlertRules : IAlertRuleSet
{
    public const string SubjectType = nameof(DevelopmentRecord);

    public async Task<IReadOnlyList<AlertFinding>> EvaluateAsync(JicengDbContext db, ISettingsReader settings, DateOnly today, CancellationToken ct)
    {
        var horizon = today.AddDays(DevelopmentProcedure.DueSoonDays);
        // NextDueOn is the earliest open deadline, so only records whose first deadline is near need their steps.
        var records = await db.DevelopmentRecords.AsNoTracking()
            .Where(r => r.Status == DevelopmentStatus.Active && r.NextDueOn != null && r.NextDueOn <= horizon)
            .Include(r => r.Steps).AsSplitQuery().ToListAsync(ct);
        var findings = new List<AlertFinding>();
        foreach (var r in records)
        {
            var progress = DevelopmentProgress.From(r.Steps);
            foreach (var d in DevelopmentProcedure.Deadlines(DevelopmentService.Facts(r), progress).Where(d => d.DueOn <= horizon))
            {
                var overdue = d.DueOn < today;
                var step = DevelopmentProcedure.Info(d.Step);
                var message = overdue
                    ? $"{r.Name}（{r.Stage.StageName()}）的“{step.Name}”已逾期：应于{d.DueOn:yyyy年M月d日}前办理"
                    : $"{r.Name}（{r.Stage.StageName()}）的“{step.Name}”应于{d.DueOn:yyyy年M月d日}前办理";
                findings.Add(new AlertFinding(d.Rule.Code, r.OrganizationId, overdue ? AlertSeverity.Critical : AlertSeverity.Warning, message,
                    SubjectType, r.Id.ToString(), d.DueOn));
            }
        }
        return findings;
    }
}
