using System.Security.Cryptography;
using System.Text;
using Jiceng.Data.Idempotency;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Infrastructure;

/// <summary>
/// The Idempotency-Key header for POST operations that must not happen twice (a payment). The first request
/// with a key claims it (a row keyed by account, operation and key); its answer is stored, and a retry with the
/// same key and the same body gets that answer again without doing the work. The same key with another body
/// is refused with 422; a retry while the first is still running gets 409.
/// </summary>
public sealed class IdempotencyStore(ScopedDbFactory dbs, TimeProvider clock)
{
    public const string Header = "Idempotency-Key";
    public const int MaxKeyLength = 200;

    public abstract record Claim;
    public sealed record Claimed : Claim;
    public sealed record Replay(int StatusCode, string? Body, string? Location) : Claim;
    public sealed record Mismatch : Claim;
    public sealed record InProgress : Claim;

    public static string Hash(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));

    public async Task<Claim> ClaimAsync(string userId, string operation, string key, string requestHash, CancellationToken ct)
    {
        await using var db = await dbs.CreateUnrestrictedAsync(ct);
        var existing = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == userId && r.Operation == operation && r.Key == key, ct);
        if (existing is null)
        {
            db.IdempotencyRecords.Add(new IdempotencyRecord { UserId = userId, Operation = operation, Key = key, RequestHash = requestHash, CreatedAt = clock.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(ct);
                return new Claimed();
            }
            catch (DbUpdateException)
            {
                // Another request with this key claimed it first.
                db.ChangeTracker.Clear();
                existing = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == userId && r.Operation == operation && r.Key == key, ct);
                if (existing is null) throw;
            }
        }
        if (existing.RequestHash != requestHash) return new Mismatch();
        if (existing.StatusCode == 0) return new InProgress();
        return new Replay(existing.StatusCode, existing.ResponseBody, existing.Location);
    }

    public async Task CompleteAsync(string userId, string operation, string key, int statusCode, string? body, string? location)
    {
        await using var db = await dbs.CreateUnrestrictedAsync();
        await db.IdempotencyRecords.Where(r => r.UserId == userId && r.Operation == operation && r.Key == key)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.StatusCode, statusCode).SetProperty(r => r.ResponseBody, body).SetProperty(r => r.Location, location));
    }

    /// <summary>Releases a claim whose request failed unexpectedly, so that a retry can do the work.</summary>
    public async Task ReleaseAsync(string userId, string operation, string key)
    {
        await using var db = await dbs.CreateUnrestrictedAsync();
        await db.IdempotencyRecords.Where(r => r.UserId == userId && r.Operation == operation && r.Key == key && r.StatusCode == 0).ExecuteDeleteAsync();
    }
}
