using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Jiceng.Data;
using Jiceng.Data.Scope;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Jiceng.Web.Tests.Infrastructure;

public enum TestDatabase
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The real app over a real database of its own: a SQLite file in a temp folder, or a fresh
/// database on the PostgreSQL server that ./test.sh starts (JICENG_TEST_PG). Migrations run and the
/// demo district is generated exactly as on a first start.
/// </summary>
public abstract class JicengApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string DemoPassword = "Jiceng@2026";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "jiceng-test-" + Guid.NewGuid().ToString("N"));
    private string? _pgDatabase;

    public TestDatabase Database { get; }
    public string ConnectionString { get; }

    private readonly string _environment;
    private readonly bool _demo;

    /// <summary>Set by time-dependent tests; the app then reads time only from it.</summary>
    public Microsoft.Extensions.Time.Testing.FakeTimeProvider? Clock { get; }

    protected JicengApp(TestDatabase database, string environment = "Testing", bool demo = true, bool fakeClock = false)
    {
        Database = database;
        _environment = environment;
        _demo = demo;
        if (fakeClock) Clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        Directory.CreateDirectory(_dataDir);
        if (database == TestDatabase.Sqlite)
        {
            ConnectionString = $"Data Source={Path.Combine(_dataDir, "jiceng.db")};Default Timeout=30";
        }
        else
        {
            var server = Environment.GetEnvironmentVariable("JICENG_TEST_PG")
                ?? throw new InvalidOperationException("PostgreSQL tests need JICENG_TEST_PG (./test.sh starts a server and sets it)");
            _pgDatabase = "jiceng_t_" + Guid.NewGuid().ToString("N")[..16];
            using (var admin = new NpgsqlConnection(server + ";Database=postgres"))
            {
                admin.Open();
                using var cmd = new NpgsqlCommand($"CREATE DATABASE {_pgDatabase}", admin);
                cmd.ExecuteNonQuery();
            }
            ConnectionString = $"{server};Database={_pgDatabase}";
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseSetting("Database:Provider", Database.ToString());
        builder.UseSetting("ConnectionStrings:Jiceng", ConnectionString);
        builder.UseSetting("Jiceng:DemoMode", _demo ? "true" : "false");
        builder.UseSetting("Jiceng:BackgroundJobs", "false");
        // The whole demo district, but a tenth of its members: every fixture seeds its own database.
        builder.UseSetting("Jiceng:DemoMemberScale", "0.1");
        // Small export pages, so exports of the smaller district still read several pages.
        builder.UseSetting("Jiceng:ExportPageSize", "400");
        builder.UseSetting("Jiceng:DataDirectory", _dataDir);
        builder.UseSetting("Jiceng:ProtectionKey", Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()));
        if (Clock is not null)
            builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
    }

    public Task InitializeAsync()
    {
        _ = Server; // boots the app: migrations and the demo district
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_pgDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(Environment.GetEnvironmentVariable("JICENG_TEST_PG") + ";Database=postgres");
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgDatabase} WITH (FORCE)", admin);
            await cmd.ExecuteNonQueryAsync();
        }
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    /// <summary>A context with no scope limits, to look at what the app really wrote.</summary>
    public JicengDbContext OpenDb()
    {
        var db = Services.GetRequiredService<IDbContextFactory<JicengDbContext>>().CreateDbContext();
        db.Scope = DataScope.Unrestricted;
        return db;
    }

    public async Task<HttpClient> LoginAsync(string userName, string password = DemoPassword)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

public sealed class SqliteApp() : JicengApp(TestDatabase.Sqlite);

public sealed class PostgresApp() : JicengApp(TestDatabase.Postgres);

/// <summary>Production settings: no demo district, no default accounts.</summary>
public sealed class ProductionSqliteApp() : JicengApp(TestDatabase.Sqlite, "Production", demo: false);

/// <summary>The demo district on a clock the test moves.</summary>
public sealed class FakeClockSqliteApp() : JicengApp(TestDatabase.Sqlite, fakeClock: true);
