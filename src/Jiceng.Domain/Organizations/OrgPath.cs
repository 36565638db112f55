namespace Jiceng.Domain.Organizations;

/// <summary>
/// Materialized paths: "/a/b/c/" where each segment is an organization id in "N" format.
/// A subtree of P is every path in the half-open range [P, RangeEnd(P)), which both SQLite
/// and PostgreSQL (with binary "C" collation) answer from one b-tree index.
/// </summary>
public static class OrgPath
{
    public const char Separator = '/';

    public static string Root(Guid id) => $"/{id:N}/";

    public static string Child(string parentPath, Guid id) => $"{parentPath}{id:N}/";

    /// <summary>The smallest string greater than every path starting with <paramref name="path"/>:
    /// '0' is the character right after '/'.</summary>
    public static string RangeEnd(string path) => path[..^1] + "0";

    public static bool IsWithin(string path, string ancestorPath) => path.StartsWith(ancestorPath, StringComparison.Ordinal);

    public static int DepthOf(string path) => path.Count(c => c == Separator) - 2;

    public static IEnumerable<Guid> Ids(string path) =>
        path.Split(Separator, StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse);
}
