namespace Jiceng.Web.Infrastructure;

/// <summary>
/// The runtime settings that decide how much memory the process holds (ADR 002), in effect, as one line for the log at start.
/// They ship in <c>Jiceng.Web.runtimeconfig.json</c> (the project file's settings); an environment variable of the same setting
/// (<c>DOTNET_TieredPGO</c>, <c>DOTNET_GCgen0size</c>) overrides it, and the line says what the runtime ended up with.
/// </summary>
public static class RuntimeSettings
{
    public static string Describe()
    {
        var gc = GC.GetConfigurationVariables();
        var server = gc.TryGetValue("ServerGC", out var s) && s is true;
        var concurrent = gc.TryGetValue("ConcurrentGC", out var c) && c is true;
        var gen0Cap = gc.TryGetValue("GCGen0MaxBudget", out var b) ? Convert.ToInt64(b, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var gen0Floor = Environment.GetEnvironmentVariable("DOTNET_GCgen0size");
        return $"Runtime: {(server ? "server" : "workstation")} GC{(concurrent ? ", concurrent" : "")}, "
            + $"first-generation budget {(gen0Cap > 0 ? $"at most {gen0Cap / (1 << 20)} MB" : "from the cache size")}"
            + (gen0Floor is { Length: > 0 } ? $" (DOTNET_GCgen0size={gen0Floor})" : "")
            + $", tiered PGO {(TieredPgo() ? "on" : "off")}, {Environment.ProcessorCount} processors";
    }

    /// <summary>The environment's <c>DOTNET_TieredPGO</c> first (the runtime reads it before runtimeconfig.json), then the
    /// setting that ships with the app, then the runtime's default (on).</summary>
    private static bool TieredPgo()
    {
        var env = Environment.GetEnvironmentVariable("DOTNET_TieredPGO") ?? Environment.GetEnvironmentVariable("COMPlus_TieredPGO");
        if (env is { Length: > 0 }) return env != "0";
        return AppContext.GetData("System.Runtime.TieredPGO") is not string shipped || !bool.TryParse(shipped, out var on) || on;
    }
}
