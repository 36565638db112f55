using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Jiceng.Data;

/// <summary>What a failed save says, read the same way on both providers.</summary>
public static class DbErrors
{
    /// <summary>The save broke a unique index: another request saved the same thing a moment earlier (PostgreSQL 23505;
    /// SQLite SQLITE_CONSTRAINT_UNIQUE 2067 or SQLITE_CONSTRAINT_PRIMARYKEY 1555).</summary>
    public static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException s => s.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };
}
