using Jiceng.Data;
using Jiceng.Data.Jobs;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jiceng.Web.Features.Alerts;

/// <summary>
/// Evaluates all alert rules once a day (at Jiceng:AlertHour, Asia/Shanghai) and once soon after a
/// start when today's run is missing. A lease row in the database makes sure only one app copy runs it.
/// </summary>
public sealed class AlertJob(IServiceScopeFactory scopes, IDbContextFactory<JicengDbContext> factory, TimeProvider clock,
    IOptions<JicengOptions> options, ILogger<AlertJob> logger) : BackgroundService
{
    public const string Name = "alerts.daily";
    private static readonly TimeSpan CheckEvery = TimeSpan.FromMinutes(10);
    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        await Task.Delay(TimeSpan.FromSeconds(10), clock, stop);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (await IsDueAsync(stop) && await TryLeaseAsync(stop))
                {
                    using var scope = scopes.CreateScope();
                    var result = await scope.ServiceProvider.GetRequiredService<AlertEngine>().RunAsync(stop);
                    await ReleaseAsync($"findings={result.Findings} raised={result.Raised} resolved={result.Resolved}", stop);
                    logger.LogInformation("Alert evaluation: {Findings} findings, {Raised} raised, {Resolved} resolved", result.Findings, result.Raised, result.Resolved);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Alert evaluation failed");
            }
            await Task.Delay(CheckEvery, clock, stop);
        }
    }

    private async Task<bool> IsDueAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var lease = await db.JobLeases.AsNoTracking().FirstOrDefaultAsync(j => j.Name == Name, ct);
        if (lease?.LastRunAt is not { } last) return true;
        var now = clock.GetUtcNow().ToChina();
        return last.ToChina().Date < now.Date && now.Hour >= options.Value.AlertHour;
    }

    private async Task<bool> TryLeaseAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(ct);
        if (!await db.JobLeases.AnyAsync(j => j.Name == Name, ct))
        {
            try
            {
                db.JobLeases.Add(new JobLease { Name = Name, LeasedUntil = now.AddSeconds(-1) });
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // another copy created it first
            }
        }
        var until = now.AddMinutes(30);
        var taken = await db.JobLeases.Where(j => j.Name == Name && j.LeasedUntil < now)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Holder, _holder).SetProperty(j => j.LeasedUntil, until), ct);
        return taken == 1;
    }

    private async Task ReleaseAsync(string result, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.JobLeases.Where(j => j.Name == Name && j.Holder == _holder)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LastRunAt, now).SetProperty(j => j.LastResult, result).SetProperty(j => j.LeasedUntil, now), ct);
    }
}
