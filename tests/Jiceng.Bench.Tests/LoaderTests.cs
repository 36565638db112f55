using System.Text.Json;
using Jiceng.Data;
using Jiceng.Data.Idempotency;
using Jiceng.Data.Scope;
using Jiceng.Domain.Cases;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Case = Jiceng.Domain.Cases.Case;

namespace Jiceng.Bench.Tests;

/// <summary>A throwaway database for one load: a SQLite file, or a database on the test PostgreSQL server (JICENG_TEST_PG).</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string? _dir;
    private readonly string? _pgName;
    public DatabaseProvider Provider { get; }
    public string Connection { get; }

    public BenchDatabase(DatabaseProvider provider)
    {
        Provider = provider;
        if (provider == DatabaseProvider.Sqlite)
        {
            _dir = Path.Combine(Path.GetTempPath(), "jiceng-bench-test-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(_dir);
            Connection = $"Data Source={Path.Combine(_dir, "bench.db")}";
        }
        else
        {
            var server = Environment.GetEnvironmentVariable("JICENG_TEST_PG")
                ?? throw new InvalidOperationException("PostgreSQL tests need JICENG_TEST_PG (./test.sh starts a server and sets it)");
            _pgName = "jiceng_bench_t_" + Guid.NewGuid().ToString("N")[..12];
            using (var admin = new NpgsqlConnection(server + ";Database=postgres"))
            {
                admin.Open();
                using var cmd = new NpgsqlCommand($"CREATE DATABASE {_pgName}", admin);
                cmd.ExecuteNonQuery();
            }
            Connection = server + $";Database={_pgName}";
        }
    }

    public JicengDbContext Open()
    {
        var db = new JicengDbContext(JicengDatabase.Configure(new DbContextOptionsBuilder<JicengDbContext>(), Provider, Connection)
            is DbContextOptionsBuilder<JicengDbContext> b ? b.Options : throw new InvalidOperationException());
        db.Scope = DataScope.Unrestricted;
        return db;
    }

    public static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    /// <summary>Runs the loader; its exit code and the statistics it wrote.</summary>
    public async Task<(int Code, JsonElement Stats)> LoadAsync(double scale)
    {
        var json = Path.GetTempFileName();
        try
        {
            var code = await Loader.RunAsync(new Loader.Options(scale, Connection, Key, json, Provider), CancellationToken.None);
            var text = await File.ReadAllTextAsync(json);
            return (code, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }
        finally { File.Delete(json); }
    }

    public async ValueTask DisposeAsync()
    {
        if (_dir is not null)
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }
        if (_pgName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(Environment.GetEnvironmentVariable("JICENG_TEST_PG") + ";Database=postgres");
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgName} WITH (FORCE)", admin);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}

public sealed class LoaderTests_Sqlite() : LoaderTests(DatabaseProvider.Sqlite);

public sealed class LoaderTests_Postgres() : LoaderTests(DatabaseProvider.Postgres);

/// <summary>The bench loader (issue 7) on each provider: every group loaded, readable through the app's model, reused on
/// a second run, and a database of another scale refused.</summary>
public abstract class LoaderTests(DatabaseProvider provider)
{
    // 300 members, 20 organizations' worth of grids, cases, dues and organizational life: a few seconds.
    private const double Scale = 0.02;

    [Fact]
    public async Task Loads_every_group_reads_back_through_the_model_and_reuses_it()
    {
        await using var database = new BenchDatabase(provider);
        var (code, stats) = await database.LoadAsync(Scale);
        code.ShouldBe(0);
        stats.GetProperty("members").GetInt64().ShouldBe(300);
        foreach (var phase in new[] { "cases", "caseCounts", "dues", "orgLife" })
            stats.GetProperty($"{phase}.reused").GetBoolean().ShouldBeFalse(phase);

        await using (var db = database.Open())
        {
            (await db.Members.IgnoreQueryFilters().CountAsync()).ShouldBe(300);
            var cases = await db.Cases.IgnoreQueryFilters().CountAsync();
            cases.ShouldBe(stats.GetProperty("cases.rows.cases").GetInt32());
            cases.ShouldBeGreaterThan(0);
            (await db.Set<CaseEvent>().CountAsync()).ShouldBe(stats.GetProperty("cases.rows.case_events").GetInt32());
            (await db.Households.IgnoreQueryFilters().CountAsync()).ShouldBe(stats.GetProperty("cases.rows.households").GetInt32());
            (await db.DuesBases.IgnoreQueryFilters().CountAsync()).ShouldBe(stats.GetProperty("dues.rows.dues_bases").GetInt32());
            (await db.ActivityAttendance.IgnoreQueryFilters().CountAsync()).ShouldBe(stats.GetProperty("orgLife.rows.activity_attendance").GetInt32());
            // Values as the app reads them: instants ordered and in the past two years, references that join, enums known.
            var now = DateTimeOffset.UtcNow;
            var newest = await db.Cases.IgnoreQueryFilters().OrderByDescending(c => c.ReceivedAt).FirstAsync();
            newest.ReceivedAt.ShouldBeLessThanOrEqualTo(now.AddMinutes(1));
            newest.ReceivedAt.ShouldBeGreaterThan(now.AddDays(-30));
            (await db.Cases.IgnoreQueryFilters().MinAsync(c => c.ReceivedAt)).ShouldBeGreaterThan(now.AddYears(-2).AddDays(-2));
            Enum.IsDefined(newest.Status).ShouldBeTrue();
            (await db.Cases.IgnoreQueryFilters().Where(c => c.Id == newest.Id).Select(c => c.Organization!.Name).SingleAsync()).ShouldNotBeNullOrEmpty();
            var months = await db.CaseCountMonths.ToListAsync();
            months.Count.ShouldBe(stats.GetProperty("caseCounts.rows.case_count_months").GetInt32());
            months.Sum(m => m.Received).ShouldBe(cases);
            (await db.Users.CountAsync(u => u.UserName!.StartsWith("demo-"))).ShouldBeGreaterThan(5);
        }

        var (again, reused) = await database.LoadAsync(Scale);
        again.ShouldBe(0);
        reused.GetProperty("reused").GetBoolean().ShouldBeTrue();
        foreach (var phase in new[] { "cases", "caseCounts", "dues", "orgLife" })
            reused.GetProperty($"{phase}.reused").GetBoolean().ShouldBeTrue(phase);
        await using (var db = database.Open())
            (await db.Cases.IgnoreQueryFilters().CountAsync()).ShouldBe(stats.GetProperty("cases.rows.cases").GetInt32());

        var (other, _) = await database.LoadAsync(Scale * 2);
        other.ShouldBe(2); // another scale's database is refused, not topped up
    }
}

/// <summary>The same generators give the same rows on both providers (issue 7: SQLite for the embedded scale).</summary>
public sealed class LoaderProviderTests
{
    [Fact]
    public async Task Sqlite_and_PostgreSQL_get_the_same_rows()
    {
        await using var lite = new BenchDatabase(DatabaseProvider.Sqlite);
        await using var pg = new BenchDatabase(DatabaseProvider.Postgres);
        var (a, liteStats) = await lite.LoadAsync(0.02);
        var (b, pgStats) = await pg.LoadAsync(0.02);
        (a, b).ShouldBe((0, 0));
        static Dictionary<string, long> Rows(JsonElement s) => s.EnumerateObject()
            .Where(p => p.Name.Contains(".rows.", StringComparison.Ordinal) || p.Name is "members" or "organizations" || p.Name.StartsWith("membersInScope:", StringComparison.Ordinal))
            .ToDictionary(p => p.Name, p => p.Value.GetInt64());
        var rows = Rows(liteStats);
        rows.Count.ShouldBeGreaterThan(15);
        rows.ShouldBe(Rows(pgStats));
    }
}

/// <summary>The SQLite loader's writer stores a row exactly as SaveChanges does, and leaves the table's indexes as it found them.</summary>
public sealed class SqliteTableWriterTests
{
    [Fact]
    public async Task A_written_row_is_stored_as_SaveChanges_stores_it_and_the_indexes_are_rebuilt()
    {
        await using var database = new BenchDatabase(DatabaseProvider.Sqlite);
        await using var db = database.Open();
        await db.Database.MigrateAsync();
        await db.Database.OpenConnectionAsync();
        var conn = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys=OFF"); // no organizations or categories in this file
        var indexes = await IndexesAsync(conn, "Cases");
        indexes.Count.ShouldBeGreaterThan(3);

        var at = new DateTimeOffset(2026, 11, 30, 1, 2, 3, 456, TimeSpan.Zero);
        Case Make(string number) => new()
        {
            Id = Guid.CreateVersion7(at), Number = number, OrganizationId = Guid.NewGuid(), HandlingOrganizationId = Guid.NewGuid(), GridId = null,
            CategoryId = Guid.NewGuid(), Source = CaseSource.Hotline, Status = CaseStatus.Accepted, Description = "楼道灯不亮", Place = null,
            ReporterName = "张三", TrackingHash = "hash-" + number, ReceivedAt = at, ResponseDue = at.AddHours(24), ResolutionDue = at.AddDays(3),
            RespondedAt = at.AddMinutes(5), ReopenCount = 2, CloseMinutes = null, EscalatedForResponse = true, Rating = 4, HasPhoto = true,
            Version = 3, UpdatedAt = at,
        };
        var written = Make("W-1");
        var saved = Make("S-1");
        saved.OrganizationId = written.OrganizationId; saved.HandlingOrganizationId = written.HandlingOrganizationId; saved.CategoryId = written.CategoryId;
        var record = new IdempotencyRecord { UserId = "u", Operation = "op", Key = "k", RequestHash = "h", StatusCode = 201, CreatedAt = at };

        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            using (var w = SqliteTableWriter<Case>.Start(db, conn, (SqliteTransaction)tx.GetDbTransaction()))
            {
                (await IndexesAsync(conn, "Cases")).ShouldBeEmpty(); // dropped for the load
                w.Add(written);
                w.Complete().ShouldBe(1);
            }
            using (var w = SqliteTableWriter<IdempotencyRecord>.Start(db, conn, (SqliteTransaction)tx.GetDbTransaction()))
            {
                w.Add(record);
                w.Complete();
            }
            await tx.CommitAsync();
        }
        (await IndexesAsync(conn, "Cases")).ShouldBe(indexes);

        db.BulkLoad = true;
        db.Cases.Add(saved);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        var a = await RowAsync(conn, "Cases", "Number", "W-1");
        var b = await RowAsync(conn, "Cases", "Number", "S-1");
        a.Count.ShouldBeGreaterThan(20);
        foreach (var column in a.Keys.Where(k => k is not "Id" and not "Number" and not "TrackingHash"))
            a[column].ShouldBe(b[column], column);
        a["Id"].ShouldBe(("text", written.Id.ToString().ToUpperInvariant())); // as EF stores a Guid
        (await RowAsync(conn, "IdempotencyRecords", "Key", "k"))["CreatedAt"].Type.ShouldBe("integer"); // ticks, so they order

        var back = await db.Cases.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Number == "W-1");
        back.ReceivedAt.ShouldBe(at);
        back.RespondedAt.ShouldBe(at.AddMinutes(5));
        back.Status.ShouldBe(CaseStatus.Accepted);
        back.Source.ShouldBe(CaseSource.Hotline);
        back.Place.ShouldBeNull();
        back.Rating.ShouldBe(4);
        back.HasPhoto.ShouldBeTrue();
        back.ReporterName.ShouldBe("张三");
    }

    private static async Task<List<string>> IndexesAsync(SqliteConnection conn, string table)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $t AND sql IS NOT NULL ORDER BY name";
        cmd.Parameters.AddWithValue("$t", table);
        var found = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) found.Add(r.GetString(0));
        return found;
    }

    /// <summary>Each column's storage class and value, as SQLite holds them.</summary>
    private static async Task<Dictionary<string, (string Type, object? Value)>> RowAsync(SqliteConnection conn, string table, string keyColumn, string key)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"SELECT * FROM \"{table}\" WHERE \"{keyColumn}\" = $k";
        cmd.Parameters.AddWithValue("$k", key);
        await using var r = await cmd.ExecuteReaderAsync();
        (await r.ReadAsync()).ShouldBeTrue();
        var row = new Dictionary<string, (string, object?)>();
        for (var i = 0; i < r.FieldCount; i++)
            row[r.GetName(i)] = r.IsDBNull(i) ? ("null", null) : (r.GetDataTypeName(i).ToLowerInvariant(), r.GetValue(i) is var v && v is byte[] bytes ? Convert.ToHexString(bytes) : v);
        return row;
    }
}
