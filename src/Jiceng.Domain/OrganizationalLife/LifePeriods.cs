using Jiceng.Domain.Organizations;
using Jiceng.Domain.Settings;

namespace Jiceng.Domain.OrganizationalLife;

/// <summary>Business dates are Chinese dates: an instant belongs to the day (and so the month, quarter and year) it is in Asia/Shanghai.</summary>
public static class ChinaDate
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DateOnly Of(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);
}

/// <summary>One planning period of a year: a month, a quarter, a half year or the whole year.</summary>
public sealed record LifePeriod(int Year, int Index, int Months, DateOnly Start, DateOnly End)
{
    /// <summary>"2026年第3季度", "2026年11月", "2026年".</summary>
    public string Label => Months switch
    {
        1 => $"{Year}年{Index}月",
        3 => $"{Year}年第{Index}季度",
        6 => Index == 1 ? $"{Year}年上半年" : $"{Year}年下半年",
        12 => $"{Year}年",
        _ => $"{Year}年{Start.Month}—{End.Month}月",
    };

    /// <summary>Closed: the period's last day is over (in China time), so a missing activity can no longer be held in it.</summary>
    public bool IsClosed(DateOnly today) => End < today;

    public bool Contains(DateOnly d) => d >= Start && d <= End;
}

/// <summary>
/// Periods of the planning calendar. A frequency is "N times a year" (a setting); when N divides 12 the year is cut into N
/// equal periods with one activity due in each (4 → quarters, 12 → months); otherwise the whole year is one period with N due.
/// Source: 《中国共产党支部工作条例（试行）》2018 (三会一课: 支部党员大会 quarterly, 支委会 and 党小组会 monthly,
/// 党课 regularly), rules.md §4.
/// </summary>
public static class LifePeriods
{
    public static int MonthsPerPeriod(int timesPerYear) => timesPerYear > 0 && 12 % timesPerYear == 0 ? 12 / timesPerYear : 12;

    /// <summary>How many activities are due in one period.</summary>
    public static int DuePerPeriod(int timesPerYear) => timesPerYear <= 0 ? 0 : 12 % timesPerYear == 0 ? 1 : timesPerYear;

    public static LifePeriod Of(DateOnly date, int timesPerYear)
    {
        var months = MonthsPerPeriod(timesPerYear);
        var index = (date.Month - 1) / months + 1;
        return Make(date.Year, index, months);
    }

    public static IReadOnlyList<LifePeriod> OfYear(int year, int timesPerYear)
    {
        var months = MonthsPerPeriod(timesPerYear);
        return Enumerable.Range(1, 12 / months).Select(i => Make(year, i, months)).ToList();
    }

    private static LifePeriod Make(int year, int index, int months)
    {
        var start = new DateOnly(year, (index - 1) * months + 1, 1);
        return new LifePeriod(year, index, months, start, start.AddMonths(months).AddDays(-1));
    }
}

/// <summary>A required activity kind with how often it is due.</summary>
public sealed record RequiredActivity(ActivityKind Kind, int TimesPerYear);

/// <summary>
/// Which activities an organization must hold, and how often (settings with the rules.md §4 defaults).
/// Branches (党支部 and the branch-like kinds): 支部党员大会, 党课, 主题党日, 组织生活会, 谈心谈话, 民主评议, and 支委会 when a
/// committee is set up. Party groups: 党小组会. Sources: 《中国共产党支部工作条例（试行）》2018;
/// 《党员教育管理工作条例》2019.
/// </summary>
public static class ActivitySchedule
{
    public static readonly IReadOnlyDictionary<ActivityKind, SettingDefinition> Frequency = new Dictionary<ActivityKind, SettingDefinition>
    {
        [ActivityKind.BranchAssembly] = SettingDefinitions.LifeBranchAssembliesPerYear,
        [ActivityKind.CommitteeMeeting] = SettingDefinitions.LifeCommitteeMeetingsPerYear,
        [ActivityKind.GroupMeeting] = SettingDefinitions.LifeGroupMeetingsPerYear,
        [ActivityKind.PartyLesson] = SettingDefinitions.MeetingPartyLessonPerYear,
        [ActivityKind.ThemeDay] = SettingDefinitions.LifeThemeDaysPerYear,
        [ActivityKind.CriticismMeeting] = SettingDefinitions.LifeCriticismMeetingsPerYear,
        [ActivityKind.HeartToHeartTalk] = SettingDefinitions.LifeHeartTalksPerYear,
        [ActivityKind.MemberAppraisal] = SettingDefinitions.LifeAppraisalsPerYear,
    };

