using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Demo;
using Npgsql;

namespace Jiceng.Bench;

/// <summary>What the import scenarios' file writers (<see cref="ImportFile"/>, <see cref="HouseholdFile"/>) share: the demo
/// account's organization in the loaded district, a connection to the loaded database, and writing the .xlsx as Excel would.</summary>
public static class LedgerFile
{
    /// <summary>The organization a demo account is bound to, in the district the loader wrote at <paramref name="scale"/> (the
    /// default seed's: the same organizations with the same ids and paths).</summary>
    public static (DemoDistrictGenerator.Result District, Organization Root) AccountRoot(double scale, string account)
    {
        var district = new DemoDistrictGenerator(scale: scale).Generate(TimeProvider.System.GetUtcNow());
        var root = district.Accounts.Single(a => a.UserName == account).OrganizationId;
        return (district, district.Organizations.Single(x => x.Id == root));
    }

    /// <summary>An open connection to the loaded database: a PostgreSQL connection string, or "Data Source=FILE" for the SQLite
    /// bench (BENCH_DB=sqlite).</summary>
    public static async Task<System.Data.Common.DbConnection> OpenAsync(string connection, CancellationToken ct)
    {
        System.Data.Common.DbConnection conn = IsSqlite(connection) ? new Microsoft.Data.Sqlite.SqliteConnection(connection) : new NpgsqlConnection(connection);
        await conn.OpenAsync(ct);
        return conn;
    }

    public static bool IsSqlite(string connection) => connection.TrimStart().StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes the rows as a one-sheet workbook. MiniExcel deflates for speed; Excel saves with normal compression, and
    /// 100,000 rows only fit the import's 10 MB limit that way: same entries, same bytes inside, smaller file.</summary>
    public static void Write(IEnumerable<Dictionary<string, object?>> rows, string path)
    {
        var fast = path + ".fast.xlsx";
        MiniExcelLibs.MiniExcel.SaveAs(fast, rows, overwriteFile: true);
        using (var source = System.IO.Compression.ZipFile.OpenRead(fast))
        using (var target = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
            foreach (var e in source.Entries)
            {
                using var input = e.Open();
                using var output = target.CreateEntry(e.FullName, System.IO.Compression.CompressionLevel.SmallestSize).Open();
                input.CopyTo(output);
            }
        File.Delete(fast);
    }
}
