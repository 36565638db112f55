using System.Runtime;

namespace Jiceng.Web.Infrastructure;

/// <summary>
/// Gives the memory of a finished bulk job back to the operating system (ADR 002). An import of 100,000 rows, a 500,000-row
/// export or the city's alert evaluation grows the heap to what the job needed; afterwards almost nothing of it is alive, but
/// the collector keeps the segments committed for allocations to come, so the process stays at its peak for every request
/// after. One blocking, compacting, aggressive collection (the mode exists for this: decommit as much as possible) brings it
/// back down. It pauses the process for a moment, so it runs only after such jobs, at most once every few seconds however
/// many end together, and only when there is enough to give back (a branch's small ledger export leaves nothing to reclaim).
/// Each collection is logged with the committed memory before and after and its pause.
/// </summary>
public sealed class MemoryRelief(ILogger<MemoryRelief> log)
{
    private const long MinIntervalMs = 5_000;

    /// <summary>Below this much committed beyond what is allocated, a collection would give back too little to be worth its pause.</summary>
    public const long MinReclaimableBytes = 64L << 20;

    private static long _lastMs = long.MinValue / 2;

    public void AfterBulkJob()
    {
        var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
        if (before - GC.GetTotalMemory(forceFullCollection: false) < MinReclaimableBytes) return;
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastMs);
        if (now - last < MinIntervalMs || Interlocked.CompareExchange(ref _lastMs, now, last) != last) return;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        log.LogInformation("Memory after a bulk job: {Before} MB committed, {After} MB after one collection ({Pause} ms)",
            before >> 20, GC.GetGCMemoryInfo().TotalCommittedBytes >> 20, Environment.TickCount64 - now);
    }
}
