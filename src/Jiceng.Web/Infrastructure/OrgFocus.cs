namespace Jiceng.Web.Infrastructure;

/// <summary>The organization in focus for one user's circuit: the tree navigator sets it, every page reads it.</summary>
public sealed class OrgFocus
{
    public Guid? OrganizationId { get; private set; }
    public string? OrganizationName { get; private set; }
    public event Action? Changed;

    /// <summary>Raised after the tree itself changed (create, move, archive), so the navigator reloads.</summary>
    public event Action? TreeChanged;

    public void NotifyTreeChanged() => TreeChanged?.Invoke();

    public void Set(Guid id, string name)
    {
        if (OrganizationId == id) return;
        OrganizationId = id;
        OrganizationName = name;
        Changed?.Invoke();
    }
}
