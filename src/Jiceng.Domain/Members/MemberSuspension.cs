using Jiceng.Domain.Organizations;

namespace Jiceng.Domain.Members;

/// <summary>
/// One suspension (停止党籍) of a member and the organization's decision on it (<see cref="SuspensionRule"/>): a member suspended,
/// restored and suspended again has two rows, so no decision overwrites an earlier one. The open row (no <see cref="Outcome"/>)
/// is the current suspension; <see cref="Member.SuspendedOn"/> copies its date. <see cref="OrganizationId"/> is the member's
/// organization at the time, which decided (the write scope); the rows are read through the member's current organization,
/// so the history follows the member.
/// </summary>
public class MemberSuspension : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid MemberId { get; set; }
    public Member? Member { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    /// <summary>The last contact with the organization; null for suspensions recorded before it was asked (migrated, imported,
    /// or a date recorded afterwards).</summary>
    public DateOnly? LostContactSince { get; set; }
    /// <summary>The decision date of the suspension.</summary>
    public DateOnly SuspendedOn { get; set; }
    public string? Reason { get; set; }
    public SuspensionOutcome? Outcome { get; set; }
    public DateOnly? DecidedOn { get; set; }
    public string? Review { get; set; }
    public string? RecordedBy { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
