using Jiceng.Domain.Dues;
using Jiceng.Web.Infrastructure;

namespace Jiceng.Web.Features.Dues;

/// <summary>GET /api/v1/dues/quote: the one rule, exposed.</summary>
public sealed record DuesQuoteView(decimal MonthlyAmount, decimal? Rate, string Rule);

public sealed class DuesBaseInput
{
    public DuesCategory? Category { get; set; }
    /// <summary>Monthly after-tax regular pay (employed) or pension (retired), in 元; not used for fixed categories.</summary>
    public decimal? MonthlyBase { get; set; }
    /// <summary>"2026-10": the first month the base applies to.</summary>
    public string? EffectiveMonth { get; set; }
    /// <summary>"2026-05": 党费交至 from the paper ledger or a transfer letter; only with a member's first base.</summary>
    public string? OpeningPaidThrough { get; set; }
}

public sealed class DuesAdjustmentInput
{
    public DuesAdjustmentKind? Kind { get; set; }
    /// <summary>The reduced monthly amount in 元 (reductions only).</summary>
    public decimal? MonthlyAmount { get; set; }
    public string? FromMonth { get; set; }
    public string? ToMonth { get; set; }
    public string? Reason { get; set; }
    /// <summary>The approving 党委 and its meeting or document.</summary>
    public string? ApprovedBy { get; set; }
    public DateOnly? ApprovedOn { get; set; }
}

public sealed class DuesPaymentInput
{
    public Guid? MemberId { get; set; }
    /// <summary>How many months (1 monthly, 3 quarterly, up to 12); they continue from 党费交至.</summary>
    public int? Months { get; set; }
    public DuesPaymentMethod? Method { get; set; }
    /// <summary>A voluntary extra amount in 元 (自愿多交), optional.</summary>
    public decimal? VoluntaryAmount { get; set; }
}

public sealed record DuesBaseView(Guid Id, DuesCategory Category, string CategoryName, decimal? MonthlyBase, decimal MonthlyAmount, decimal? Rate,
    string EffectiveMonth, string? OpeningPaidThrough, string Rule, string RecordedBy, DateTimeOffset CreatedAt, bool Ended = false);

public sealed record DuesAdjustmentView(Guid Id, DuesAdjustmentKind Kind, string KindName, decimal MonthlyAmount, string FromMonth, string? ToMonth,
    string Reason, string ApprovedBy, DateOnly ApprovedOn, string RecordedBy, string? RevokedFromMonth = null, string? RevokeReason = null,
    string? RevokedBy = null);

public sealed record DuesPaymentView(Guid Id, Guid MemberId, string MemberName, DuesPaymentMethod Method, string MethodName, DuesPaymentStatus Status,
    string StatusName, string? FromMonth, string? ToMonth, int Months, decimal Dues, decimal Voluntary, decimal Total, DateTimeOffset? PaidAt,
    string RecordedBy, string? PayUrl = null, int RefundedMonths = 0, decimal Refunded = 0);

/// <summary>退还 of a payment: all of it (Months null) or its last months; reason and approver required.</summary>
public sealed class DuesRefundInput
{
    public int? Months { get; set; }
    public string? Reason { get; set; }
    /// <summary>Who approved the refund (支委会, 党委), as written on the approval.</summary>
    public string? ApprovedBy { get; set; }
}

/// <summary>撤销 of an approved reduction or waiver from a month on.</summary>
public sealed class DuesRevocationInput
{
    public string? FromMonth { get; set; }
    public string? Reason { get; set; }
}

public sealed record DuesRefundView(Guid Id, Guid PaymentId, string FromMonth, string ToMonth, int Months, decimal Dues, decimal Voluntary, decimal Total,
    DuesPaymentMethod Method, string MethodName, string RefundNo, string? ProviderRefundId, string Reason, string ApprovedBy, DateTimeOffset RefundedAt,
    string RecordedBy);

public sealed record DuesMonthAmount(string Month, decimal Amount);

/// <summary>A member's dues as the member record and the member's own page show them.</summary>
public sealed record MemberDuesView(Guid MemberId, string MemberName, Guid OrganizationId, string OrganizationName,
    DuesBaseView? CurrentBase, decimal? MonthlyAmount, string? PaidThrough, string? NextMonth, int MonthsInArrears, decimal ArrearsAmount,
    IReadOnlyList<DuesMonthAmount> NextQuarter, IReadOnlyList<DuesBaseView> BaseHistory, IReadOnlyList<DuesAdjustmentView> Adjustments,
    IReadOnlyList<DuesPaymentView> Payments, DuesPaymentView? PendingOnline, IReadOnlyList<DuesRefundView> Refunds);

public sealed record DuesLedgerTotals(int Members, int Assessed, int NotAssessed, int PaidMembers, int UnpaidMembers,
    decimal Due, decimal Paid, decimal Unpaid, decimal Voluntary);

public sealed record DuesLedgerOrgRow(Guid OrganizationId, string OrganizationName, DuesLedgerTotals Totals);

/// <summary>State: 已交 / 未交 / 部分交纳 / 免交 / 未核定 (no base declared).</summary>
public sealed record DuesLedgerMemberRow(Guid MemberId, string Name, Guid OrganizationId, string OrganizationName, decimal? Due, decimal Paid,
    decimal Unpaid, decimal Voluntary, string State);

/// <summary>党费收缴台账 of one month for a subtree: 应交/实交/未交 with names, rolled up by the next level.</summary>
public sealed record DuesMonthLedger(Guid OrganizationId, string OrganizationName, string Month, DuesLedgerTotals Totals,
    IReadOnlyList<DuesLedgerOrgRow> Organizations, PagedList<DuesLedgerMemberRow> Members);

public sealed record DuesYearLedgerMonth(string Month, DuesLedgerTotals Totals);

public sealed record DuesYearLedger(Guid OrganizationId, string OrganizationName, int Year, DuesLedgerTotals Totals, IReadOnlyList<DuesYearLedgerMonth> Months);

public sealed record DuesArrearsRow(Guid MemberId, string Name, Guid OrganizationId, string OrganizationName, string? PaidThrough,
    int MonthsInArrears, decimal ArrearsAmount, string Severity);

public static class DuesNames
{
    public static string ToChinese(this DuesPaymentMethod m) => m == DuesPaymentMethod.Cash ? "现金" : "在线支付";

    public static string ToChinese(this DuesPaymentStatus s) => s switch
    {
        DuesPaymentStatus.Pending => "待支付", DuesPaymentStatus.Paid => "已支付", DuesPaymentStatus.Cancelled => "已取消", DuesPaymentStatus.Refunded => "已退还", _ => s.ToString(),
    };

    public static string ToChinese(this DuesAdjustmentKind k) => k == DuesAdjustmentKind.Waived ? "免交" : "减交";
}
