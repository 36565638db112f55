using Microsoft.EntityFrameworkCore;

namespace Jiceng.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>How a context is pointed at a database; shared by the app, the tests and design time.</summary>
public static class JicengDatabase
{
    public const string SqliteMigrationsAssembly = "Jiceng.Data.Migrations.Sqlite";
    public const string PostgresMigrationsAssembly = "Jiceng.Data.Migrations.Postgres";

    public static DatabaseProvider ParseProvider(string? value) =>
        value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
            _ => throw new InvalidOperationException($"Unknown Database:Provider '{value}' (expected Sqlite or Postgres)"),
        };

    /// <param name="threadSafetyChecks">EF Core's check that a context is not used by two operations at once. It sets an
    /// AsyncLocal on every row read and every save; with the several AsyncLocals a request carries, each set copies the
    /// execution context's map, which for a 3,000-member ledger was a tenth of the app's CPU and much of its garbage
    /// (profile of 2026-12-02, bench/README.md). A context here is created per operation and never shared, so the app
    /// turns the check off outside Development and the tests (<c>Database:ThreadSafetyChecks</c> decides).</param>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString,
        bool threadSafetyChecks = true)
    {
        options.EnableThreadSafetyChecks(threadSafetyChecks);
        switch (provider)
        {
            case DatabaseProvider.Postgres:
                options.UseNpgsql(WithStatementCache(connectionString), o => o.MigrationsAssembly(PostgresMigrationsAssembly))
                    .UseSnakeCaseNamingConvention();
                break;
            default:
                options.UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrationsAssembly))
                    .AddInterceptors(SqliteBusyTimeout.Instance);
                break;
        }
        return options;
    }

    /// <summary>Npgsql's automatic preparation (ADR 006): a statement run a second time on a connection is prepared there, so
    /// PostgreSQL stops parsing the few statements every request runs (token, assignments, audit chain). Prepared statements
    /// are planned for their actual parameters every time (<c>plan_cache_mode=force_custom_plan</c>): after five executions
    /// PostgreSQL would otherwise settle on a generic plan, and a generic plan cannot know how large the subtree behind a
    /// path prefix is (a street's two years of case rates went from 3 to 230 ms of SQL at city scale). A connection string
    /// that says anything about auto-preparation or the plan cache itself is left as it is.</summary>
    public static string WithStatementCache(string connectionString)
    {
        if (connectionString.Contains("auto prepare", StringComparison.OrdinalIgnoreCase)
            || connectionString.Contains("autoprepare", StringComparison.OrdinalIgnoreCase)
            || connectionString.Contains("plan_cache_mode", StringComparison.OrdinalIgnoreCase)) return connectionString;
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString)
        {
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
        };
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? "-c plan_cache_mode=force_custom_plan" : builder.Options + " -c plan_cache_mode=force_custom_plan";
        return builder.ConnectionString;
    }
}
