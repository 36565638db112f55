using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Jiceng.Data;
using Jiceng.Data.Idempotency;
using Jiceng.Data.Protection;
using Jiceng.Data.Scope;
using Jiceng.Domain.Cases;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Cases;

public enum SubmitStatus { Created, Replayed, Invalid, KeyReused, InFlight }

public sealed record SubmitOutcome(SubmitStatus Status, SubmittedCase? Value = null, FieldErrors? Errors = null);

public sealed record PhotoUpload(string ContentType, byte[] Content);

public sealed record ResidentOutcome(PublicCaseView? Value, FieldErrors? Errors = null, bool NotFound = false, bool Conflict = false);

/// <summary>
/// What residents do without an account: submit a case (from the grid's QR code), follow it by its tracking code,
/// add information, confirm or reopen it and rate it. Works in an unrestricted context: there is no user, and the
/// tracking code (128 random bits, stored only as its SHA-256) is the only key to one case.
/// </summary>
public sealed class PublicCaseService(ScopedDbFactory dbs, CaseService cases, FieldProtector protector, TimeProvider clock)
{
    public const int MaxPhotoBytes = 5 * 1024 * 1024;
    public const int MaxKeyLength = 100;
    public static readonly string[] PhotoTypes = ["image/jpeg", "image/png", "image/webp"];

    /// <summary>Keys being processed by this process. Copies behind a load balancer agree through the record's primary key: the
    /// second insert of a key waits for the first transaction and then fails, and the second request answers as a replay.</summary>
    private static readonly ConcurrentDictionary<string, byte> InFlight = new();

