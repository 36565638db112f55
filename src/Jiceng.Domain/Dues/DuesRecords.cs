using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;

namespace Jiceng.Domain.Dues;

/// <summary>A dues row of one member, findable by the member's current organization (ADR 007).</summary>
public interface IMemberDuesRow
{
    Guid MemberId { get; }
    Guid MemberOrganizationId { get; }
}

/// <summary>
/// A member's declared dues base (党费计算基数) from a month on. Rows are never changed: a new base is a
/// new row, so the history stays. The monthly amount is computed by <see cref="DuesRule"/> when the base
/// is recorded (nobody types it) and stored in 分. <see cref="OrganizationId"/> is the member's
/// organization when the base was recorded (who recorded it); readers follow the member's current one
/// (<see cref="MemberOrganizationId"/>).
/// </summary>
public class DuesBase : IOrgScoped, IMemberDuesRow
{
    public Guid Id { get; set; }
    public Guid MemberId { get; set; }
    public Member? Member { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    /// <summary>The member's current organization, kept by the database (a trigger on <c>members</c> moves it with the member;
    /// ADR 007) so that a subtree's dues are read by organization, not member by member. Set to the member's organization on insert.</summary>
    public Guid MemberOrganizationId { get; set; }
    public DuesCategory Category { get; set; }
    /// <summary>The declared base in 分 (employed and retired only).</summary>
    public long? MonthlyBaseFen { get; set; }
    public long MonthlyAmountFen { get; set; }
    /// <summary>The rate in units of 0.01% (e.g. 150 = 1.5%); null for a fixed amount.</summary>
    public int? RateBasisPoints { get; set; }
    /// <summary>First month (day 1) the base applies to.</summary>
    public DateOnly EffectiveMonth { get; set; }
    /// <summary>党费交至 carried over from the paper ledger or a transfer letter when the first base is recorded.</summary>
    public DateOnly? OpeningPaidThrough { get; set; }
    public string Rule { get; set; } = "";
    public string RecordedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>终止: written when the member leaves the roll (<see cref="DuesObligation.EndMonth"/>); from its month no base is in
    /// effect, so nothing is due (未核定) until a new base is recorded after the member comes back (恢复党籍, readmission, return).</summary>
    public bool Ended { get; set; }
}

public enum DuesAdjustmentKind { Reduced = 1, Waived = 2 }

/// <summary>An approved reduction or waiver (减交、免交) for hardship: 支部 and 党委 approval (规定 第六条), with the approver recorded.</summary>
public class DuesAdjustment : IOrgScoped, IMemberDuesRow
{
    public Guid Id { get; set; }
    public Guid MemberId { get; set; }
    public Member? Member { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    /// <summary>The member's current organization, kept by the database (a trigger on <c>members</c> moves it with the member;
    /// ADR 007) so that a subtree's dues are read by organization, not member by member. Set to the member's organization on insert.</summary>
    public Guid MemberOrganizationId { get; set; }
    public DuesAdjustmentKind Kind { get; set; }
    /// <summary>The reduced monthly amount in 分 (0 for a waiver).</summary>
    public long MonthlyAmountFen { get; set; }
    public DateOnly FromMonth { get; set; }
    public DateOnly? ToMonth { get; set; }
    public string Reason { get; set; } = "";
    /// <summary>The approving 党委 (and meeting or document), as written on the approval.</summary>
    public string ApprovedBy { get; set; } = "";
    public DateOnly ApprovedOn { get; set; }
    public string RecordedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>撤销: from this month on the adjustment no longer applies (<see cref="DuesAdjustmentRevocation"/>); the row stays.</summary>
    public DateOnly? RevokedFromMonth { get; set; }
    public string? RevokeReason { get; set; }
    public string? RevokedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

public enum DuesPaymentMethod { Cash = 1, Online = 2 }

/// <summary>Refunded: every month (and the voluntary amount) was returned (<see cref="DuesRefund"/>).</summary>
public enum DuesPaymentStatus { Pending = 1, Paid = 2, Cancelled = 3, Refunded = 4 }

/// <summary>
/// One payment of one or more months (monthly, or quarterly with the branch's consent), by cash or online,
/// plus an optional voluntary extra amount. The months always continue from the member's paid-through
/// month, and the amounts come from the rule; an online payment is recorded when the provider's callback
/// confirms it (<see cref="DuesPaymentStatus.Pending"/> until then).
/// </summary>
public class DuesPayment : IOrgScoped, IMemberDuesRow
{
    public Guid Id { get; set; }
    public Guid MemberId { get; set; }
    public Member? Member { get; set; }
    /// <summary>The collecting organization: the member's organization when the payment was made.</summary>
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    /// <summary>The member's current organization, kept by the database (a trigger on <c>members</c> moves it with the member;
    /// ADR 007) so that a subtree's dues are read by organization, not member by member. Set to the member's organization on insert.</summary>
    public Guid MemberOrganizationId { get; set; }
    public DuesPaymentMethod Method { get; set; }
    public DuesPaymentStatus Status { get; set; }
    public DateOnly? FromMonth { get; set; }
    public int MonthCount { get; set; }
    public long DuesFen { get; set; }
    public long VoluntaryFen { get; set; }
    public long TotalFen { get; set; }
    /// <summary>The amount of each month in 分, comma-separated, fixed when the payment is made (an online order keeps them until its callback).</summary>
    public string MonthAmountsFen { get; set; } = "";
    public string? Provider { get; set; }
    public string? ProviderOrderId { get; set; }
    public DateTimeOffset? PaidAt { get; set; }
    /// <summary>The month (Asia/Shanghai) the money arrived, for the ledger's voluntary column.</summary>
    public DateOnly? PaidMonth { get; set; }
    public string RecordedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Months of this payment refunded so far (always its last ones; <see cref="DuesRefund"/>).</summary>
    public int RefundedMonthCount { get; set; }
    public long RefundedFen { get; set; }
}

/// <summary>One month paid by a payment. (MemberId, Month) is unique: a month is never paid twice.</summary>
public class DuesPaymentMonth : IOrgScoped, IMemberDuesRow
{
    public Guid Id { get; set; }
    public Guid PaymentId { get; set; }
    public Guid MemberId { get; set; }
    public Member? Member { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    /// <summary>The member's current organization, kept by the database (a trigger on <c>members</c> moves it with the member;
    /// ADR 007) so that a subtree's dues are read by organization, not member by member. Set to the member's organization on insert.</summary>
    public Guid MemberOrganizationId { get; set; }
    public DateOnly Month { get; set; }
    public long AmountFen { get; set; }
}
