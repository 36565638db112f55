namespace Jiceng.Web.Infrastructure;

/// <summary>Configuration under "Jiceng". See README for every key.</summary>
public sealed class JicengOptions
{
    /// <summary>Where the SQLite database, generated keys and data-protection keys live.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Demo mode seeds the fictional district and its accounts, and generates keys into the
    /// data folder. It is never on in Production.</summary>
    public bool DemoMode { get; set; }

    /// <summary>Base64 of a 32-byte master key for protected fields (or env JICENG_PROTECTION_KEY).</summary>
    public string? ProtectionKey { get; set; }

    /// <summary>Size factor for the demo district (1 = the seeds' district).</summary>
    public double DemoScale { get; set; } = 1.0;

    /// <summary>Size factor for the demo members alone (default: DemoScale); tests use fewer.</summary>
    public double? DemoMemberScale { get; set; }

    /// <summary>Rows an export reads per query. 1,000 rather than 5,000 (ADR 002, s28): the city's 500,000-member export peaked at
    /// 272 against 306 MB (2,000: 287 MB) and took 11.2 against 9.0 s.</summary>
    public int ExportPageSize { get; set; } = 1000;

    /// <summary>Hour of the day (Asia/Shanghai) when the daily alert evaluation runs.</summary>
    public int AlertHour { get; set; } = 2;

    /// <summary>How many memory-heavy reports (dues ledgers, arrears) compute at once (<see cref="ReportGate"/>); default
    /// the number of cores, at least 2.</summary>
    public int? ReportConcurrency { get; set; }

    /// <summary>How many member rows the month ledgers computed earlier may hold in all (<c>DuesLedgerCache</c>, ADR 009; about
    /// 300 bytes a row); 0 switches the cache off.</summary>
    public int DuesLedgerCacheRows { get; set; } = 100_000;
}

public static class ChinaTime
{
    /// <summary>Business dates are in Asia/Shanghai whatever the server's zone.</summary>
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DateOnly Today(this TimeProvider clock) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zone).DateTime);

    public static DateTimeOffset ToChina(this DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, Zone);
}
