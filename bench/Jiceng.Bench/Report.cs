using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jiceng.Bench;

/// <summary>
/// Turns one run's scenario lines (JSON, one per scenario, written by bench/lib/bench.sh) plus the load
/// statistics and machine facts into bench/results/&lt;name&gt;.json and a Markdown table.
/// A scenario line holds: scenario, description, and either skipped (the reason) or the measured
/// figures (requestsPerSecond, latencyMs.p50/p90/p95/p99/max, errors, peakRssMb, targets).
/// </summary>
public static class Report
{
    public static async Task<int> RunAsync(string resultsFile, string? loadFile, string? machineFile, string outPath, CancellationToken ct)
    {
        var scenarios = new JsonArray();
        var limits = new JsonArray();
        foreach (var line in await File.ReadAllLinesAsync(resultsFile, ct))
            if (!string.IsNullOrWhiteSpace(line) && JsonNode.Parse(line) is JsonObject row)
                (row["limit"] is null ? scenarios : limits).Add(row);
        var load = loadFile is not null && File.Exists(loadFile) ? JsonNode.Parse(await File.ReadAllTextAsync(loadFile, ct)) : null;
        var machine = machineFile is not null && File.Exists(machineFile) ? JsonNode.Parse(await File.ReadAllTextAsync(machineFile, ct)) : null;

        var doc = new JsonObject
        {
            ["generatedAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["machine"] = machine,
            ["data"] = load,
            ["scenarios"] = scenarios,
            ["limits"] = limits,
        };
        var floor = scenarios.OfType<JsonObject>().FirstOrDefault(s => s["scenario"]?.GetValue<string>() == FloorScenario);
        foreach (var s in scenarios.OfType<JsonObject>())
        {
            AddRatios(s, limits, floor);
            s["verdict"] = Verdict(s);
            // The committed file stays a few KB: statement texts are cut (the run folder keeps them whole).
            foreach (var q in (s["sql"] as JsonArray)?.OfType<JsonObject>() ?? [])
                if (q["query"]?.GetValue<string>() is { Length: > 100 } text) q["query"] = text[..100] + "…";
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
        await File.WriteAllTextAsync(outPath + ".json", doc.ToJsonString(new JsonSerializerOptions { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), ct);
        var md = Markdown(doc);
        await File.WriteAllTextAsync(outPath + ".md", md, ct);
        Console.Write(md);
        return 0;
    }

    private const string FloorScenario = "app.floor.auth-me";

    /// <summary>
    /// The scenario against its limit (targets.limit: one limit's name, or several joined by "+" whose times add up):
    /// requests/s ÷ the limit's transactions/s for a pgbench limit, or the app's serial latency ÷ the SQL's time for a
    /// hand-written query (both one request at a time, without queueing). Also requests/s ÷ the app's floor.
    /// </summary>
    private static void AddRatios(JsonObject s, JsonArray limits, JsonObject? floor)
    {
        if (Num(s, "requestsPerSecond") is { } rps && floor is not null && !ReferenceEquals(s, floor) && Num(floor, "requestsPerSecond") is { } floorRps && floorRps > 0)
            s["ofFloor"] = Math.Round(rps / floorRps, 3);
        if (s["targets"]?["limit"]?.GetValue<string>() is not { } names) return;
        var used = names.Split('+').Select(n => limits.OfType<JsonObject>().FirstOrDefault(l => l["limit"]?.GetValue<string>() == n)).ToList();
        if (used.Any(l => l is null)) { s["limitMissing"] = names; return; }
        if (used.Any(l => l!["skipped"] is not null)) { s["limitValue"] = "skipped"; s["limitSkipped"] = true; return; }
        if (used.All(l => IsRate(l!)))
        {
            var limitRps = used.Sum(l => Num(l, "requestsPerSecond") ?? 0);
            s["limitValue"] = $"{limitRps:F0} tx/s";
            if (Num(s, "requestsPerSecond") is { } appRps && limitRps > 0) s["ratioToLimit"] = Math.Round(appRps / limitRps, 3);
        }
        else
        {
            var ms = used.Sum(l => Num(l, "ms") ?? 0);
            s["limitValue"] = $"{ms:F2} ms";
            if (Num(s, "serialMs") is { } appMs && ms > 0) s["ratioToLimit"] = Math.Round(appMs / ms, 2);
        }
    }

    /// <summary>A write's limit, in transactions/s: pgbench on PostgreSQL, the insert loop on SQLite (Jiceng.Bench insert-limit).</summary>
    private static bool IsRate(JsonObject limit) => limit["kind"]?.GetValue<string>() is "pgbench" or "insert-limit";

    /// <summary>"met", "missed: ..." or null when the scenario has no target or did not run.</summary>
    private static string? Verdict(JsonObject s)
    {
        if (s["skipped"] is not null || s["targets"] is not JsonObject t) return null;
        var misses = new List<string>();
        if (t["p95Ms"]?.GetValue<double>() is { } p95 && Num(s, "latencyMs", "p95") is { } got95 && got95 >= p95) misses.Add($"p95 {got95:F1} ≥ {p95} ms");
        if (t["p99Ms"]?.GetValue<double>() is { } p99 && Num(s, "latencyMs", "p99") is { } got99 && got99 >= p99) misses.Add($"p99 {got99:F1} ≥ {p99} ms");
        if (t["seconds"]?.GetValue<double>() is { } sec && Num(s, "seconds") is { } gotSec && gotSec >= sec) misses.Add($"{gotSec:F1} ≥ {sec} s");
        if (t["peakRssMb"]?.GetValue<double>() is { } mb && Num(s, "peakRssMb") is { } gotMb && gotMb >= mb) misses.Add($"peak RSS {gotMb:F0} ≥ {mb} MB");
        if (t["minRequestsPerSecond"]?.GetValue<double>() is { } rps && Num(s, "requestsPerSecond") is { } gotRps && gotRps < rps) misses.Add($"{gotRps:F0} < {rps} req/s");
        if (t["maxRatio"]?.GetValue<double>() is { } maxRatio && Num(s, "ratioToLimit") is { } r1 && r1 > maxRatio) misses.Add($"{r1:F2}× the limit > {maxRatio}×");
        if (t["minRatio"]?.GetValue<double>() is { } minRatio && Num(s, "ratioToLimit") is { } r2 && r2 < minRatio) misses.Add($"{r2:P0} of the limit < {minRatio:P0}");
        if (t["limit"] is not null && s["ratioToLimit"] is null && s["limitSkipped"] is null) misses.Add("limit not measured");
        if (ErrorCount(s) > 0) misses.Add($"{ErrorCount(s)} errors");
        return misses.Count == 0 ? "met" : "missed: " + string.Join("; ", misses);
    }

    private static double? Num(JsonNode? n, params string[] path)
    {
        foreach (var p in path) n = n?[p];
        return n is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
    }

    private static long ErrorCount(JsonObject s) =>
        s["errors"] is JsonObject e ? e.Sum(kv => kv.Value is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0) : 0;

    private static string F(double? d, string format = "F1") => d is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static string Markdown(JsonObject doc)
    {
        var sb = new StringBuilder();
        var data = doc["data"];
        var machine = doc["machine"];
        sb.AppendLine($"# Benchmark: {machine?["run"] ?? "run"} ({doc["generatedAt"]})");
        sb.AppendLine();
        if (machine is JsonObject m)
        {
            sb.AppendLine("## Machine");
            sb.AppendLine();
            foreach (var (k, v) in m) sb.AppendLine($"- {k}: {v}");
            sb.AppendLine();
        }
        if (data is JsonObject d)
        {
            sb.AppendLine("## Data");
            sb.AppendLine();
            foreach (var (k, v) in d)
                sb.AppendLine(k.EndsWith("Bytes", StringComparison.Ordinal) && v is JsonValue b && b.TryGetValue<long>(out var bytes)
                    ? $"- {k[..^5]}: {bytes / 1048576.0:F0} MB" : $"- {k}: {v}");
            sb.AppendLine();
        }
        sb.AppendLine("## Scenarios");
        sb.AppendLine();
        sb.AppendLine("| scenario | req/s | p50 ms | p90 ms | p95 ms | p99 ms | max ms | errors | serial ms | limit | ratio to limit | ÷ floor | peak RSS MB (before) | db ms/req | rows matched | others' CPU % | target | verdict |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        var skipped = new List<string>();
        foreach (var s in doc["scenarios"]!.AsArray().OfType<JsonObject>())
        {
            if (s["skipped"] is { } reason) { skipped.Add($"- `{s["scenario"]}`: skipped — {reason}"); continue; }
            var targets = s["targets"] is JsonObject t ? string.Join(", ", t.Select(kv => $"{kv.Key} {kv.Value}")) : "";
            var seconds = Num(s, "seconds");
            var rps = Num(s, "requestsPerSecond");
            sb.AppendLine($"| `{s["scenario"]}` | {(rps is null && seconds is not null ? $"{F(seconds)} s" : F(rps, "F0"))} | {F(Num(s, "latencyMs", "p50"))} | {F(Num(s, "latencyMs", "p90"))} | "
                + $"{F(Num(s, "latencyMs", "p95"))} | {F(Num(s, "latencyMs", "p99"))} | {F(Num(s, "latencyMs", "max"))} | {ErrorCount(s)} | "
                + $"{F(Num(s, "serialMs"), "F2")} | {s["limitValue"]?.ToString() ?? "–"} | {F(Num(s, "ratioToLimit"), "F2")} | {F(Num(s, "ofFloor"), "F2")} | {F(Num(s, "peakRssMb"), "F0")}{(Num(s, "rssBeforeMb") is { } b ? $" ({b:F0})" : "")} | "
                + $"{F(Num(s, "dbMsPerRequest"), "F2")} | {s["rowsMatched"]?.ToString() ?? "–"} | {F(Num(s, "machine", "othersCpuBusyPctBefore"), "F0")} | {targets} | {s["verdict"] ?? "–"} |");
        }
        sb.AppendLine();
        foreach (var s in doc["scenarios"]!.AsArray().OfType<JsonObject>().Where(s => s["skipped"] is null))
            sb.AppendLine($"- `{s["scenario"]}`: {s["description"]} — `{s["request"]}` as {s["account"]}, {s["load"]}"
                + (s["outcome"] is { } outcome ? $": {outcome}" : ""));
        if (skipped.Count > 0) { sb.AppendLine(); sb.AppendLine(string.Join(Environment.NewLine, skipped)); }
        sb.AppendLine();
        if (doc["limits"] is JsonArray { Count: > 0 } limitRows)
        {
            sb.AppendLine("## Limits (measured in the same run, on the same machine)");
            sb.AppendLine();
            sb.AppendLine("| limit | what | measured | runs / load | others' CPU % |");
            sb.AppendLine("|---|---|---:|---|---:|");
            foreach (var l in limitRows.OfType<JsonObject>())
                sb.AppendLine(l["skipped"] is not null
                    ? $"| `{l["limit"]}` | {l["description"]} | skipped: {l["skipped"]} | – | – |"
                    : IsRate(l)
                    ? $"| `{l["limit"]}` | {l["description"]} | {F(Num(l, "requestsPerSecond"), "F0")} tx/s, mean {F(Num(l, "latencyMsMean"), "F2")} ms, {l["failed"]} failed | {l["load"]} | {F(Num(l, "machine", "othersCpuBusyPctBefore"), "F0")} |"
                    : $"| `{l["limit"]}` | {l["description"]} | {F(Num(l, "ms"), "F2")} ms (median) | {l["runsMs"]?.ToJsonString()} | – |");
            sb.AppendLine();
            sb.AppendLine("Ratio to limit: for a write, the app's requests/s ÷ pgbench's (on SQLite: the insert loop's) transactions/s at the same concurrency; for a read, the app's "
                + "serial latency (median of 7 requests one after another, after the load) ÷ the hand-written SQL's planning + execution time "
                + "(EXPLAIN ANALYZE, median of 7; a list's count and page queries add up). ÷ floor = requests/s ÷ the trivial authenticated endpoint's.");
            sb.AppendLine();
        }
        sb.AppendLine("## Statements (pg_stat_statements, top 3 by total time per scenario)");
        sb.AppendLine();
        sb.AppendLine("| scenario | calls | mean ms | statement |");
        sb.AppendLine("|---|---:|---:|---|");
        foreach (var s in doc["scenarios"]!.AsArray().OfType<JsonObject>().Where(s => s["sql"] is JsonArray))
            foreach (var q in s["sql"]!.AsArray().OfType<JsonObject>().Take(3))
            {
                var text = q["query"]?.GetValue<string>() ?? "";
                sb.AppendLine($"| `{s["scenario"]}` | {q["calls"]} | {F(Num(q, "meanMs"), "F2")} | `{(text.Length > 110 ? text[..110] + "…" : text).Replace("|", "\\|")}` |");
            }
        sb.AppendLine();
        sb.AppendLine("Latencies from wrk's done() (latency:percentile). Peak RSS = VmHWM of the app process, reset before each scenario "
            + "(/proc/PID/clear_refs). db ms/req = pg_stat_statements total execution time ÷ requests. Others' CPU % = how busy the "
            + "machine's CPUs were, with nothing of the benchmark running, just before the scenario (the machine is shared).");
        return sb.ToString();
    }
}
