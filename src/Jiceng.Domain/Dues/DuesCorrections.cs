using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;

namespace Jiceng.Domain.Dues;

/// <summary>
/// A refund (退还) of a recorded payment, in full or of some of its months, with its reason and who approved it.
/// The refunded months' <see cref="DuesPaymentMonth"/> rows are removed (so 党费交至 and the ledgers, which are
/// counted from those rows, follow at once); this row keeps what was refunded, month by month. An online payment
/// is refunded through the provider (<c>RefundNo</c> is the out-refund number the provider deduplicates on).
/// </summary>
public class DuesRefund : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid PaymentId { get; set; }
    public Guid MemberId { get; set; }
    public Member? Member { get; set; }
    /// <summary>The payment's collecting organization (the money goes back from there).</summary>
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public DateOnly FromMonth { get; set; }
    public int MonthCount { get; set; }
    /// <summary>The refunded months' amounts in 分, comma-separated, from <see cref="FromMonth"/> on.</summary>
    public string MonthAmountsFen { get; set; } = "";
    public long DuesFen { get; set; }
    /// <summary>The voluntary extra amount, returned with a full refund only.</summary>
    public long VoluntaryFen { get; set; }
    public long TotalFen { get; set; }
    public DuesPaymentMethod Method { get; set; }
    public string RefundNo { get; set; } = "";
    public string? Provider { get; set; }
    public string? ProviderRefundId { get; set; }
    public string Reason { get; set; } = "";
    /// <summary>Who approved the refund (the branch committee or the 党委, as written on the approval).</summary>
    public string ApprovedBy { get; set; } = "";
    public DateTimeOffset RefundedAt { get; set; }
    /// <summary>The month (Asia/Shanghai) the money went back.</summary>
    public DateOnly RefundedMonth { get; set; }
    public string RecordedBy { get; set; } = "";
}

/// <summary>What a refund takes back: its first month, month count, amounts, and whether it returns the whole payment.</summary>
public sealed record DuesRefundPlan(DateOnly FromMonth, IReadOnlyList<long> MonthAmountsFen, long VoluntaryFen, bool Full)
{
    public long DuesFen => MonthAmountsFen.Sum();
    public long TotalFen => DuesFen + VoluntaryFen;
}

/// <summary>
/// Which months a refund may take back. The 规定 (rules.md §3) has no article on refunds, so this is our rule
/// (unverified against any local 实施细则): 党费交至 is "paid through", without holes, so a refund takes back the
/// payment's latest months that are still held, and only while no later month is paid by another payment (refund
/// that one first). Refunding all months still held is a full refund and also returns the voluntary amount. A payment
/// already fully refunded, pending or cancelled cannot be refunded; more months than are held are refused.
/// </summary>
public static class DuesRefundRule
{
    public const string Source = "本系统规则（《关于中国共产党党费收缴、使用和管理的规定》未规定退还，unverified）";

    /// <param name="fromMonth">The payment's first month.</param>
    /// <param name="monthAmountsFen">The payment's month amounts as paid.</param>
    /// <param name="refundedMonths">Months of the payment already refunded (its last ones).</param>
    /// <param name="voluntaryFen">The payment's voluntary extra amount.</param>
    /// <param name="requested">Months to refund; null = all still held (a full refund).</param>
    /// <param name="memberLastPaidMonth">The member's latest paid month by any payment.</param>
    public static (DuesRefundPlan? Plan, string? Error) Plan(DuesPaymentStatus status, DateOnly fromMonth, IReadOnlyList<long> monthAmountsFen,
        int refundedMonths, long voluntaryFen, int? requested, DateOnly? memberLastPaidMonth)
    {
        if (status == DuesPaymentStatus.Refunded) return (null, "该笔交纳已全部退还，不能再次退还");
        if (status != DuesPaymentStatus.Paid) return (null, "只有已入账的交纳可以退还");
        var held = monthAmountsFen.Count - refundedMonths;
        if (held <= 0) return (null, "该笔交纳已全部退还，不能再次退还");
        var count = requested ?? held;
        if (count < 1) return (null, "退还月数至少为1个月");
        if (count > held) return (null, $"退还月数不能超过该笔交纳尚未退还的{held}个月");
        var lastHeld = fromMonth.AddMonths(held - 1);
        if (memberLastPaidMonth is { } last && last > lastHeld)
            return (null, $"该笔交纳之后还有已交纳的月份（党费交至{last:yyyy年M月}），请先退还之后的交纳");
        var first = held - count;
        var full = count == held;
        return (new DuesRefundPlan(fromMonth.AddMonths(first), monthAmountsFen.Skip(first).Take(count).ToList(), full ? voluntaryFen : 0, full), null);
    }
}

/// <summary>
/// Revoking (撤销) an approved reduction or waiver from a month on: the approval stays in the history with the
/// revocation's month, reason and who recorded it, and from that month the rule's amount is due again. The 规定
/// 第六条 (rules.md §3) lets the 支部 and 党委 approve a reduction; ending it when the hardship ends is the same
/// bodies' decision (our rule, unverified). Months up to 党费交至 were paid at the reduced amount and stay as paid,
/// so a revocation starts after 党费交至, within the reduction's months.
/// </summary>
public static class DuesAdjustmentRevocation
{
    /// <summary>The last month the adjustment applies after a revocation from <paramref name="revokedFrom"/> (null = open-ended);
    /// a revocation from its first month or earlier voids it (returns a month before its start).</summary>
    public static DateOnly? EffectiveTo(DateOnly? toMonth, DateOnly? revokedFrom)
    {
        if (revokedFrom is not { } r) return toMonth;
        var end = r.AddMonths(-1);
        return toMonth is { } t && t < end ? t : end;
    }

    /// <summary>Whether the adjustment applies at all (a revocation from its first month voids it).</summary>
    public static bool Applies(DateOnly fromMonth, DateOnly? toMonth, DateOnly? revokedFrom) =>
        EffectiveTo(toMonth, revokedFrom) is not { } end || end >= fromMonth;

    public static string? Check(DateOnly fromMonth, DateOnly? toMonth, DateOnly? alreadyRevokedFrom, DateOnly revokeFrom, DateOnly? paidThrough)
    {
        if (alreadyRevokedFrom is { } a) return $"该减免已于{a:yyyy年M月}起撤销";
        if (revokeFrom < fromMonth) return $"撤销月份不能早于减免起始月份{fromMonth:yyyy年M月}";
        if (toMonth is { } t && revokeFrom > t) return $"减免到{t:yyyy年M月}已结束，无需撤销";
        if (paidThrough is { } p && revokeFrom <= p)
            return $"党费已交至{p:yyyy年M月}（按减免后的金额），撤销应从{p.AddMonths(1):yyyy年M月}或以后开始";
        return null;
    }
}
