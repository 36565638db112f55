using System.Globalization;

namespace Jiceng.Web.Infrastructure;

/// <summary>
/// The runtime settings that decide how much memory the process holds (ADR 002), in effect, as one line for the log at start.
/// They ship in <c>Jiceng.Web.runtimeconfig.json</c> (the project file's settings). The environment can change them:
/// <c>DOTNET_TieredPGO</c> and <c>DOTNET_TieredCompilation</c> override the shipped values, <c>DOTNET_GCgen0MaxBudget</c> the
/// budget's cap (the collector reports what it uses), and <c>DOTNET_GCgen0size</c> sets a floor under that cap; the line says
/// what the runtime ended up with.
/// </summary>
public static class RuntimeSettings
{
    public static string Describe()
    {
        var gc = GC.GetConfigurationVariables();
        var server = gc.TryGetValue("ServerGC", out var s) && s is true;
        var concurrent = gc.TryGetValue("ConcurrentGC", out var c) && c is true;
        var gen0Cap = gc.TryGetValue("GCGen0MaxBudget", out var b) ? Convert.ToInt64(b, CultureInfo.InvariantCulture) : 0;
        var gen0Floor = RuntimeVariable("GCgen0size");
        var tiered = Switch("TieredCompilation", "System.Runtime.TieredCompilation");
        return $"Runtime: {(server ? "server" : "workstation")} GC{(concurrent ? ", concurrent" : "")}, "
            + $"first-generation budget {(gen0Cap > 0 ? $"at most {gen0Cap / (1 << 20)} MB" : "from the cache size")}"
            + (gen0Floor is not null ? $" (GCgen0size={gen0Floor} in the environment)" : "")
            + (tiered ? $", tiered PGO {(Switch("TieredPGO", "System.Runtime.TieredPGO") ? "on" : "off")}" : ", tiered compilation off")
            + $", {Environment.ProcessorCount} processors";
    }

    /// <summary>A runtime switch that is on by default: the environment first (<c>DOTNET_</c>, then <c>COMPlus_</c>; the runtime
    /// reads it before runtimeconfig.json, as a hexadecimal number, and ignores a value it cannot read), then the value shipped in
    /// runtimeconfig.json.</summary>
    internal static bool Switch(string name, string configName)
    {
        if (RuntimeVariable(name) is { } env && TryParseHex(env, out var value)) return value != 0;
        return AppContext.GetData(configName) is not string shipped || !bool.TryParse(shipped, out var on) || on;
    }

    /// <summary>A runtime setting from the environment, as the runtime looks it up: <c>DOTNET_</c> first, then <c>COMPlus_</c>.</summary>
    private static string? RuntimeVariable(string name) =>
        Environment.GetEnvironmentVariable("DOTNET_" + name)?.Trim() is { Length: > 0 } dotnet ? dotnet
        : Environment.GetEnvironmentVariable("COMPlus_" + name)?.Trim() is { Length: > 0 } complus ? complus : null;

    private static bool TryParseHex(string text, out ulong value)
    {
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        return ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
