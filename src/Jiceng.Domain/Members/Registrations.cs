using Jiceng.Domain.Organizations;

namespace Jiceng.Domain.Members;

/// <summary>流动党员登记: a member living away from their organization. The organization keeps in
/// touch; six months without contact raises an alert (the 党章 6-month rule, rules.md §3).</summary>
public class MobileRegistration : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid MemberId { get; set; }
    public Member? Member { get; set; }
    /// <summary>The member's organization, which stays responsible while they are away.</summary>
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public required string Location { get; set; }
    public DateOnly Since { get; set; }
    public required string ContactPerson { get; set; }
    public DateOnly? ExpectedReturn { get; set; }
    public DateOnly LastContactOn { get; set; }
    public DateOnly? EndedOn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>双报到 (in-service member): the member reports to the community where they live.</summary>
public class DualRegistration : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid MemberId { get; set; }
    public Member? Member { get; set; }
    /// <summary>The community the member reported to.</summary>
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public DateOnly RegisteredOn { get; set; }
    public string? ServiceIntent { get; set; }
    public DateOnly? EndedOn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A service a registered in-service member did for the community.</summary>
public class ServiceRecord : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid MemberId { get; set; }
    public Member? Member { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public DateOnly Date { get; set; }
    public required string Content { get; set; }
    public string? ConfirmedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>双报到 (unit): an agency or company reports to the community with what it can offer.</summary>
public class UnitRegistration : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public required string UnitName { get; set; }
    public required string ContactPerson { get; set; }
    public string? ContactPhoneMasked { get; set; }
    public string? ContactPhoneCipher { get; set; }
    public required string ResourcesOffered { get; set; }
    public DateOnly RegisteredOn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A contribution a branch rewards with points (党员量化积分). By 国办函〔2026〕12号 points are for
/// contributions only: never for logins, time online, likes, shares or study minutes.</summary>
public class PointItem : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public required string Name { get; set; }
    public int Points { get; set; }
    public bool Active { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Points given to a member for one contribution, with evidence and who confirmed it.</summary>
public class PointRecord : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public Guid MemberId { get; set; }
    public Member? Member { get; set; }
    public Guid PointItemId { get; set; }
    public PointItem? PointItem { get; set; }
    public int Points { get; set; }
    public DateOnly Date { get; set; }
    public required string Evidence { get; set; }
    public required string ConfirmedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public enum CorrectionStatus { Open = 1, Done = 2, Declined = 3 }

/// <summary>A member asks their branch to correct their record; the branch decides and replies.</summary>
public class CorrectionRequest : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid MemberId { get; set; }
    public Member? Member { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public required string Content { get; set; }
    public CorrectionStatus Status { get; set; } = CorrectionStatus.Open;
    public string? Reply { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
}
