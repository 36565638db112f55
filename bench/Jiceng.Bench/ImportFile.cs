using System.Text.Json;
using Jiceng.Data.Protection;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Demo;
using Jiceng.Web.Features.MemberLedger;
using Npgsql;
using C = Jiceng.Web.Features.MemberLedger.MemberLedgerColumns;

namespace Jiceng.Bench;

/// <summary>
/// Writes the import scenario's .xlsx: the template's columns, <c>rows</c> fictional members placed in one demo
/// account's organizations (by id), from another seed than the loaded data, and without any ID number whose hash
/// the database already holds (the import refuses duplicates and is all-or-nothing).
/// </summary>
public static class ImportFile
{
    public sealed record Options(double Scale, int Rows, string Account, string Connection, byte[] ProtectionKey, string Out);

    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        var protector = new FieldProtector(o.ProtectionKey);
        var now = TimeProvider.System.GetUtcNow();
        var (district, root) = LedgerFile.AccountRoot(o.Scale, o.Account);
        var orgs = district.Organizations.Where(x => OrgPath.IsWithin(x.Path, root.Path)).ToList();

        // Organizations by name, as people fill the template ("parent/name" where a name repeats in the scope):
        // ids would not compress and push 100,000 rows past the 10 MB upload limit.
        var byId = district.Organizations.ToDictionary(x => x.Id);
        var repeated = orgs.GroupBy(x => x.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        string OrgText(Guid id) => byId[id] is var org && repeated.Contains(org.Name) && org.ParentId is { } parent
            ? $"{byId[parent].Name}/{org.Name}" : byId[id].Name;

        await using var conn = await LedgerFile.OpenAsync(o.Connection, ct);
        var rows = new List<Dictionary<string, object?>>(o.Rows);
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        for (var seed = 4242; rows.Count < o.Rows; seed++)
        {
            var batch = new DemoDistrictGenerator(seed: seed, memberScale: (o.Rows - rows.Count) * 1.02 / 15000.0).GenerateMembers(orgs, protector, now);
            var taken = await RegisteredAsync(conn, batch.Select(m => m.IdNumberHash).ToArray(), ct);
            foreach (var m in batch)
            {
                if (rows.Count == o.Rows) break;
                if (taken.Contains(m.IdNumberHash) || !hashes.Add(m.IdNumberHash)) continue;
                rows.Add(new Dictionary<string, object?>
                {
                    [C.Name] = m.Name,
                    [C.IdNumber] = protector.Decrypt(m.IdNumberCipher),
                    [C.Phone] = m.PhoneCipher is { } p ? protector.Decrypt(p) : null,
                    [C.Ethnicity] = m.Ethnicity,
                    [C.Education] = m.Education.ToChinese(),
                    [C.Occupation] = m.Occupation.ToChinese(),
                    [C.WorkUnit] = m.WorkUnit,
                    [C.HomeAddress] = m.HomeAddress,
                    [C.Residence] = null,
                    [C.Organization] = OrgText(m.OrganizationId),
                    [C.State] = m.State.ToChinese(),
                    [C.JoinedOn] = m.JoinedOn.ToString("yyyy-MM-dd"),
                    [C.FullMemberOn] = m.FullMemberOn?.ToString("yyyy-MM-dd"),
                });
            }
        }
        LedgerFile.Write(rows, o.Out);
        Console.WriteLine($"wrote {rows.Count} rows to {o.Out} ({new FileInfo(o.Out).Length / 1024.0 / 1024.0:F1} MB), organizations of {o.Account}: {orgs.Count}");
        return 0;
    }

    private static async Task<HashSet<string>> RegisteredAsync(System.Data.Common.DbConnection conn, string[] hashes, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        if (conn is NpgsqlConnection)
        {
            cmd.CommandText = "SELECT id_number_hash FROM members WHERE id_number_hash = ANY(@h)";
            cmd.Parameters.Add(new NpgsqlParameter("h", hashes));
        }
        else
        {
            cmd.CommandText = "SELECT \"IdNumberHash\" FROM \"Members\" WHERE \"IdNumberHash\" IN (SELECT value FROM json_each($h))";
            cmd.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$h", JsonSerializer.Serialize(hashes)));
        }
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) found.Add(r.GetString(0));
        return found;
    }
}
