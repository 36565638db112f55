using Bogus;
using Jiceng.Domain.Grids;
using H = Jiceng.Web.Features.Grids.HouseholdLedgerColumns;

namespace Jiceng.Bench;

/// <summary>
/// Writes the household import scenario's .xlsx (民情台账): the template's columns, <c>rows</c> fictional households spread over
/// the grids in one demo account's scope (grids by id, as the template allows), each at an address no loaded household has
/// ("压测" addresses), with one to three members (Bogus zh_CN names, generated mobile numbers) and some tags.
/// </summary>
public static class HouseholdFile
{
    public sealed record Options(double Scale, int Rows, string Account, string Connection, string Out);

    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        var (_, root) = LedgerFile.AccountRoot(o.Scale, o.Account);
        var grids = await GridsAsync(o.Connection, root.Path, ct);
        if (grids.Count == 0) throw new InvalidOperationException($"no grids under {o.Account}'s organization in the database");

        var faker = new Faker("zh_CN") { Random = new Randomizer(4343) };
        string Mobile() => "1" + faker.PickRandom("3", "5", "8") + faker.Random.ReplaceNumbers("#########");
        var relations = new[] { "配偶", "子女", "父母", "其他" };
        var rows = new List<Dictionary<string, object?>>(o.Rows);
        for (var i = 0; i < o.Rows; i++)
        {
            var members = new List<(string, string?, string?)> { (faker.Name.FullName(), "户主", Mobile()) };
            for (var n = faker.Random.Int(0, 2); n > 0; n--) members.Add((faker.Name.FullName(), faker.PickRandom(relations), faker.Random.Bool(0.3f) ? Mobile() : null));
            rows.Add(new Dictionary<string, object?>
            {
                [H.Grid] = grids[i % grids.Count].ToString(),
                [H.Building] = $"压测{i / 120 % 40 + 1}号楼",
                [H.Address] = $"压测小区{i / 120 % 40 + 1}号楼{i % 120 / 6 + 1}单元{i % 6 + 1}0{i / 4800 + 1}室-{i}",
                [H.Members] = H.FormatMembers(members),
                [H.Tags] = faker.Random.Bool(0.2f) ? faker.PickRandom(HouseholdRules.KnownTags.ToArray()) : null,
                [H.Worker] = null,
            });
        }
        LedgerFile.Write(rows, o.Out);
        Console.WriteLine($"wrote {rows.Count} households to {o.Out} ({new FileInfo(o.Out).Length / 1024.0 / 1024.0:F1} MB), grids of {o.Account}: {grids.Count}");
        return 0;
    }

    private static async Task<List<Guid>> GridsAsync(string connection, string rootPath, CancellationToken ct)
    {
        var sqlite = LedgerFile.IsSqlite(connection);
        await using var conn = await LedgerFile.OpenAsync(connection, ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sqlite
            ? "SELECT g.\"Id\" FROM \"Grids\" g JOIN \"Organizations\" o ON o.\"Id\" = g.\"OrganizationId\" WHERE substr(o.\"Path\", 1, length($p)) = $p ORDER BY g.\"Id\""
            : "SELECT g.id FROM grids g JOIN organizations o ON o.id = g.organization_id WHERE left(o.path, length(@p)) = @p ORDER BY g.id";
        var p = cmd.CreateParameter();
        p.ParameterName = sqlite ? "$p" : "p";
        p.Value = rootPath;
        cmd.Parameters.Add(p);
        var ids = new List<Guid>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) ids.Add(r.GetGuid(0));
        return ids;
    }
}
