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

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString)
    {
        switch (provider)
        {
            case DatabaseProvider.Postgres:
                options.UseNpgsql(WithStatementCache(connectionString), o => o.MigrationsAssembly(PostgresMigrationsAssembly))
                    .UseSnakeCaseNamingConvention();
                break;
            default:
                options.UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrationsAssembly));
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
