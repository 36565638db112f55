namespace Jiceng.Domain.Members;

/// <summary>Dates and states of a member record, as named rules.</summary>
public static class MemberRules
{
    /// <summary>党章 第七条: the probation lasts one year from the branch assembly's vote; it may be
    /// extended (at most one more year), so 转正 falls between 1 and 2 years after joining.</summary>
    public const int ProbationYears = 1;
    public const int MaxProbationExtensionYears = 1;

    /// <summary>发展党员工作细则 第九条: an applicant is at least 18.</summary>
    public const int MinimumAge = 18;

    /// <summary>Completed years between two dates; a Feb 29 date counts its anniversary on Feb 28 in common years.</summary>
    public static int CompletedYears(DateOnly from, DateOnly to)
    {
        if (to < from) return 0;
        var years = to.Year - from.Year;
        if (Anniversary(from, to.Year) > to) years--;
        return years;
    }

    /// <summary>Age in completed years.</summary>
    public static int Age(DateOnly birth, DateOnly today) => CompletedYears(birth, today);

    /// <summary>党龄: counted from 转正 (党章 第七条), so a probationary member has none yet.</summary>
    public static int? PartyAge(MemberState state, DateOnly? fullMemberOn, DateOnly today) =>
        state == MemberState.Full && fullMemberOn is { } f ? CompletedYears(f, today) : null;

    /// <summary>The date of the anniversary of <paramref name="date"/> in <paramref name="year"/>; Feb 29 becomes Feb 28 in common years.</summary>
    public static DateOnly Anniversary(DateOnly date, int year) =>
        new(year, date.Month, Math.Min(date.Day, DateTime.DaysInMonth(year, date.Month)));

    /// <summary>The next 政治生日 (anniversary of joining) on or after today.</summary>
    public static DateOnly NextAnniversary(DateOnly joinedOn, DateOnly today)
    {
        var thisYear = Anniversary(joinedOn, today.Year);
        return thisYear >= today ? thisYear : Anniversary(joinedOn, today.Year + 1);
    }

    /// <summary>Checks that the dates and state of a record agree; returns field → Chinese message.</summary>
    public static Dictionary<string, string> Check(MemberState state, DateOnly birth, DateOnly joinedOn, DateOnly? fullMemberOn, Occupation occupation, DateOnly today)
    {
        var errors = new Dictionary<string, string>();
        if (birth > today) errors["birthDate"] = "出生日期不能晚于今天";
        if (joinedOn > today) errors["joinedOn"] = "入党日期不能晚于今天";
        else if (Age(birth, joinedOn) < MinimumAge) errors["joinedOn"] = $"入党时应年满{MinimumAge}周岁";
        switch (state)
        {
            case MemberState.Probationary when fullMemberOn is not null:
                errors["fullMemberOn"] = "预备党员不应有转正日期";
                break;
            case MemberState.Full when fullMemberOn is null:
                errors["fullMemberOn"] = "正式党员须填写转正日期";
                break;
            case MemberState.Full when fullMemberOn is { } f && (f < joinedOn.AddYears(ProbationYears) || f > joinedOn.AddYears(ProbationYears + MaxProbationExtensionYears)):
                errors["fullMemberOn"] = "转正日期应在入党（预备期开始）后满1年至2年之间";
                break;
            case MemberState.Full when fullMemberOn > today:
                errors["fullMemberOn"] = "转正日期不能晚于今天";
                break;
        }
        if (occupation == Occupation.Retired && Age(birth, today) < 40) errors["occupation"] = "退休人员年龄应不小于40周岁，请核对出生日期或职业";
        if (occupation == Occupation.Student && Age(birth, today) > 60) errors["occupation"] = "学生年龄应不大于60周岁，请核对出生日期或职业";
        return errors;
    }

    /// <summary>A probationary member whose year of probation has passed is due for the 转正 discussion.</summary>
    public static bool ProbationEnded(MemberState state, DateOnly joinedOn, DateOnly today) =>
        state == MemberState.Probationary && today >= joinedOn.AddYears(ProbationYears);
}
