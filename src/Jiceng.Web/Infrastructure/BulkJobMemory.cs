using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Jiceng.Web.Infrastructure;

/// <summary>
/// Gives the memory a bulk job's garbage holds back to the operating system when the job ends (ADR 002, amendment of
/// 2026-12-07, s28). A 100,000-row import allocates a few gigabytes; what outlives a collection or two (the rows of a
/// batch, the lookups of a pass) is promoted to the last generation, and nothing after the import collects that
/// generation soon: the process stayed about 70 MB larger (318 against 250 MB) until the next full collection.
/// </summary>
/// <remarks>
/// Used around the job (<c>using var memory = BulkJobMemory.Track(log, "…", file)</c>, then <c>return await JobAsync()</c>): inside
/// it, the job's locals would still be referenced by its state machine. The collection is blocking and compacting (every request
/// waits for it; the pause is logged), so it runs only after a large job: an input of at least <see cref="MinInputBytes"/> (a
/// ledger of about 10,000 rows) while the process allocated at least <see cref="MinAllocatedBytes"/>. The allocations are the
/// whole process's, so the input's size is what keeps a small import under load from pausing everyone.
/// </remarks>
public static class BulkJobMemory
{
    /// <summary>Allocated by the whole process while the job ran (other requests' allocations count too).</summary>
    public const long MinAllocatedBytes = 256L << 20;

    /// <summary>The job's input (an uploaded .xlsx: the city's 100,000 members are 9.4 MB, 1,000 rows about 94 KB).</summary>
    public const long MinInputBytes = 1L << 20;

    public static Tracker Track(ILogger log, string job, long inputBytes) => new(log, job, inputBytes, GC.GetTotalAllocatedBytes());

    /// <summary>Tracks a job that reads <paramref name="input"/> (an upload; one that cannot tell its length counts as small).</summary>
    public static Tracker Track(ILogger log, string job, Stream input) => Track(log, job, input.CanSeek ? input.Length : 0);

    /// <summary>Whether a job of <paramref name="inputBytes"/> during which <paramref name="allocatedBytes"/> were allocated is
    /// followed by a collection.</summary>
    public static bool Warrants(long inputBytes, long allocatedBytes) => inputBytes >= MinInputBytes && allocatedBytes >= MinAllocatedBytes;

    /// <summary>glibc keeps the native memory that was freed (the runtime's, the zip reader's) in its arenas; <c>malloc_trim</c> gives
    /// the free pages back. Elsewhere (musl, macOS, Windows) there is nothing to call, and nothing is done.</summary>
    private static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            _ = MallocTrim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    public readonly struct Tracker(ILogger log, string job, long inputBytes, long allocatedAtStart) : IDisposable
    {
        public void Dispose()
        {
            var allocated = GC.GetTotalAllocatedBytes() - allocatedAtStart;
            if (!Warrants(inputBytes, allocated)) return;
            var before = Environment.WorkingSet;
            var paused = GC.GetTotalPauseDuration();
            var started = Stopwatch.GetTimestamp();
            // Aggressive: blocking, compacting, and the freed regions are decommitted at once rather than over the next minutes.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            TrimNativeHeap();
            log.LogInformation("{Job}: {Allocated} MB allocated; collected, working set {Before} → {After} MB, pause {Pause:F0} ms (took {Took:F0} ms)",
                job, allocated >> 20, before >> 20, Environment.WorkingSet >> 20, (GC.GetTotalPauseDuration() - paused).TotalMilliseconds,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
