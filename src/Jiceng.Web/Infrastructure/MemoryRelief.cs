using System.Runtime;

namespace Jiceng.Web.Infrastructure;

/// <summary>
/// Gives the memory of a finished bulk job back to the operating system (ADR 002). An import of 100,000 rows, a 500,000-row
/// export or the city's alert evaluation grows the heap to what the job needed; afterwards almost nothing of it is alive, but
/// the collector keeps the segments committed for allocations to come, so the process stays at its peak for every request
/// after. One blocking, compacting, aggressive collection (the mode exists for this: decommit as much as possible) brings it
/// back down. It pauses the process for a moment, so it runs only after such jobs, and at most once every few seconds however
/// many end together, and only when there is enough to give back (a branch's small ledger export leaves nothing to reclaim).
/// </summary>
public static class MemoryRelief
{
    private const long MinIntervalMs = 5_000;

    /// <summary>Below this much committed beyond what is allocated, a collection would give back too little to be worth its pause.</summary>
    public const long MinReclaimableBytes = 64L << 20;
    private static long _lastMs = long.MinValue / 2;

    public static void AfterBulkJob()
    {
        var reclaimable = GC.GetGCMemoryInfo().TotalCommittedBytes - GC.GetTotalMemory(forceFullCollection: false);
        if (reclaimable < MinReclaimableBytes) return;
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastMs);
        if (now - last < MinIntervalMs || Interlocked.CompareExchange(ref _lastMs, now, last) != last) return;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