    public static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));

    /// <summary>The photo's real type from its first bytes (never the client's claim), or null.</summary>
    public static string? SniffImage(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return "image/jpeg";
        if (b.Length >= 8 && b[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })) return "image/png";
        if (b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) return "image/webp";
        return null;
    }

    public async Task<SubmitOutcome> SubmitAsync(PublicCaseInput input, PhotoUpload? photo, string? idempotencyKey, string? clientAddress, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        if (idempotencyKey is { Length: > MaxKeyLength } || idempotencyKey is { Length: 0 }) errors.Add("Idempotency-Key", $"Idempotency-Key 须为1到{MaxKeyLength}个字符");
        CaseService.CheckText(errors, input.Description, input.Place, input.Phone, input.Name);
        if (photo is not null)
        {
            if (photo.Content.Length > MaxPhotoBytes) errors.Add("photo", $"照片不能超过{MaxPhotoBytes / 1024 / 1024}MB");
            else if (SniffImage(photo.Content) is null) errors.Add("photo", "照片须为JPEG、PNG或WebP格式");
        }
        if (input.GridId is null) errors.Add("gridId", "缺少网格，请重新扫描网格二维码");
        await using var db = await dbs.CreateUnrestrictedAsync(ct);
        db.Actor = new AuditActor(null, "居民（扫码）", "", clientAddress);
        var grid = input.GridId is { } gid ? await db.Grids.AsNoTracking().FirstOrDefaultAsync(g => g.Id == gid, ct) : null;
        if (input.GridId is not null && grid is null) errors.Add("gridId", "网格不存在，请重新扫描网格二维码");
        var category = await CaseService.CategoryAsync(db, input.CategoryId, errors, ct);
        if (errors.Any) return new SubmitOutcome(SubmitStatus.Invalid, Errors: errors);
        var street = await db.StreetOfAsync(grid!.OrganizationId, ct);

        var requestHash = RequestHash(input, photo);
        var key = idempotencyKey;
        if (key is not null && !InFlight.TryAdd(key, 0)) return new SubmitOutcome(SubmitStatus.InFlight);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (key is not null)
            {
                if (await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == PublicUser && r.Operation == IdempotencyOperation && r.Key == key, ct) is { } done)
                    return Replay(done, requestHash);
            }
            var c = cases.NewCase(category!, grid.OrganizationId, street, grid.Id, CaseSource.QrCode, input.Description!, input.Place, input.Phone, input.Name, null);
            var code = TrackingCode.Encode(RandomNumberGenerator.GetBytes(TrackingCode.Bytes));
            c.TrackingHash = Hash(code);
            c.HasPhoto = photo is not null;
            db.Cases.Add(c);
            db.CaseEvents.Add(cases.Event(c, CaseAction.Submit, CaseActor.Resident, "居民", CaseSource.QrCode.ToChinese()));
            if (photo is not null)
                db.CasePhotos.Add(new CasePhoto { Id = Guid.CreateVersion7(clock.GetUtcNow()), CaseId = c.Id, ContentType = SniffImage(photo.Content)!, Content = photo.Content, CreatedAt = clock.GetUtcNow() });
            var response = new SubmittedCase(code, c.Number);
            if (key is not null)
                db.IdempotencyRecords.Add(new IdempotencyRecord
                {
                    UserId = PublicUser, Operation = IdempotencyOperation, Key = key, RequestHash = requestHash, StatusCode = 201,
                    CreatedAt = clock.GetUtcNow(),
                    // The answer holds the tracking code, so it is stored encrypted like any protected value.
                    ResponseBody = protector.Encrypt(JsonSerializer.Serialize(response)),
                });
            try
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateException) when (key is not null)
            {
                // Another copy of the app stored the same key first (the primary key refused ours): answer as a replay.
                await tx.RollbackAsync(CancellationToken.None);
                await using var again = await dbs.CreateUnrestrictedAsync(ct);
                if (await again.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == PublicUser && r.Operation == IdempotencyOperation && r.Key == key, ct) is { } other) return Replay(other, requestHash);
                throw;
            }
            return new SubmitOutcome(SubmitStatus.Created, response);
        }
        finally
        {
            if (key is not null) InFlight.TryRemove(key, out _);
        }
    }

    /// <summary>Residents' submissions in the shared idempotency table: no account, one operation; the key is the phone's.</summary>
    public const string PublicUser = "public";
    public const string IdempotencyOperation = "case.submit";

    private SubmitOutcome Replay(IdempotencyRecord done, string requestHash) =>
        done.RequestHash != requestHash
            ? new SubmitOutcome(SubmitStatus.KeyReused, Errors: new FieldErrors().Add("Idempotency-Key", "该 Idempotency-Key 已用于另一份不同内容的提交"))
            : new SubmitOutcome(SubmitStatus.Replayed, JsonSerializer.Deserialize<SubmittedCase>(protector.Decrypt(done.ResponseBody!)));

    private static string RequestHash(PublicCaseInput i, PhotoUpload? photo)
    {
        var canonical = JsonSerializer.Serialize(new object?[] { i.GridId, i.CategoryId, i.Description?.Trim(), i.Place?.Trim(), i.Phone?.Trim(), i.Name?.Trim(),
            photo is null ? null : Convert.ToHexString(SHA256.HashData(photo.Content)) });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    // ------------------------------------------------------------ tracking

    private static async Task<Case?> FindAsync(JicengDbContext db, string? code, CancellationToken ct)
    {
        if (TrackingCode.Normalize(code) is not { } normalized) return null;
        var hash = Hash(normalized);
        return await db.Cases.FirstOrDefaultAsync(c => c.TrackingHash == hash, ct);
    }

    public async Task<PublicCaseView?> GetAsync(string code, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateUnrestrictedAsync(ct);
        var c = await FindAsync(db, code, ct);
        return c is null ? null : await ViewAsync(db, c, ct);
    }

    private static async Task<PublicCaseView> ViewAsync(JicengDbContext db, Case c, CancellationToken ct)
    {
        var category = await db.CaseCategories.AsNoTracking().Where(x => x.Id == c.CategoryId).Select(x => x.Name).FirstAsync(ct);
        var events = await db.CaseEvents.AsNoTracking().Where(e => e.CaseId == c.Id).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct);
        // Residents see the steps and the texts meant for them (results, their own words); internal reasons of
        // transfers and escalations are shown by name only.
        var shown = new HashSet<CaseAction> { CaseAction.Submit, CaseAction.Close, CaseAction.Reopen, CaseAction.Comment, CaseAction.Reject, CaseAction.DepartmentReport, CaseAction.Rate };
        return new PublicCaseView(c.Number, c.Status, c.Status.ToChinese(), category, c.Description, c.Place, c.ReceivedAt, c.ResolutionDue, c.ClosedAt, c.Result, c.Rating,
            c.Status == CaseStatus.Closed, c.Status == CaseStatus.Closed, c.Status is CaseStatus.Closed or CaseStatus.Resolved && c.Rating is null,
            events.Select(e => new PublicEventView(e.Action.ToChinese(), e.StatusAfter.ToChinese(), shown.Contains(e.Action) ? e.Text : null, e.At)).ToList());
    }

    /// <summary>confirm | reopen | comment | rate by the resident holding the tracking code.</summary>
    public async Task<ResidentOutcome> ActAsync(string code, CaseAction action, string? text, int? rating, string? clientAddress, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateUnrestrictedAsync(ct);
        db.Actor = new AuditActor(null, "居民（查询码）", "", clientAddress);
        var c = await FindAsync(db, code, ct);
        if (c is null) return new ResidentOutcome(null, NotFound: true);
        if (action == CaseAction.Rate)
        {
            if (rating is not (>= 1 and <= 5)) return new ResidentOutcome(null, new FieldErrors().Add("rating", "满意度评分须为1到5"));
            if (c.Rating is not null) return new ResidentOutcome(null, new FieldErrors().Add("rating", "已评价过，不能重复评价"));
            if (text is { Length: > CaseStateMachine.MaxTextLength }) return new ResidentOutcome(null, new FieldErrors().Add("text", "评价内容过长"));
        }
        var result = CaseStateMachine.Apply(c.Status, action, new TransitionFacts(Text: action == CaseAction.Rate ? "评价" : text, Now: clock.GetUtcNow()));
        if (!result.Allowed) return new ResidentOutcome(null, new FieldErrors().Add(result.Field!, result.Error!));
        var now = clock.GetUtcNow();
        switch (action)
        {
            case CaseAction.Confirm: c.ResolvedAt = now; break;
            case CaseAction.Reopen: c.ReopenCount++; break;
            case CaseAction.Rate: c.Rating = rating; text = $"{rating}分" + (string.IsNullOrWhiteSpace(text) ? "" : "：" + text.Trim()); break;
        }
        c.Status = result.Next;
        c.Version++;
        c.UpdatedAt = now;
        db.CaseEvents.Add(cases.Event(c, action, CaseActor.Resident, "居民", text));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ResidentOutcome(null, Conflict: true);
        }
        return new ResidentOutcome(await ViewAsync(db, c, ct));
    }

    public async Task<CasePhoto?> PhotoAsync(Guid caseId, CancellationToken ct = default)
    {
        // Staff only: the case must be visible to the caller first.
        if (await cases.GetAsync(caseId, ct) is null) return null;
        await using var db = await dbs.CreateUnrestrictedAsync(ct);
        return await db.CasePhotos.AsNoTracking().FirstOrDefaultAsync(p => p.CaseId == caseId, ct);
    }
}
