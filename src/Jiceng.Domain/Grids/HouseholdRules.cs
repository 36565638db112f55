namespace Jiceng.Domain.Grids;

/// <summary>Household tags (民情台账) and the grid worker's load (seed 002: each grid member links 15-20 households).</summary>
public static class HouseholdRules
{
    public const int MaxHouseholdsPerWorker = 20;
    public const int VisitsPerYear = 4;

    public static readonly IReadOnlyList<string> KnownTags = ["独居老人", "空巢老人", "困难家庭", "残疾", "优抚对象", "低保", "留守儿童", "重点关注"];

    /// <summary>A worker holding more than 20 households is over the seed's 15-20.</summary>
    public static bool WorkerOverloaded(int households) => households > MaxHouseholdsPerWorker;

    /// <summary>The quarter (Jan-Mar, Apr-Jun, ...) before the one <paramref name="today"/> is in.</summary>
    public static (DateOnly From, DateOnly To) LastQuarter(DateOnly today)
    {
        var startThis = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1);
        var from = startThis.AddMonths(-3);
        return (from, startThis.AddDays(-1));
    }

    /// <summary>Not visited in the last quarter: no visit from its first day through today.</summary>
    public static bool NotVisitedLastQuarter(DateOnly? lastVisit, DateOnly today) =>
        lastVisit is not { } v || v < LastQuarter(today).From;

    public static bool BelowYearlyVisits(int visitsThisYear) => visitsThisYear < VisitsPerYear;
}
