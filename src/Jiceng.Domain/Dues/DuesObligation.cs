using Jiceng.Domain.Alerts;
using Jiceng.Domain.Members;

namespace Jiceng.Domain.Dues;

/// <summary>What is known about one member's dues: vote date, status, bases and adjustments (any order).</summary>
public sealed record DuesFacts(
    Guid MemberId, string MemberName, Guid OrganizationId, DateOnly JoinedOn, MemberStatus Status,
    IReadOnlyList<DuesBaseFact> Bases, IReadOnlyList<DuesAdjustmentFact> Adjustments, DateOnly? PaidThrough);

/// <param name="Ended">An end of the bases (the member left the roll): from its month no base is in effect.</param>
public sealed record DuesBaseFact(DateOnly EffectiveMonth, long MonthlyAmountFen, DateTimeOffset CreatedAt, DateOnly? OpeningPaidThrough = null, bool Ended = false);

public sealed record DuesAdjustmentFact(DuesAdjustmentKind Kind, long MonthlyAmountFen, DateOnly FromMonth, DateOnly? ToMonth);

/// <summary>
/// What a member owes for a month (规定 rules.md §3). A member owes from the month of the 支部大会 vote that
/// admitted them (预备党员 pay from the vote date: the vote month is the first month due), under the latest
/// base in effect that month; an approved reduction or waiver replaces the amount for its months. Only members
/// who belong to and are counted in their organization owe dues. No base in effect → not yet assessed (null).
/// </summary>
public static class DuesObligation
{
    /// <summary>The first month due: the vote month.</summary>
    public static DateOnly FirstMonth(DateOnly joinedOn) => DuesMonth.Of(joinedOn);

    public static bool Owes(MemberStatus status) => PartyMembership.IsCurrent(status);

    /// <summary>The latest base in effect in <paramref name="month"/> (ties: the newest record); null when none is, or when the
    /// latest is an end (the member left the roll and no new base was recorded since).</summary>
    /// <remarks>A loop, not a sort: a street's ledger asks it for each of its 3,000 members, and the ordered query allocated most of
    /// the request (the first of equal records wins, as the stable sort's first did).</remarks>
    public static DuesBaseFact? BaseIn(IReadOnlyList<DuesBaseFact> bases, DateOnly month)
    {
        DuesBaseFact? latest = null;
        for (var i = 0; i < bases.Count; i++)
        {
            var b = bases[i];
            if (b.EffectiveMonth > month) continue;
            if (latest is null || b.EffectiveMonth > latest.EffectiveMonth || (b.EffectiveMonth == latest.EffectiveMonth && b.CreatedAt > latest.CreatedAt))
                latest = b;
        }
        return latest is { Ended: false } ? latest : null;
    }

    /// <summary>The latest base record of all (the latest month; ties: the newest record), an end row included; null when none.</summary>
    public static DuesBaseFact? Latest(IEnumerable<DuesBaseFact> bases) =>
        bases.OrderByDescending(b => b.EffectiveMonth).ThenByDescending(b => b.CreatedAt).FirstOrDefault();

    /// <summary>The month the member's dues ended from, when the latest base is an end row (<see cref="EndMonth"/>); null while a
    /// base is in force or none was recorded.</summary>
    public static DateOnly? EndedFrom(IEnumerable<DuesBaseFact> bases) => Latest(bases) is { Ended: true } end ? end.EffectiveMonth : null;

    /// <summary>
    /// The month an end of the bases takes effect when the member leaves the roll on <paramref name="leftOn"/>: the month after
    /// (the month of leaving is still a month of membership and stays due), and never before a base already recorded for a
    /// later month, which it must end too (an end on the same month wins as the newer record). Null when there is nothing to
    /// end: no base, or the latest is an end already. Rule: only members on the roll owe dues (规定, rules.md §3); leaving the
    /// roll ends the base so that nothing accrues while away, and a member who comes back is assessed anew (a new base; a
    /// readmitted member from the new vote month, <see cref="FirstMonth"/>).
    /// </summary>
    public static DateOnly? EndMonth(IEnumerable<DuesBaseFact> bases, DateOnly leftOn)
    {
        var latest = Latest(bases);
        if (latest is null || latest.Ended) return null;
        var after = DuesMonth.Of(leftOn).AddMonths(1);
        return latest.EffectiveMonth > after ? latest.EffectiveMonth : after;
    }

    /// <summary>The adjustment in effect in <paramref name="month"/>: of those covering it, the one from the latest month (the
    /// first of equal ones). A loop, as <see cref="BaseIn"/>.</summary>
    public static DuesAdjustmentFact? AdjustmentIn(IReadOnlyList<DuesAdjustmentFact> adjustments, DateOnly month)
    {
        DuesAdjustmentFact? latest = null;
        for (var i = 0; i < adjustments.Count; i++)
        {
            var a = adjustments[i];
            if (a.FromMonth <= month && (a.ToMonth is null || a.ToMonth >= month) && (latest is null || a.FromMonth > latest.FromMonth)) latest = a;
        }
        return latest;
    }

