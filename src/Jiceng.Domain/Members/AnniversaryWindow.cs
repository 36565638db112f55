namespace Jiceng.Domain.Members;

/// <summary>
/// The 政治生日 window: joining anniversaries from <see cref="From"/> to <see cref="To"/> (both
/// included), expressed as ranges of <see cref="Member.JoinedMonthDay"/> (MMDD) so the database answers
/// from its index. A window crossing New Year is two ranges (Dec → Jan). Someone who joined on Feb 29
/// celebrates on Feb 28 in a common year (<see cref="MemberRules.Anniversary"/>), so a window that
/// holds Feb 28 of a common year also takes MMDD 0229.
/// </summary>
public sealed record AnniversaryWindow(DateOnly From, DateOnly To, int FirstFrom, int FirstTo, int SecondFrom, int SecondTo, bool IncludeFeb29)
{
    public const int DefaultDays = 30;
    public const int MaxDays = 60;
    public const int Feb29 = 229;

    public static int MonthDay(DateOnly d) => d.Month * 100 + d.Day;

    /// <summary>The window from <paramref name="today"/> through <paramref name="days"/> days later (0 ≤ days ≤ <see cref="MaxDays"/>).</summary>
    public static AnniversaryWindow For(DateOnly today, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxDays);
        var to = today.AddDays(days);
        var feb28InCommonYear = new[] { today.Year, to.Year }.Distinct()
            .Any(y => !DateTime.IsLeapYear(y) && new DateOnly(y, 2, 28) is var d && d >= today && d <= to);
        // An empty second range is (1, 0): no MMDD lies in it.
        return today.Year == to.Year
            ? new AnniversaryWindow(today, to, MonthDay(today), MonthDay(to), 1, 0, feb28InCommonYear)
            : new AnniversaryWindow(today, to, MonthDay(today), 1231, 101, MonthDay(to), feb28InCommonYear);
    }

    public bool Contains(int monthDay) =>
        (monthDay >= FirstFrom && monthDay <= FirstTo) || (monthDay >= SecondFrom && monthDay <= SecondTo) || (IncludeFeb29 && monthDay == Feb29);

    /// <summary>Sort key in date order within the window: dates before <see cref="FirstFrom"/> belong to the next year.</summary>
    public int Order(int monthDay) => monthDay < FirstFrom ? monthDay + 10000 : monthDay;

    /// <summary>The anniversary date in the window and the number of years since joining.</summary>
    public (DateOnly Date, int Years) AnniversaryOf(DateOnly joinedOn)
    {
        var date = MemberRules.NextAnniversary(joinedOn, From);
        return (date, date.Year - joinedOn.Year);
    }
}
