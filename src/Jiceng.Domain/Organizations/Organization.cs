namespace Jiceng.Domain.Organizations;

/// <summary>A party organization, one node of the tree. Its place in the tree is the stored
/// materialized <see cref="Path"/>, so a subtree is one indexed range query.</summary>
public class Organization
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public OrganizationKind Kind { get; set; }
    public Guid? ParentId { get; set; }
    public Organization? Parent { get; set; }

    /// <summary>"/{rootId}/{childId}/.../{Id}/" — see <see cref="OrgPath"/>.</summary>
    public string Path { get; set; } = "";
    public int Depth { get; set; }

    public DateOnly? EstablishedOn { get; set; }
    public DateOnly? TermStart { get; set; }
    public DateOnly? TermEnd { get; set; }

    /// <summary>Whether a 支部委员会 (branch committee) is set up, as opposed to only a secretary.</summary>
    public bool HasCommittee { get; set; }

    public OrganizationStatus Status { get; set; } = OrganizationStatus.Active;
    public int SortOrder { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Data owned by one organization: reads and writes of it are limited to the caller's scope.</summary>
public interface IOrgScoped
{
    Guid OrganizationId { get; }
}

/// <summary>Data shared by several organizations (a transfer: the out-side and the in-side): visible and
/// writable to a caller whose scope holds any of them.</summary>
public interface ISharedOrgScoped
{
    IEnumerable<Guid> ScopeOrganizationIds { get; }
}
