using System.Linq.Expressions;
using Jiceng.Domain.Organizations;

namespace Jiceng.Data.Scope;

/// <summary>
/// "In the subtree of this organization" as a query: the path range [path, RangeEnd(path)), which both
/// databases answer from the path index. Every feature filters by subtree through here, so how a subtree
/// is queried can change in one place.
/// </summary>
public static class OrgSubtree
{
    /// <summary>Rows whose organization path (any of <paramref name="pathsOf"/>) lies in the subtree of <paramref name="path"/>, the root included.</summary>
    public static IQueryable<T> InSubtree<T>(this IQueryable<T> q, string path, params Expression<Func<T, string>>[] pathsOf) =>
        q.Where(Predicate(path, includeRoot: true, pathsOf));

    /// <summary>Rows strictly below <paramref name="path"/> (the root excluded).</summary>
    public static IQueryable<T> BelowRoot<T>(this IQueryable<T> q, string path, Expression<Func<T, string>> pathOf) =>
        q.Where(Predicate(path, includeRoot: false, pathOf));

    private static Expression<Func<T, bool>> Predicate<T>(string path, bool includeRoot, params Expression<Func<T, string>>[] pathsOf)
    {
        var end = OrgPath.RangeEnd(path);
        // A lambda over a captured path and end: EF sends both as parameters, so plans are shared.
        Expression<Func<string, bool>> range = includeRoot
            ? s => string.Compare(s, path) >= 0 && string.Compare(s, end) < 0
            : s => string.Compare(s, path) > 0 && string.Compare(s, end) < 0;
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
