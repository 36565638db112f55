using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Tests.Storage;

/// <summary>On SQLite a connection that finds the database locked waits in SQLite's busy handler (short, growing sleeps)
/// for as long as its Default Timeout, not in Microsoft.Data.Sqlite's retry loop, which polls every 150 ms.</summary>
public sealed class SqliteBusyTimeoutTests(ProductionSqliteApp app) : IClassFixture<ProductionSqliteApp>
{
    [Fact]
    public async Task Every_connection_the_app_opens_waits_for_a_lock_in_SQLites_busy_handler()
    {
        await using var db = app.OpenDb();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA busy_timeout";
        Convert.ToInt32(await command.ExecuteScalarAsync()).ShouldBe(30_000); // the connection string's Default Timeout=30
    }
}
