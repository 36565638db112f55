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
                options.UseNpgsql(connectionString, o => o.MigrationsAssembly(PostgresMigrationsAssembly))
                    .UseSnakeCaseNamingConvention();
                break;
            default:
                options.UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrationsAssembly));
                break;
        }
        return options;
    }
}
