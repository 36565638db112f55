using Microsoft.Extensions.Options;

namespace Jiceng.Web.Infrastructure;

/// <summary>
/// Bounds how many memory-heavy reports compute at once in this process (a subtree's dues ledger holds every member's
/// bases, adjustments and payments of the months asked for). More of them at once than there are cores makes none of
/// them faster: each holds its rows while it waits for the database or the CPU, so the rows of all of them survive the
/// collector's young generation and are promoted and collected again (issue 4's street ledger at 16 connections on 2
/// cores: GC pauses 14% of the time, bench 2026-12-03). Requests beyond the bound wait in arrival order; a request that
/// is abandoned stops waiting. Setting <c>Jiceng:ReportConcurrency</c>, default the number of cores (at least 2).
/// </summary>
public sealed class ReportGate(IOptions<JicengOptions> options)
{
    private readonly SemaphoreSlim _slots = new(Slots(options.Value.ReportConcurrency));

    private static int Slots(int? configured) => configured is > 0 ? configured.Value : Math.Max(2, Environment.ProcessorCount);

    /// <summary>Waits for a slot; dispose the result to give it back.</summary>
    public async ValueTask<Slot> EnterAsync(CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        return new Slot(_slots);
    }

    public readonly struct Slot(SemaphoreSlim slots) : IDisposable
    {
        public void Dispose() => slots.Release();
    }
}
