namespace Jiceng.Domain.OrganizationalLife;

/// <summary>
/// 支委会 quorum: a committee meeting is valid with at least half of the committee members present.
/// Source: 《中国共产党支部工作条例（试行）》2018 (支委会 needs at least half of its members present), rules.md §4 (">= half").
/// </summary>
public static class CommitteeQuorum
{
    public const string Source = "《中国共产党支部工作条例（试行）》";

    /// <summary>Met when present * 2 >= committee size; null when no committee is recorded (nothing to check against).</summary>
    public static bool? IsMet(int committeeSize, int committeePresent) =>
        committeeSize <= 0 ? null : committeePresent * 2 >= committeeSize;

    /// <summary>The fewest committee members that make a valid meeting.</summary>
    public static int Needed(int committeeSize) => (committeeSize + 1) / 2;
}

/// <summary>
/// A member absent without excuse from N consecutive activities of their organization (N a setting, default 3) is flagged
/// early, before the 党章 第九条 rule (6 months without taking part in organizational life without good reason is treated
/// as leaving the party) can apply. Excused absences break nothing and count as nothing: they neither extend nor end a streak.
/// </summary>
public static class AbsenceStreakRule
{
    public const string Source = "《中国共产党章程》第九条；地方实践：连续缺席提醒";

    /// <summary>Consecutive unexcused absences counted from the newest activity back: a present mark ends the streak,
    /// an excused one is skipped.</summary>
    public static int Streak(IEnumerable<AttendanceStatus> newestFirst)
    {
        var n = 0;
        foreach (var s in newestFirst)
        {
            if (s == AttendanceStatus.Present) break;
            if (s == AttendanceStatus.Absent) n++;
        }
        return n;
    }

    public static bool Fires(int streak, int threshold) => threshold > 0 && streak >= threshold;
}

/// <summary>
/// Yearly training: every member >= 32 学时; branch secretaries and committee members (班子成员) >= 56.
/// Source: 《党员教育管理工作条例》2019 (党员每年集中学习培训不少于32学时；基层党组织书记和班子成员不少于56学时), rules.md §4.
/// </summary>
public static class TrainingHoursRule
{
    public const string Source = "《党员教育管理工作条例》";
    public const decimal MemberHours = 32m;
    public const decimal LeaderHours = 56m;
    public const decimal MaxHoursPerActivity = 40m;

    public static decimal Required(bool isLeader) => isLeader ? LeaderHours : MemberHours;

    public static bool IsMet(decimal hours, bool isLeader) => hours >= Required(isLeader);

    /// <summary>Kinds that carry 学时: the party lesson always, a theme day when it includes study.</summary>
    public static bool CarriesHours(ActivityKind kind) => kind is ActivityKind.PartyLesson or ActivityKind.ThemeDay;
}
