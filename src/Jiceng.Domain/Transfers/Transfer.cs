using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;

namespace Jiceng.Domain.Transfers;

/// <summary>Internal: both organizations in this deployment. ToExternal / FromExternal: the other side is
/// outside, so the letter is printed and the receipt (回执) is recorded by hand.</summary>
public enum TransferKind { Internal = 1, ToExternal = 2, FromExternal = 3 }

/// <summary>Requested (by the member's branch) → OutApproved (by the out-side committee; the letter is
/// issued) → InApproved (by the in-side) → Completed (the in-side confirms receipt; the member moves).
/// Rejected needs a reason; a letter past its validity Expires.</summary>
public enum TransferStatus { Requested = 1, OutApproved = 2, InApproved = 3, Completed = 4, Rejected = 5, Expired = 6, Cancelled = 7 }

/// <summary>组织关系转接 (中组发〔2004〕10号): an introduction letter carrying 党费交至年月, valid for a
/// limited time (setting, default 3 months), returned with a receipt.</summary>
public class Transfer : ISharedOrgScoped
{
    public IEnumerable<Guid> ScopeOrganizationIds => new[] { FromOrganizationId, ToOrganizationId }.OfType<Guid>();

    public Guid Id { get; set; }
    public TransferKind Kind { get; set; }
    public TransferStatus Status { get; set; }
    /// <summary>The member (null for a transfer in from outside until the member record is created on receipt).</summary>
    public Guid? MemberId { get; set; }
    public Member? Member { get; set; }
    public required string MemberName { get; set; }
    public Guid? FromOrganizationId { get; set; }
    public Organization? FromOrganization { get; set; }
    public Guid? ToOrganizationId { get; set; }
    public Organization? ToOrganization { get; set; }
    /// <summary>The organization outside the deployment, by name, for external transfers.</summary>
    public string? ExternalOrganization { get; set; }
    public required string Reason { get; set; }
    /// <summary>党费交至年月: the first day of the last month paid.</summary>
    public DateOnly? PaidThrough { get; set; }
    public string? LetterNumber { get; set; }
    public DateOnly? LetterIssuedOn { get; set; }
    public DateOnly? ValidUntil { get; set; }
    public string? RejectionReason { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public List<TransferStep> Steps { get; set; } = [];
}

public class TransferStep
{
    public Guid Id { get; set; }
    public Guid TransferId { get; set; }
    public required string Action { get; set; }
    public string? Note { get; set; }
    public string? ByUser { get; set; }
    public DateTimeOffset At { get; set; }
}

public static class TransferNames
{
    public static string ToChinese(this TransferStatus s) => s switch
    {
        TransferStatus.Requested => "待转出方党委审批",
        TransferStatus.OutApproved => "待转入方审批",
        TransferStatus.InApproved => "待转入方确认接收",
        TransferStatus.Completed => "已完成",
        TransferStatus.Rejected => "已退回",
        TransferStatus.Expired => "介绍信已过期",
        TransferStatus.Cancelled => "已撤回",
        _ => s.ToString(),
    };

    public static string ToChinese(this TransferKind k) => k switch
    {
        TransferKind.Internal => "系统内转接",
        TransferKind.ToExternal => "转出到系统外",
        _ => "从系统外转入",
    };
}
