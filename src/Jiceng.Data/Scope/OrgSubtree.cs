using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Jiceng.Domain.Organizations;

namespace Jiceng.Data.Scope;

/// <summary>
/// "In the subtree of this organization" as a query: the path range [path, RangeEnd(path)), which both
/// databases answer from the path index. Every feature filters by subtree through here (and the scope
/// filter through <see cref="InRange"/>), so how a subtree is queried can change in one place.
/// </summary>
public static class OrgSubtree
{
    /// <summary>
    /// Path in [from, to), where to = RangeEnd(from). A database function, translated per provider in
    /// <see cref="JicengDbContext"/>: SQLite compares (its b-tree serves the range); PostgreSQL asks
    /// <c>path LIKE from || '%'</c>, the same set under the "C" collation, which the path index serves too and
    /// for which the planner estimates the subtree's real size from the column statistics (a range whose two
    /// bounds differ in the last character is always estimated at one row, and plans built on that misjudge
    /// every subtree; see bench/results/2026-11-23-members-findings.md). Runs in memory with the same meaning.
    /// </summary>
    public static bool InRange(string path, string from, string to) =>
        string.CompareOrdinal(path, from) >= 0 && string.CompareOrdinal(path, to) < 0;

    /// <summary>Rows whose organization path (any of <paramref name="pathsOf"/>) lies in the subtree of <paramref name="path"/>, the root included.</summary>
    public static IQueryable<T> InSubtree<T>(this IQueryable<T> q, string path, params Expression<Func<T, string>>[] pathsOf) =>
        q.Where(Predicate(path, includeRoot: true, pathsOf));

    /// <summary>Rows in the subtree of an organization the caller has already found through the scope filter: that whole
    /// subtree lies in the scope, so the filter is not applied again. Repeated, it is an OR of parameterized path ranges,
    /// under which PostgreSQL's generic plans read a street's case page in 380 ms instead of 16 (bench, 2026-12-02).
    /// Only for a path that came from a scoped read.</summary>
    public static IQueryable<T> InReadSubtree<T>(this IQueryable<T> q, string path, Expression<Func<T, string>> pathOf) where T : class =>
        q.IgnoreQueryFilters().InSubtree(path, pathOf);

    /// <summary>Rows strictly below <paramref name="path"/> (the root excluded).</summary>
    public static IQueryable<T> BelowRoot<T>(this IQueryable<T> q, string path, Expression<Func<T, string>> pathOf) =>
        q.Where(Predicate(path, includeRoot: false, pathOf));

    private static Expression<Func<T, bool>> Predicate<T>(string path, bool includeRoot, params Expression<Func<T, string>>[] pathsOf)
    {
        var end = OrgPath.RangeEnd(path);
        // A lambda over a captured path and end: EF sends both as parameters, so plans are shared.
        Expression<Func<string, bool>> range = includeRoot
            ? s => InRange(s, path, end)
            : s => s != path && InRange(s, path, end);
        var row = pathsOf[0].Parameters[0];
        Expression? body = null;
        foreach (var pathOf in pathsOf)
        {
            var selected = ReplaceExpression.Replace(pathOf.Body, pathOf.Parameters[0], row);
            var test = ReplaceExpression.Replace(range.Body, range.Parameters[0], selected);
            body = body is null ? test : Expression.OrElse(body, test);
        }
        return Expression.Lambda<Func<T, bool>>(body!, row);
    }
}

/// <summary>Puts one expression where another stood (e.g. a lambda's parameter) when composing predicates.</summary>
internal sealed class ReplaceExpression(Expression from, Expression to) : ExpressionVisitor
{
    public static Expression Replace(Expression body, Expression from, Expression to) => new ReplaceExpression(from, to).Visit(body)!;

    public override Expression? Visit(Expression? node) => node == from ? to : base.Visit(node);
}