    /// <summary>The amount due in 分 from the month's base and adjustment (either may be missing).</summary>
    public static long? Due(long? baseAmountFen, DuesAdjustmentKind? kind, long adjustmentFen)
    {
        if (baseAmountFen is not { } b) return null;
        return kind switch
        {
            DuesAdjustmentKind.Waived => 0,
            DuesAdjustmentKind.Reduced => Math.Min(b, adjustmentFen),
            _ => b,
        };
    }

    /// <summary>Amount due in 分 for one month, or null when nothing is due (not yet a member, not counted, no base).</summary>
    public static long? DueIn(DuesFacts f, DateOnly month)
    {
        month = DuesMonth.Of(month);
        if (!Owes(f.Status) || month < FirstMonth(f.JoinedOn)) return null;
        var b = BaseIn(f.Bases, month);
        var a = AdjustmentIn(f.Adjustments, month);
        return Due(b?.MonthlyAmountFen, a?.Kind, a?.MonthlyAmountFen ?? 0);
    }

    /// <summary>党费交至: the later of the last paid month and a carried-over opening month; null if neither.</summary>
    public static DateOnly? PaidThrough(DateOnly? lastPaidMonth, IReadOnlyList<DuesBaseFact> bases)
    {
        // A loop, as BaseIn: asked for every member of a ledger.
        DateOnly? opening = null;
        for (var i = 0; i < bases.Count; i++)
            if (bases[i].OpeningPaidThrough is { } o && (opening is null || o > opening)) opening = o;
        if (lastPaidMonth is null) return opening;
        if (opening is null) return lastPaidMonth;
        return lastPaidMonth > opening ? lastPaidMonth : opening;
    }

    /// <summary>The first month the member still has to pay: after 党费交至, never before the vote month or the first base.</summary>
    public static DateOnly? NextMonthToPay(DuesFacts f)
    {
        if (f.Bases.Count == 0) return null;
        var start = FirstMonth(f.JoinedOn);
        var firstBase = f.Bases.Min(b => b.EffectiveMonth);
        if (firstBase > start) start = firstBase;
        var after = f.PaidThrough is { } p ? p.AddMonths(1) : start;
        return after > start ? after : start;
    }

    /// <summary>The months (with amounts in 分) a payment of <paramref name="count"/> months covers, continuing from 党费交至.</summary>
    public static IReadOnlyList<(DateOnly Month, long AmountFen)> NextMonths(DuesFacts f, int count)
    {
        if (NextMonthToPay(f) is not { } first) return [];
        return Enumerable.Range(0, count).Select(i => first.AddMonths(i)).Select(m => (m, DueIn(f, m) ?? 0)).ToList();
    }

    /// <summary>Months in arrears: months before the current month, after 党费交至, with an amount due above zero.</summary>
    public static int MonthsInArrears(DuesFacts f, DateOnly today)
    {
        if (NextMonthToPay(f) is not { } first) return 0;
        var lastClosed = DuesMonth.Of(today).AddMonths(-1);
        return DuesMonth.Range(first, lastClosed).Count(m => DueIn(f, m) is > 0);
    }

    /// <summary>Amount in arrears in 分.</summary>
    public static long ArrearsFen(DuesFacts f, DateOnly today)
    {
        if (NextMonthToPay(f) is not { } first) return 0;
        var lastClosed = DuesMonth.Of(today).AddMonths(-1);
        return DuesMonth.Range(first, lastClosed).Sum(m => DueIn(f, m) ?? 0);
    }
}

/// <summary>
/// 党章 第九条: a member who for six consecutive months without good reason pays no dues is regarded as having
/// left the party (自行脱党), rules.md §3 and §4. The system warns early: an alert when 3 months are in
/// arrears and an escalation (critical) at 5, one month before the six are complete. It only alerts; whether
/// there was good reason and what follows is the branch's decision.
/// </summary>
public static class DuesArrearsRule
{
    public const string Code = "dues.arrears";
    public const int WarningMonths = 3;
    public const int CriticalMonths = 5;
    public const int LapseMonths = 6;

    public static AlertSeverity? SeverityFor(int monthsInArrears) =>
        monthsInArrears >= CriticalMonths ? AlertSeverity.Critical
        : monthsInArrears >= WarningMonths ? AlertSeverity.Warning
        : null;

    public static AlertFinding? Evaluate(DuesFacts f, DateOnly today)
    {
        if (!DuesObligation.Owes(f.Status)) return null;
        var months = DuesObligation.MonthsInArrears(f, today);
        if (SeverityFor(months) is not { } severity) return null;
        var first = DuesObligation.NextMonthToPay(f)!.Value;
        // Six unpaid months are complete at the end of the sixth month after 党费交至.
        var due = first.AddMonths(LapseMonths).AddDays(-1);
        var paid = f.PaidThrough is { } p ? $"党费交至{p:yyyy年M月}" : "尚未交纳党费";
        var message = severity == AlertSeverity.Critical
            ? $"党员{f.MemberName}{paid}，已连续{months}个月未交纳党费；按党章规定，连续6个月不交纳党费且无正当理由的，按自行脱党处理，请支部立即联系了解情况"
            : $"党员{f.MemberName}{paid}，已{months}个月未交纳党费，请支部及时提醒并了解情况";
        return new AlertFinding(Code, f.OrganizationId, severity, message, "member", f.MemberId.ToString(), due);
    }
}
