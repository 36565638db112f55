using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Jiceng.Data.Idempotency;
using Jiceng.Data.Scope;
using Jiceng.Domain.Cases;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Bench;

/// <summary>
/// The raw insert limit on SQLite, what pgbench measures on PostgreSQL (bench/scenarios/cases.sh): CLIENTS threads, each
/// on its own connection opened as the app opens it (WAL, the default synchronous=FULL, foreign keys on), insert the
/// same case row as a resident's submission into the loaded Cases table (all its indexes) for SECONDS, one autocommit
/// INSERT per transaction; with --writeset the case, its history row and an idempotency record in one transaction. The
/// INSERT is the one <see cref="SqliteTableWriter{T}"/> prepares from the EF model (SaveChanges' column list). Prints one
/// JSON object (transactions/s, mean latency, failed); the inserted rows are deleted again afterwards.
///   insert-limit --connection "Data Source=FILE" --grid ID --category ID --clients 16 --seconds 20 [--writeset true]
/// </summary>
public static class InsertLimit
{
    private const string Marker = "SQB-";

    public sealed record Options(string Connection, Guid Grid, Guid Category, int Clients, int Seconds, bool WriteSet);

    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        var connection = new SqliteConnectionStringBuilder(o.Connection) { DefaultTimeout = 30, Pooling = false }.ConnectionString;
        await using var db = new JicengDbContext(new DbContextOptionsBuilder<JicengDbContext>()
            .UseSqlite(connection, b => b.MigrationsAssembly(JicengDatabase.SqliteMigrationsAssembly)).Options);
        db.Scope = Jiceng.Data.Scope.DataScope.Unrestricted;
        var org = await db.Grids.IgnoreQueryFilters().Where(g => g.Id == o.Grid).Select(g => g.OrganizationId).SingleAsync(ct);
        var street = await db.StreetOfAsync(org, ct);

        var deadline = Stopwatch.GetTimestamp() + (long)(o.Seconds * (double)Stopwatch.Frequency);
        var results = await Task.WhenAll(Enumerable.Range(0, o.Clients).Select(client => Task.Factory.StartNew(
            () => Client(db, connection, o, org, street, client, deadline, ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default)));
        var done = results.Sum(r => r.Done);
        var failed = results.Sum(r => r.Failed);
        var elapsed = results.Max(r => r.Seconds);
        var latency = done > 0 ? results.Sum(r => r.LatencyMs) / done : 0;

        await using (var conn = new SqliteConnection(connection))
        {
            await conn.OpenAsync(ct);
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = $"""
                DELETE FROM "CaseEvents" WHERE "CaseId" IN (SELECT "Id" FROM "Cases" WHERE "Number" LIKE '{Marker}%');
                DELETE FROM "Cases" WHERE "Number" LIKE '{Marker}%';
                DELETE FROM "IdempotencyRecords" WHERE "Operation" = 'insert-limit';
                """;
            await cmd.ExecuteNonQueryAsync(ct);
        }
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            requestsPerSecond = Math.Round(done / elapsed, 1), latencyMsMean = Math.Round(latency, 3), failed, transactions = done,
            seconds = Math.Round(elapsed, 1),
        }));
        return 0;
    }

    private static (long Done, long Failed, double LatencyMs, double Seconds) Client(JicengDbContext db, string connection, Options o, Guid org, Guid? street, int client,
        long deadline, CancellationToken ct)
    {
        using var conn = new SqliteConnection(connection);
        conn.Open();
        // As EF opens the app's connections: foreign keys enforced.
        using (var pragma = conn.CreateCommand()) { pragma.CommandText = "PRAGMA foreign_keys=ON"; pragma.ExecuteNonQuery(); }
        var start = Stopwatch.GetTimestamp();
        long done = 0, failed = 0, ticks = 0;
        // Prepared once per client (the context is only read for its model, under a lock: it is not thread-safe).
        SqliteTableWriter<Case> cases;
        SqliteTableWriter<CaseEvent> events;
        SqliteTableWriter<IdempotencyRecord> records;
        lock (db)
        {
            cases = SqliteTableWriter<Case>.Start(db, conn, null, dropIndexes: false);
            events = SqliteTableWriter<CaseEvent>.Start(db, conn, null, dropIndexes: false);
            records = SqliteTableWriter<IdempotencyRecord>.Start(db, conn, null, dropIndexes: false);
        }
        var random = new Random(client);
        while (Stopwatch.GetTimestamp() < deadline && !ct.IsCancellationRequested)
        {
            var t0 = Stopwatch.GetTimestamp();
            var now = DateTimeOffset.UtcNow;
            var row = new Case
            {
                Id = Guid.CreateVersion7(now), Number = Marker + random.NextInt64().ToString("x16"), OrganizationId = org, HandlingOrganizationId = org, StreetId = street,
                GridId = o.Grid, CategoryId = o.Category, Source = CaseSource.QrCode, Status = CaseStatus.Received,
                Description = "楼道灯不亮，晚上出行不便（压测）", Place = "3号楼",
                TrackingHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Guid.NewGuid().ToString()))),
                ReceivedAt = now, ResponseDue = now.AddHours(24), ResolutionDue = now.AddDays(3), Version = 1, UpdatedAt = now,
            };
            try
            {
                if (!o.WriteSet) cases.Add(row);
                else
                {
                    // The write set: a transaction of its own (BEGIN IMMEDIATE: the writer lock up front, as a write needs it).
                    using var tx = conn.BeginTransaction(deferred: false);
                    cases.Use(tx); events.Use(tx); records.Use(tx);
                    cases.Add(row);
                    events.Add(new CaseEvent { Id = Guid.CreateVersion7(now), CaseId = row.Id, Action = CaseAction.Submit, StatusAfter = CaseStatus.Received,
                            Actor = CaseActor.Resident, ActorName = "居民", Text = "扫码上报", At = now });
                    records.Add(new IdempotencyRecord { UserId = "public", Operation = "insert-limit", Key = "sqb-" + Guid.NewGuid(),
                            RequestHash = Guid.NewGuid().ToString("N"), StatusCode = 201, ResponseBody = Guid.NewGuid().ToString("N"), CreatedAt = now });
                    tx.Commit();
                    cases.Use(null); events.Use(null); records.Use(null);
                }
                done++;
                ticks += Stopwatch.GetTimestamp() - t0;
            }
            catch (SqliteException) { failed++; }
        }
        cases.Dispose(); events.Dispose(); records.Dispose();
        return (done, failed, ticks * 1000.0 / Stopwatch.Frequency, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }
}
