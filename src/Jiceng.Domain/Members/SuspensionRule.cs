using Jiceng.Domain.Alerts;

namespace Jiceng.Domain.Members;

/// <summary>What the branch decided about a suspended member who came back or stayed out of reach.</summary>
public enum SuspensionOutcome { Restored = 1, Removed = 2 }

/// <summary>
/// 停止党籍 and what follows it. Source: 中共中央组织部《关于加强和改进流动党员管理工作的意见》(2006) and its later practice (cited as
/// in the brief, the text's article numbers not verified): a member who has lost contact with the organization for more than
/// 6 months and cannot be found despite searching may have their membership suspended (停止党籍); if after 2 years of suspension
/// they still cannot be contacted, they are removed from the roll (除名, treated as 自行脱党); if a suspended member comes back and
/// asks, the organization reviews their conduct during the suspension and either restores the membership (恢复党籍) or, when they
/// no longer meet the conditions, advises them to leave or removes them. The organization decides; the system records the
/// decision, keeps a suspended person from applying anew (their membership is not over, only suspended) and raises an alert
/// when 2 years pass without a decision.
/// </summary>
public static class SuspensionRule
{
    public const string Source = "中组部《关于加强和改进流动党员管理工作的意见》（2006年）";
    public const string AlertCode = "member.suspension-decision";

    /// <summary>Lost contact for more than this many months (and not found) before a suspension may be considered.</summary>
    public const int LostContactMonths = 6;

    /// <summary>Years of suspension after which a person who still cannot be contacted is removed (除名).</summary>
    public const int DecisionYears = 2;

    /// <summary>Whether a member out of touch since <paramref name="lastContactOn"/> has been so for more than 6 months on
    /// <paramref name="today"/> (the day after the 6-month anniversary; 31 Aug + 6 months is 28/29 Feb).</summary>
    public static bool LostContactLongEnough(DateOnly lastContactOn, DateOnly today) => today > lastContactOn.AddMonths(LostContactMonths);

    /// <summary>The day on which a suspension that began on <paramref name="suspendedOn"/> has lasted 2 years (29 Feb → 28 Feb).</summary>
    public static DateOnly DecisionDueOn(DateOnly suspendedOn) => suspendedOn.AddYears(DecisionYears);

    /// <summary>2 years have passed since the suspension: the organization should decide (除名 if still out of reach).</summary>
    public static bool DecisionDue(DateOnly suspendedOn, DateOnly today) => today >= DecisionDueOn(suspendedOn);

    /// <summary>The alert for a member still suspended after 2 years without a decision; null before then.</summary>
    public static AlertFinding? Evaluate(Guid memberId, string name, Guid organizationId, DateOnly suspendedOn, DateOnly today)
    {
        if (!DecisionDue(suspendedOn, today)) return null;
        var due = DecisionDueOn(suspendedOn);
        return new AlertFinding(AlertCode, organizationId, AlertSeverity.Warning,
            $"{name}自{suspendedOn:yyyy年M月d日}停止党籍，已于{due:yyyy年M月d日}满{DecisionYears}年，尚未作出恢复党籍或除名的决定；" +
            $"仍无法取得联系的，应予除名（{Source}）",
            "member", memberId.ToString(), due);
    }

    /// <summary>Checks a restore or removal decision: the member must be suspended, the date between the suspension and
    /// today, the review text given (at most 500 characters). Field errors in Chinese, keyed by the API's field names.</summary>
    public static IEnumerable<(string Field, string Message)> CheckDecision(MemberStatus status, DateOnly? suspendedOn, DateOnly? decidedOn,
        string? text, DateOnly today, SuspensionOutcome outcome)
    {
        if (status != MemberStatus.Suspended)
            yield return ("status", outcome == SuspensionOutcome.Restored ? "只有停止党籍的党员才能恢复党籍" : "只有停止党籍的人员才能按本程序除名");
        if (decidedOn is not { } d) yield return ("decidedOn", "请填写决定日期");
        else if (d > today) yield return ("decidedOn", "决定日期不能晚于今天");
        else if (suspendedOn is { } s && d < s) yield return ("decidedOn", $"决定日期不能早于停止党籍的日期（{s:yyyy年M月d日}）");
        if (string.IsNullOrWhiteSpace(text))
            yield return ("review", outcome == SuspensionOutcome.Restored ? "请填写审查意见（停止党籍期间的表现和恢复党籍的理由）" : "请填写除名的决定和理由");
        else if (text.Trim().Length > 500) yield return ("review", "审查意见不能超过500个字符");
    }
}
