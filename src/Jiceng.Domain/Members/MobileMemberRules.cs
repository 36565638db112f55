using Jiceng.Domain.Alerts;

namespace Jiceng.Domain.Members;

/// <summary>The facts the contact rule needs about one active 流动党员 registration.</summary>
public sealed record MobileContactFacts(Guid MemberId, string MemberName, Guid OrganizationId, string Location, DateOnly LastContactOn);

/// <summary>
/// 党章 第九条: a member who without good reason for six consecutive months takes no part in 组织生活,
/// pays no dues or does no assigned work is regarded as having left the party (自行脱党); rules.md §3.
/// A mobile member out of touch is the case where this happens unnoticed, so the organization is
/// warned at 5 months and the alert turns critical at 6. The rule only raises alerts: whether a
/// member has left the party is the branch's decision, never the system's.
/// </summary>
public static class MobileMemberContactRule
{
    public const string Code = "member.mobile-no-contact";
    public const int CriticalMonths = 6;
    public const int WarningMonths = 5;

    /// <summary>The date on which six months without contact are complete.</summary>
    public static DateOnly DueOn(DateOnly lastContactOn) => lastContactOn.AddMonths(CriticalMonths);

    public static AlertSeverity? SeverityFor(DateOnly lastContactOn, DateOnly today) =>
        today >= lastContactOn.AddMonths(CriticalMonths) ? AlertSeverity.Critical
        : today >= lastContactOn.AddMonths(WarningMonths) ? AlertSeverity.Warning
        : null;

    public static AlertFinding? Evaluate(MobileContactFacts f, DateOnly today)
    {
        if (SeverityFor(f.LastContactOn, today) is not { } severity) return null;
        var due = DueOn(f.LastContactOn);
        var message = severity == AlertSeverity.Critical
            ? $"流动党员{f.MemberName}（{f.Location}）自{f.LastContactOn:yyyy年M月d日}以来已满{CriticalMonths}个月未与党组织联系，请立即联系并了解情况"
            : $"流动党员{f.MemberName}（{f.Location}）自{f.LastContactOn:yyyy年M月d日}以来未与党组织联系，将于{due:yyyy年M月d日}满{CriticalMonths}个月，请及时联系";
        return new AlertFinding(Code, f.OrganizationId, severity, message, "member", f.MemberId.ToString(), due);
    }
}
