using Microsoft.EntityFrameworkCore;

namespace Jiceng.Data.Derived;

/// <summary>
/// The dues stamps of a long transaction taken at its end (ADR 009): on PostgreSQL the stamp triggers then do nothing for the rest
/// of the transaction (<c>jiceng.dues_stamps = deferred</c>, local to it), and <see cref="StampAsync"/> stamps every organization
/// given to <see cref="Add"/> in one statement, in order, just before the commit. A member import would otherwise hold its
/// organizations' stamp rows from its first batch to its commit, and every payment (which takes the payments' lock first) would wait
/// behind it. SQLite's row triggers stamp as the rows go in (it has one writer at a time), so there both are no-ops.
/// </summary>
public sealed class DeferredDuesStamps
{
    private readonly JicengDbContext _db;
    private readonly HashSet<Guid> _organizations = [];

    private DeferredDuesStamps(JicengDbContext db) => _db = db;

    /// <summary>Defers the stamps of the current transaction (required). Every row written in it that a ledger counts must have
    /// its organization given to <see cref="Add"/> before <see cref="StampAsync"/>.</summary>
    public static async Task<DeferredDuesStamps> BeginAsync(JicengDbContext db, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("DeferredDuesStamps needs the caller's transaction");
        if (db.IsPostgres) await db.Database.ExecuteSqlRawAsync("SELECT set_config('jiceng.dues_stamps', 'deferred', true)", ct);
        return new DeferredDuesStamps(db);
    }

    /// <summary>An organization whose members' ledgers the transaction changes. Safe to call from another task.</summary>
    public void Add(Guid organizationId)
    {
        lock (_organizations) _organizations.Add(organizationId);
    }

    /// <summary>Stamps the organizations, in order, and stamps the rest of the transaction as it goes again. Call it last before the commit.</summary>
    public async Task StampAsync(CancellationToken ct)
    {
        if (!_db.IsPostgres) return;
        Guid[] ids;
        lock (_organizations) ids = [.. _organizations];
        await _db.Database.ExecuteSqlRawAsync("SELECT set_config('jiceng.dues_stamps', '', true)", ct);
        if (ids.Length == 0) return;
        await _db.Database.ExecuteSqlAsync($"""
            INSERT INTO dues_ledger_stamps AS s (organization_id, version)
            SELECT o, 1 FROM unnest({ids}) AS o ORDER BY o
            ON CONFLICT (organization_id) DO UPDATE SET version = s.version + 1
            """, ct);
    }
}
