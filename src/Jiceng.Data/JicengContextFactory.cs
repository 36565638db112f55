using Jiceng.Data.Scope;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jiceng.Data;

/// <summary>
/// Contexts come from a pool (ADR 006): building a context costs more than most of our queries (EF's internal
/// service scope, the logger, the change tracker), and an API request opens two or three. A pooled context keeps
/// what EF resets itself (change tracker, transaction, connection) and gets ours reset here, at every lease: no
/// scope, the system actor and clock, nothing queued for the audit. So a context handed out is indistinguishable
/// from a new one, whatever its previous user left behind.
/// </summary>
public sealed class JicengContextFactory(IDbContextFactory<JicengDbContext> pooled) : IDbContextFactory<JicengDbContext>
{
    /// <summary>Contexts kept for reuse; more may be leased at once (the extra ones are simply not kept).</summary>
    public const int PoolSize = 128;

    public JicengDbContext CreateDbContext()
    {
        var db = pooled.CreateDbContext();
        db.ResetForLease();
        return db;
    }

    public async Task<JicengDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
    {
        var db = await pooled.CreateDbContextAsync(cancellationToken);
        db.ResetForLease();
        return db;
    }

    /// <summary>Registers the pooled factory behind this one: IDbContextFactory&lt;JicengDbContext&gt; resolves to the resetting wrapper.</summary>
    public static IServiceCollection AddJicengContexts(IServiceCollection services, Action<DbContextOptionsBuilder> configure)
    {
        services.AddPooledDbContextFactory<JicengDbContext>(configure, PoolSize);
        var inner = services.Single(d => d.ServiceType == typeof(IDbContextFactory<JicengDbContext>));
        services.Remove(inner);
        // However EF registered it (type, instance or factory), the wrapper gets that same pooled factory.
        services.AddSingleton<IDbContextFactory<JicengDbContext>>(sp => new JicengContextFactory((IDbContextFactory<JicengDbContext>)(
            inner.ImplementationInstance ?? inner.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!))));
        return services;
    }
}
