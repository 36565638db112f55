using Microsoft.AspNetCore.Identity;

namespace Jiceng.Data.Identity;

/// <summary>An account. The phone is a protected field (cipher, keyed hash, mask); Identity's own
/// PhoneNumber column stays empty.</summary>
public class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public string? PhoneCipher { get; set; }
    public string? PhoneHash { get; set; }
    public string? PhoneMasked { get; set; }
    public bool Disabled { get; set; }
    /// <summary>The member record of a party member's own account (self-service), if any.</summary>
    public Guid? MemberId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<RoleAssignment> RoleAssignments { get; set; } = [];
}

/// <summary>A role held over an organization's subtree.</summary>
public class RoleAssignment : Domain.Organizations.IOrgScoped
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public AppUser? User { get; set; }
    public required string Role { get; set; }
    public Guid OrganizationId { get; set; }
    public Domain.Organizations.Organization? Organization { get; set; }
}

/// <summary>An API bearer token: only its SHA-256 hash is stored; it slides with use and dies
/// after the idle limit, and logout deletes it. Kept in the database so any copy of the app can check it.</summary>
public class ApiToken
{
    public Guid Id { get; set; }
    public required string TokenHash { get; set; }
    public required string UserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastUsedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