    /// <summary>Organizations that record organizational life: branches and party groups.</summary>
    public static bool HoldsActivities(OrganizationKind kind) => kind.IsBranchLike() || kind == OrganizationKind.PartyGroup;

    /// <summary>Kinds an organization may record (a party group holds 党小组会 and may take part in lessons and theme days).</summary>
    public static bool MayRecord(OrganizationKind orgKind, ActivityKind kind) =>
        orgKind == OrganizationKind.PartyGroup
            ? kind is ActivityKind.GroupMeeting or ActivityKind.PartyLesson or ActivityKind.ThemeDay or ActivityKind.HeartToHeartTalk
            : orgKind.IsBranchLike() && kind != ActivityKind.GroupMeeting;

    public static IReadOnlyList<RequiredActivity> RequiredFor(OrganizationKind orgKind, bool hasCommittee, ISettingsReader settings)
    {
        IEnumerable<ActivityKind> kinds = orgKind == OrganizationKind.PartyGroup
            ? [ActivityKind.GroupMeeting]
            : orgKind.IsBranchLike()
                ? Frequency.Keys.Where(k => k != ActivityKind.GroupMeeting && (k != ActivityKind.CommitteeMeeting || hasCommittee))
                : [];
        return kinds.Select(k => new RequiredActivity(k, settings.Get(Frequency[k]))).Where(r => r.TimesPerYear > 0).OrderBy(r => r.Kind).ToList();
    }
}

public enum PeriodState
{
    Done = 1,     // 已完成
    Due = 2,      // 待开展 (open period, not enough yet)
    Missed = 3,   // 未开展 (closed period, not enough)
    NotDue = 4,   // 不要求 (before the organization was set up)
}

/// <summary>One cell of the calendar: a kind in a period, how many are due and how many were held.</summary>
public sealed record CalendarCell(ActivityKind Kind, LifePeriod Period, int Due, int Held, PeriodState State);

/// <summary>The planning calendar: for each required kind and each period of the year, done, due or missed.</summary>
public static class ActivityCalendar
{
    public static IReadOnlyList<CalendarCell> Build(int year, IReadOnlyList<RequiredActivity> required, IEnumerable<(ActivityKind Kind, DateOnly Date)> held,
        DateOnly today, DateOnly? establishedOn)
    {
        var byKind = held.GroupBy(h => h.Kind).ToDictionary(g => g.Key, g => g.Select(x => x.Date).ToList());
        var cells = new List<CalendarCell>();
        foreach (var r in required)
        {
            var dates = byKind.GetValueOrDefault(r.Kind) ?? [];
            var due = LifePeriods.DuePerPeriod(r.TimesPerYear);
            foreach (var p in LifePeriods.OfYear(year, r.TimesPerYear))
            {
                var count = dates.Count(p.Contains);
                var state = count >= due ? PeriodState.Done
                    : establishedOn is { } e && e > p.Start ? PeriodState.NotDue
                    : p.IsClosed(today) ? PeriodState.Missed : PeriodState.Due;
                cells.Add(new CalendarCell(r.Kind, p, due, count, state));
            }
        }
        return cells;
    }

    /// <summary>Missed periods the compliance rule looks at: closed, ended within the last 12 months, and not before the
    /// organization was set up (periods that began before establishment are not required).</summary>
    public static IReadOnlyList<LifePeriod> MissedRecently(RequiredActivity required, IReadOnlyCollection<DateOnly> held, DateOnly today, DateOnly? establishedOn)
    {
        var due = LifePeriods.DuePerPeriod(required.TimesPerYear);
        var from = today.AddYears(-1);
        return LifePeriods.OfYear(today.Year - 1, required.TimesPerYear).Concat(LifePeriods.OfYear(today.Year, required.TimesPerYear))
            .Where(p => p.IsClosed(today) && p.End >= from && (establishedOn is not { } e || e <= p.Start))
            .Where(p => held.Count(p.Contains) < due)
            .ToList();
    }
}
