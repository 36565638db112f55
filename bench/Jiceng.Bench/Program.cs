using Microsoft.Extensions.Configuration;

namespace Jiceng.Bench;

/// <summary>
/// The benchmark's .NET side. The scripts in bench/ drive it:
///   load   --scale 33.4 --connection "Host=...;Database=..." --Jiceng:ProtectionKey=&lt;base64&gt; [--out-json load.json] [--provider Sqlite]
///          (--provider Sqlite: --connection "Data Source=FILE.db", the embedded scale)
///   import-file --scale 33.4 --rows 100000 --account demo-street --connection CS --Jiceng:ProtectionKey=&lt;base64&gt; --out members.xlsx
///   household-file --scale 33.4 --rows 50000 --account demo-street --connection CS --out households.xlsx
///   insert-limit --connection "Data Source=FILE.db" --grid ID --category ID --clients 16 --seconds 20 [--writeset true]   (SQLite's raw insert rate)
///   report --results run.jsonl --load load.json --machine machine.json --out bench/results/&lt;name&gt;   (writes .md and .json)
/// </summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine("usage: Jiceng.Bench load --scale S --connection CS --Jiceng:ProtectionKey=BASE64 [--out-json FILE] [--provider Postgres|Sqlite]");
            Console.WriteLine("       Jiceng.Bench import-file --scale S --rows N --account USER --connection CS --Jiceng:ProtectionKey=BASE64 --out FILE.xlsx");
            Console.WriteLine("       Jiceng.Bench household-file --scale S --rows N --account USER --connection CS --out FILE.xlsx");
            Console.WriteLine("       Jiceng.Bench insert-limit --connection \"Data Source=FILE\" --grid ID --category ID [--clients 16] [--seconds 20] [--writeset true]   (SQLite)");
            Console.WriteLine("       Jiceng.Bench report --results FILE.jsonl --load FILE.json --machine FILE.json --out PATH_WITHOUT_EXTENSION");
            return args.Length == 0 ? 1 : 0;
        }
        // The same switches as the app (--Jiceng:ProtectionKey=...), so both read one key the same way.
        var config = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine(args[1..], new Dictionary<string, string>
            {
                ["--scale"] = "scale", ["--connection"] = "connection", ["--out-json"] = "outJson",
                ["--results"] = "results", ["--load"] = "load", ["--machine"] = "machine", ["--out"] = "out", ["--rows"] = "rows", ["--account"] = "account",
                ["--provider"] = "provider", ["--grid"] = "grid", ["--category"] = "category", ["--clients"] = "clients",
                ["--seconds"] = "seconds", ["--writeset"] = "writeset",
            })
            .Build();
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        switch (args[0])
        {
            case "load":
            {
                var scale = double.Parse(Required(config, "scale"), System.Globalization.CultureInfo.InvariantCulture);
                var key = config["Jiceng:ProtectionKey"] ?? config["JICENG_PROTECTION_KEY"]
                    ?? throw new ArgumentException("--Jiceng:ProtectionKey=<base64 of 32 bytes> is required (the app must run with the same key)");
                return await Loader.RunAsync(new Loader.Options(scale, Required(config, "connection"), Convert.FromBase64String(key), config["outJson"],
                    JicengDatabase.ParseProvider(config["provider"] ?? "Postgres")), cts.Token);
            }
            case "import-file":
            {
                var key = config["Jiceng:ProtectionKey"] ?? throw new ArgumentException("--Jiceng:ProtectionKey=<base64 of 32 bytes> is required");
                return await ImportFile.RunAsync(new ImportFile.Options(
                    double.Parse(Required(config, "scale"), System.Globalization.CultureInfo.InvariantCulture),
                    int.Parse(Required(config, "rows"), System.Globalization.CultureInfo.InvariantCulture), config["account"] ?? "demo-street",
                    Required(config, "connection"), Convert.FromBase64String(key), Required(config, "out")), cts.Token);
            }
            case "household-file":
                return await HouseholdFile.RunAsync(new HouseholdFile.Options(
                    double.Parse(Required(config, "scale"), System.Globalization.CultureInfo.InvariantCulture),
                    int.Parse(Required(config, "rows"), System.Globalization.CultureInfo.InvariantCulture), config["account"] ?? "demo-street",
                    Required(config, "connection"), Required(config, "out")), cts.Token);
            case "insert-limit":
                return await InsertLimit.RunAsync(new InsertLimit.Options(Required(config, "connection"), Guid.Parse(Required(config, "grid")),
                    Guid.Parse(Required(config, "category")), int.Parse(config["clients"] ?? "16"), int.Parse(config["seconds"] ?? "20"),
                    bool.Parse(config["writeset"] ?? "false")), cts.Token);
            case "report":
                return await Report.RunAsync(Required(config, "results"), config["load"], config["machine"], Required(config, "out"), cts.Token);
            default:
                Console.Error.WriteLine($"unknown command {args[0]}");
                return 1;
        }
    }

    private static string Required(IConfiguration config, string key) =>
        config[key] is { Length: > 0 } v ? v : throw new ArgumentException($"--{key} is required");
}
