using Jiceng.Data;
using Jiceng.Data.Audit;
using Jiceng.Data.Settings;
using Jiceng.Domain.Settings;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Settings;

/// <summary>Settings as read at one moment: stored values over the rules.md defaults.</summary>
public sealed class SettingsSnapshot(IReadOnlyDictionary<string, int> stored) : ISettingsReader
{
    public int Get(SettingDefinition definition) => stored.TryGetValue(definition.Key, out var v) ? v : definition.Default;
}

public sealed record SettingView(string Key, string Name, int Value, int Default, int Min, int Max, string Unit, string Source, DateTimeOffset? UpdatedAt, string? UpdatedBy);
public sealed record SettingInput(int? Value);

/// <summary>The one typed way to read and change settings. Nothing is cached in process memory, so
/// every app copy sees a change at once.</summary>
public sealed class SettingsService(ScopedDbFactory dbs, TimeProvider clock)
{
    public static async Task<SettingsSnapshot> LoadAsync(JicengDbContext db, CancellationToken ct) =>
        new(await db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Key, s => s.Value, ct));

    public async Task<SettingsSnapshot> LoadAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        return await LoadAsync(db, ct);
    }

    public async Task<List<SettingView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var stored = await db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Key, ct);
        return SettingDefinitions.All.Select(d => stored.TryGetValue(d.Key, out var s)
            ? new SettingView(d.Key, d.Name, s.Value, d.Default, d.Min, d.Max, d.Unit, d.Source, s.UpdatedAt, s.UpdatedBy)
            : new SettingView(d.Key, d.Name, d.Default, d.Default, d.Min, d.Max, d.Unit, d.Source, null, null)).ToList();
    }

    public async Task<Outcome<SettingView>> SetAsync(string key, SettingInput input, CancellationToken ct = default)
    {
        if (SettingDefinitions.Find(key) is not { } d) return Outcome<SettingView>.Missing;
        if (input.Value is not { } value) return new FieldErrors().Add("value", "请填写参数值");
        if (value < d.Min || value > d.Max) return new FieldErrors().Add("value", $"{d.Name}须在{d.Min}到{d.Max}{d.Unit}之间");
        await using var db = await dbs.CreateAsync(ct);
        var s = await db.Settings.FirstOrDefaultAsync(x => x.Key == key, ct);
        if (s is null) db.Settings.Add(s = new Setting { Key = key, Value = d.Default });
        db.AuditAs(s, AuditActions.SettingChange);
        s.Value = value;
        s.UpdatedAt = clock.GetUtcNow();
        s.UpdatedBy = db.Actor.UserName;
        await db.SaveChangesAsync(ct);
        return (await ListAsync(ct)).Single(v => v.Key == key);
    }
}

public static class SettingsEndpoints
{
    public static IEndpointRouteBuilder MapSettingsEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/v1/settings").WithTags("参数设置（系统管理员）").RequireAuthorization(Policies.SettingsAdmin);
        g.MapGet("/", async (SettingsService svc, CancellationToken ct) => TypedResults.Ok(await svc.ListAsync(ct)));
        g.MapPut("/{key}", async (string key, SettingInput input, SettingsService svc, CancellationToken ct) =>
            OrganizationEndpoints.ToResult(await svc.SetAsync(key, input, ct), "参数"));
        return app;
    }
}
