using Jiceng.Web.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Jiceng.Web.Features.Dues;

/// <summary>
/// Month ledgers computed earlier, served again while nothing they count has changed (ADR 009): an entry holds the subtree's
/// organizations as they were read and the sum of their dues stamps, and is used only while both are the same. Paging through a
/// street's ledger, filtering it by state or exporting it then computes it once. Bounded by member rows
/// (<c>Jiceng:DuesLedgerCacheRows</c>, 0 switches it off); an entry not asked for in 10 minutes goes.
/// </summary>
public sealed class DuesLedgerCache : IDisposable
{
    private readonly MemoryCache? _entries;
    private long _hits, _misses;

    public DuesLedgerCache(IOptions<JicengOptions> options)
    {
        var rows = options.Value.DuesLedgerCacheRows;
        if (rows > 0) _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = rows });
    }

    public bool Enabled => _entries is not null;

    /// <summary>How often a ledger was served from an entry, and how often one was computed (tests, diagnostics).</summary>
    internal long Hits => Interlocked.Read(ref _hits);
    internal long Misses => Interlocked.Read(ref _misses);

    private sealed record Key(Guid OrganizationId, DateOnly Month, DateOnly Today);

    private sealed record Entry(long Stamp, IReadOnlyDictionary<Guid, DuesData.SubtreeOrganization> Organizations, DuesLedgerService.MonthSnapshot Ledger);

    /// <summary>The ledger stored for this organization and month, when its subtree has the same organizations (names, paths,
    /// parents) and the same stamp sum as when it was computed; otherwise null.</summary>
    internal DuesLedgerService.MonthSnapshot? Find(Guid organizationId, DateOnly month, DateOnly today, long stamp, DuesData.Subtree subtree)
    {
        if (_entries?.Get(new Key(organizationId, month, today)) is not Entry e || e.Stamp != stamp
            || !SameOrganizations(e.Organizations, subtree.Organizations)) return null;
        Interlocked.Increment(ref _hits);
        return e.Ledger;
    }

    /// <summary>Stores a ledger just computed from rows read after <paramref name="stamp"/>; its size is its member rows.</summary>
    internal void Set(Guid organizationId, DateOnly month, DateOnly today, long stamp, DuesData.Subtree subtree, DuesLedgerService.MonthSnapshot ledger)
    {
        Interlocked.Increment(ref _misses);
        _entries?.Set(new Key(organizationId, month, today), new Entry(stamp, subtree.Organizations, ledger),
            new MemoryCacheEntryOptions { Size = ledger.Rows.Count + 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
    }

    private static bool SameOrganizations(IReadOnlyDictionary<Guid, DuesData.SubtreeOrganization> a, IReadOnlyDictionary<Guid, DuesData.SubtreeOrganization> b)
    {
        if (a.Count != b.Count) return false;
        foreach (var (id, org) in a)
            if (!b.TryGetValue(id, out var other) || other != org) return false;
        return true;
    }

    public void Dispose() => _entries?.Dispose();
}
