using Jiceng.Domain.Alerts;

namespace Jiceng.Domain.Members;

/// <summary>What the branch decided about a suspended member who came back or stayed out of reach.</summary>
public enum SuspensionOutcome
{
    Restored = 1,
    Removed = 2,
    /// <summary>The person was recorded as 已故 while suspended: the suspension ends with the membership, no decision is due.</summary>
    Died = 3,
}

public static class SuspensionOutcomeNames
{
    /// <summary>The decision as the record and its history table name it.</summary>
    public static string ToChinese(this SuspensionOutcome o) => o switch
    {
        SuspensionOutcome.Restored => "恢复党籍",
        SuspensionOutcome.Removed => "除名",
        SuspensionOutcome.Died => "已故（停止党籍终止）",
        _ => o.ToString(),
    };
}

/// <summary>A contact with the member the organization has on record, and where it is recorded (Chinese, for messages).</summary>
public sealed record RecordedContact(DateOnly On, string Source);


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

    /// <summary>
    /// Checks a suspension (停止党籍) before it is recorded. A current member (<see cref="PartyMembership.IsCurrent"/>) is suspended
    /// when they have lost contact for more than <see cref="LostContactMonths"/> months on the decision date: the last contact
    /// (<paramref name="lostContactSince"/>), the decision date (not after today, not before the last contact nor the 入党日期) and
    /// the reason are required. A member already suspended before the date was recorded (<paramref name="suspendedOn"/> null)
    /// may have the decision date recorded afterwards (补录): the last contact and the reason are then optional, and checked
    /// when given. A recorded contact later than the given last contact (a mobile registration's 最近联系, an earlier 恢复党籍)
    /// refuses it: the lost contact counts from the latest contact the organization has on record. Field errors in Chinese,
    /// keyed by the API's field names.
    /// </summary>
    public static IEnumerable<(string Field, string Message)> CheckSuspension(MemberStatus status, DateOnly? suspendedOn, DateOnly joinedOn,
        DateOnly? lostContactSince, DateOnly? decidedOn, string? reason, DateOnly today, RecordedContact? latestContact)
    {
        var recording = status == MemberStatus.Suspended && suspendedOn is null;
        if (status == MemberStatus.Suspended && suspendedOn is { } since)
        {
            yield return ("status", $"该党员已于{since:yyyy年M月d日}停止党籍，不能重复办理；本人联系后请办理恢复党籍或除名");
            yield break;
        }
        if (!recording && PartyMembership.RefusalFor(status) is { } refusal)
        {
            yield return ("status", $"只有在册党员才能停止党籍（{refusal}）");
            yield break;
        }
        if (decidedOn is not { } d) yield return ("decidedOn", recording ? "请填写停止党籍的日期（党组织作出决定的日期）" : "请填写决定日期");
        else if (d > today) yield return ("decidedOn", "决定日期不能晚于今天");
        else if (d < joinedOn) yield return ("decidedOn", $"停止党籍的日期不能早于入党日期（{joinedOn:yyyy年M月d日}）");
        if (lostContactSince is not { } lc)
        {
            if (!recording) yield return ("lostContactSince", "请填写与党组织失去联系的日期（最近一次联系的日期）");
        }
        else if (lc > today) yield return ("lostContactSince", "失去联系的日期不能晚于今天");
        else if (decidedOn is { } d2 && lc > d2) yield return ("lostContactSince", "失去联系的日期不能晚于停止党籍的决定日期");
        else if (latestContact is { } contact && contact.On > lc)
            yield return ("lostContactSince", $"{contact.Source}记录该党员最近一次联系是{contact.On:yyyy年M月d日}，晚于所填日期；失去联系应从最近一次联系起算");
        else if (decidedOn is { } d3 && d3 <= today && !LostContactLongEnough(lc, d3))
            yield return ("lostContactSince", $"失去联系须超过{LostContactMonths}个月才能停止党籍：自{lc:yyyy年M月d日}起到决定日期{d3:yyyy年M月d日}" +
                $"未超过{LostContactMonths}个月，{lc.AddMonths(LostContactMonths).AddDays(1):yyyy年M月d日}起方可决定（{Source}）");
        if (string.IsNullOrWhiteSpace(reason))
        {
            if (!recording) yield return ("reason", "请填写停止党籍的理由（失去联系的经过和寻找情况）");
        }
        else if (reason.Trim().Length > 500) yield return ("reason", "理由不能超过500个字符");
    }

    /// <summary>Checks a restore or removal decision: the member must be suspended (with the suspension's date recorded), the date between the suspension and
    /// today, the review text given (at most 500 characters). Field errors in Chinese, keyed by the API's field names.</summary>
    public static IEnumerable<(string Field, string Message)> CheckDecision(MemberStatus status, DateOnly? suspendedOn, DateOnly? decidedOn,
        string? text, DateOnly today, SuspensionOutcome outcome)
    {
        if (status != MemberStatus.Suspended)
            yield return ("status", outcome == SuspensionOutcome.Restored ? "只有停止党籍的党员才能恢复党籍" : "只有停止党籍的人员才能按本程序除名");
        else if (suspendedOn is null)
            yield return ("status", "该党员未登记停止党籍日期，请先在“停止党籍”中补录停止党籍日期，再作出决定");
        if (decidedOn is not { } d) yield return ("decidedOn", "请填写决定日期");
        else if (d > today) yield return ("decidedOn", "决定日期不能晚于今天");
        else if (suspendedOn is { } s && d < s) yield return ("decidedOn", $"决定日期不能早于停止党籍的日期（{s:yyyy年M月d日}）");
        if (string.IsNullOrWhiteSpace(text))
            yield return ("review", outcome == SuspensionOutcome.Restored ? "请填写审查意见（停止党籍期间的表现和恢复党籍的理由）" : "请填写除名的决定和理由");
        else if (text.Trim().Length > 500) yield return ("review", "审查意见不能超过500个字符");
    }
}

/// <summary>
/// Data quality: a member whose status is 停止党籍 but whose suspension date was never recorded (entered or imported before the
/// date existed, or imported without it). The 2-year decision of <see cref="SuspensionRule"/> (same source:
/// 中组部《关于加强和改进流动党员管理工作的意见》2006) counts from that date, so without it the decision alert never comes and the
/// record shows no due date. This rule is the system's own, not the document's: it asks the branch to record the date.
/// </summary>
public static class SuspensionDateMissingRule
{
    public const string AlertCode = "member.suspension-date-missing";

    public static AlertFinding Evaluate(Guid memberId, string name, Guid organizationId) =>
        new(AlertCode, organizationId, AlertSeverity.Warning,
            $"{name}的状态为停止党籍，但未登记停止党籍日期，无法计算满{SuspensionRule.DecisionYears}年应作出处理的期限；" +
            $"请在党员信息的“停止党籍”中补录停止党籍日期（{SuspensionRule.Source}）",
            "member", memberId.ToString(), null);
}
