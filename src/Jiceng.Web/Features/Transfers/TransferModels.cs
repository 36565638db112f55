using Jiceng.Domain.Transfers;
using Jiceng.Web.Features.Members;
using Jiceng.Web.Infrastructure;

namespace Jiceng.Web.Features.Transfers;

/// <summary>Starts a transfer. Internal: memberId + toOrganizationId. ToExternal: memberId + externalOrganization.
/// FromExternal (an incoming paper letter): memberName, externalOrganization (the issuer), toOrganizationId,
/// letterNumber, letterIssuedOn and optionally validUntil as written on the letter.</summary>
public sealed class TransferInput
{
    public TransferKind? Kind { get; set; }
    public Guid? MemberId { get; set; }
    public Guid? ToOrganizationId { get; set; }
    public string? ExternalOrganization { get; set; }
    public string? Reason { get; set; }
    /// <summary>党费交至年月: "yyyy-MM", or a date whose month counts.</summary>
    public string? PaidThrough { get; set; }
    public string? MemberName { get; set; }
    public string? LetterNumber { get; set; }
    public DateOnly? LetterIssuedOn { get; set; }
    public DateOnly? ValidUntil { get; set; }
}

public sealed class ApproveInput
{
    public string? Note { get; set; }
}

public sealed class RejectInput
{
    public string? Reason { get; set; }
}

public sealed class CancelInput
{
    public string? Reason { get; set; }
}

/// <summary>Receipt (回执). ReceivedOn: for a letter to outside, the date on the receipt that came back (default
/// today). Member: for a letter from outside, the incoming member's record, validated like any new member.</summary>
public sealed class ReceiveInput
{
    public DateOnly? ReceivedOn { get; set; }
    public string? Note { get; set; }
    public MemberInput? Member { get; set; }
}

public sealed record TransferQuery(Guid? OrgId = null, TransferStatus? Status = null, Guid? MemberId = null, int Page = 1, int PageSize = Paging.DefaultPageSize);

public sealed record TransferStepView(Guid Id, string Action, string ActionName, string? Note, string? ByUser, DateTimeOffset At);

/// <summary>A transfer as a caller sees it. Status is the effective one (an overdue letter shows as expired);
/// Actions lists what this caller may do next: approve, reject, receive, cancel.</summary>
public class TransferSummary
{
    public Guid Id { get; init; }
    public TransferKind Kind { get; init; }
    public string KindName { get; init; } = "";
    public TransferStatus Status { get; init; }
    public string StatusName { get; init; } = "";
    public Guid? MemberId { get; init; }
    public string MemberName { get; init; } = "";
    public Guid? FromOrganizationId { get; init; }
    public string? FromOrganizationName { get; init; }
    public Guid? ToOrganizationId { get; init; }
    public string? ToOrganizationName { get; init; }
    public string? ExternalOrganization { get; init; }
    public string Reason { get; init; } = "";
    /// <summary>"yyyy-MM".</summary>
    public string? PaidThrough { get; init; }
    public string? LetterNumber { get; init; }
    public DateOnly? LetterIssuedOn { get; init; }
    public DateOnly? ValidUntil { get; init; }
    public string? RejectionReason { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public TransferSide NextSide { get; init; }
    public string NextSideName { get; init; } = "";
    public IReadOnlyList<string> Actions { get; init; } = [];

    /// <summary>The organization the member leaves, by name (an outside one for a letter from outside).</summary>
    public string FromDisplay => FromOrganizationName ?? ExternalOrganization ?? "";
    public string ToDisplay => ToOrganizationName ?? ExternalOrganization ?? "";
}

public sealed class TransferDetail : TransferSummary
{
    public IReadOnlyList<TransferStepView> Steps { get; init; } = [];
}

/// <summary>What the printed introduction letter shows. The member's particulars come from the member record
/// and are present only while the caller can see that record (the issuing side, before the member leaves).</summary>
public sealed record TransferLetter(TransferDetail Transfer, string? Gender, int? Age, string? IdNumberMasked, string? Ethnicity, string? StateName);

public static class TransferActions
{
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string Receive = "receive";
    public const string Cancel = "cancel";
}

/// <summary>A use case's result: a value, field errors, not found (in scope), or refused because the caller
/// holds the wrong side of the transfer (403 with the reason).</summary>
public sealed record TransferOutcome<T>(T? Value, FieldErrors? Errors = null, bool NotFound = false, string? Forbidden = null)
{
    public static TransferOutcome<T> Missing { get; } = new(default, null, true);
    public static TransferOutcome<T> Denied(string reason) => new(default, null, false, reason);
    public static implicit operator TransferOutcome<T>(T value) => new(value);
    public static implicit operator TransferOutcome<T>(FieldErrors errors) => new(default, errors);
}
