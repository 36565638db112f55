using Jiceng.Data;
using Jiceng.Domain.Alerts;
using Jiceng.Domain.Settings;
using Jiceng.Domain.Transfers;
using Jiceng.Web.Features.Alerts;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Transfers;

/// <summary>Introduction letters running out (rules.md §5: valid for a limited time): a warning to both sides in
/// the last days, a critical alert once a letter has expired until someone withdraws it. Read-only: the stored
/// status of an overdue letter is updated when someone acts on it (see <see cref="TransferService"/>).</summary>
public sealed class TransferAlertRules : IAlertRuleSet
{
    public const string RuleCode = "transfer.letter-expiry";

    public async Task<IReadOnlyList<AlertFinding>> EvaluateAsync(JicengDbContext db, ISettingsReader settings, DateOnly today, CancellationToken ct)
    {
        var horizon = today.AddDays(TransferRules.ExpiryWarningDays);
        var rows = await db.Transfers.AsNoTracking()
            .Where(t => t.ValidUntil != null && (t.Status == TransferStatus.Expired
                || ((t.Status == TransferStatus.OutApproved || t.Status == TransferStatus.InApproved) && t.ValidUntil <= horizon)))
            .Select(t => new { t.Id, t.Status, t.ValidUntil, t.MemberName, t.LetterNumber, t.FromOrganizationId, t.ToOrganizationId })
            .ToListAsync(ct);
        var findings = new List<AlertFinding>();
        foreach (var t in rows)
        {
            if (TransferRules.ExpiryAlert(t.Status, t.ValidUntil, today) is not { } severity) continue;
            var until = t.ValidUntil!.Value;
            var message = severity == AlertSeverity.Critical
                ? $"{t.MemberName}的组织关系介绍信（{t.LetterNumber}）已于{until:yyyy年M月d日}过期，不能再办理接收，请撤回后重新办理"
                : $"{t.MemberName}的组织关系介绍信（{t.LetterNumber}）将于{until:yyyy年M月d日}到期，请尽快办理接收";
            foreach (var org in new[] { t.FromOrganizationId, t.ToOrganizationId }.OfType<Guid>())
                findings.Add(new AlertFinding(RuleCode, org, severity, message, nameof(Transfer), t.Id.ToString(), until));
        }
        return findings;
    }
}
