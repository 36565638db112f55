namespace Jiceng.Data.Queries;

/// <summary>Window functions EF Core's LINQ has no words for, mapped in <see cref="JicengDbContext"/>.</summary>
public static class SqlWindow
{
    /// <summary>
    /// <c>count(*) OVER ()</c>: how many rows the query has before its ORDER BY, OFFSET and LIMIT, on each row it returns
    /// (PostgreSQL, and SQLite since 3.25). For a query that must read every matching row to order them anyway, this is
    /// its total without a second read of the same rows. Only in SQL: called in memory it throws.
    /// </summary>
    public static long RowsBeforeLimit() => throw new InvalidOperationException("SqlWindow.RowsBeforeLimit runs in SQL only.");
}
