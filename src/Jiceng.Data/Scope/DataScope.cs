using Jiceng.Domain.Organizations;

namespace Jiceng.Data.Scope;

/// <summary>
/// What part of the organization tree a context may read and write: the union of subtrees
/// (by path). It comes from the signed-in user's role assignments, never from a request.
/// A context starts with <see cref="None"/>, so forgetting to set a scope shows nothing.
/// </summary>
public sealed class DataScope
{
    /// <summary>How many disjoint subtrees one scope can hold; the query filter has one range per slot.</summary>
    public const int MaxRanges = 4;

    public static DataScope None { get; } = new(false, [], []);

    /// <summary>System work only (background jobs, seeding, the command line): no user is behind it.</summary>
    public static DataScope Unrestricted { get; } = new(true, [], []);

    public bool All { get; }

    /// <summary>Subtrees the caller may read.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>Subtrees the caller may write: only those of assignments whose role edits data, so a
    /// wide read-only assignment never widens what another assignment's role may change.</summary>
    public IReadOnlyList<string> WritePaths { get; }

    private DataScope(bool all, IReadOnlyList<string> paths, IReadOnlyList<string> writePaths)
    {
        All = all;
        Paths = paths;
        WritePaths = writePaths;
    }

    /// <summary>The union of the given subtrees, readable and writable; nested ones collapse into their ancestor.</summary>
    public static DataScope ForPaths(IEnumerable<string> paths)
    {
        var list = paths.ToList();
        return ForPaths(list, list);
    }

    public static DataScope ForPaths(IEnumerable<string> readPaths, IEnumerable<string> writePaths)
    {
        var read = Collapse(readPaths);
        if (read.Count > MaxRanges)
            throw new InvalidOperationException($"一个账户最多可绑定{MaxRanges}个互不包含的组织范围");
        return new DataScope(false, read, Collapse(writePaths));
    }

    private static List<string> Collapse(IEnumerable<string> paths)
    {
        var kept = new List<string>();
        foreach (var p in paths.Distinct().OrderBy(p => p.Length))
            if (!kept.Any(k => OrgPath.IsWithin(p, k))) kept.Add(p);
        return kept;
    }

    public bool Contains(string path) => All || Paths.Any(p => OrgPath.IsWithin(path, p));

    public bool CanWrite(string path) => All || WritePaths.Any(p => OrgPath.IsWithin(path, p));

    public (string? From, string? To) Range(int slot) =>
        slot < Paths.Count ? (Paths[slot], OrgPath.RangeEnd(Paths[slot])) : (null, null);
}

/// <summary>Thrown when a write touches data outside the scope; answered as 404 so ids cannot be probed.</summary>
public sealed class OutOfScopeException(string entityType) : Exception($"{entityType} is outside the data scope")
{
    public string EntityType { get; } = entityType;
}

/// <summary>Who is acting, for the audit trail.</summary>
public sealed record AuditActor(string? UserId, string? UserName, string Roles, string? ClientAddress)
{
    public static AuditActor System { get; } = new(null, "system", "", null);
}
