using Jiceng.Domain.OrganizationalLife;
using Jiceng.Web.Features.Cases;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.OrganizationalLife;

public sealed record ActivityAttachmentView(Guid Id, Guid ActivityId, string FileName, string ContentType, long Size, DateTimeOffset CreatedAt);

/// <summary>
/// Optional files kept with an activity (minutes scans, photos): never required by anything (国办函〔2026〕12号 forbids forced
/// uploads). Limits like the case photo: at most <see cref="MaxBytes"/>, the type sniffed from the first bytes (JPEG, PNG,
/// WebP or PDF; the client's claim is ignored). Scoped like the activity (out of scope → 404); a download is audited.
/// </summary>
public sealed class ActivityAttachmentService(ScopedDbFactory dbs, TimeProvider clock)
{
    public const int MaxBytes = PublicCaseService.MaxPhotoBytes;
    public const int MaxPerActivity = 20;
    public const int MaxFileNameLength = 200;

    public static string? Sniff(ReadOnlySpan<byte> b) =>
        PublicCaseService.SniffImage(b) ?? (b.Length >= 5 && b[..5].SequenceEqual("%PDF-"u8) ? "application/pdf" : null);

    public async Task<List<ActivityAttachmentView>?> ListAsync(Guid activityId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        if (!await db.Activities.AnyAsync(a => a.Id == activityId, ct)) return null;
        return await db.ActivityAttachments.AsNoTracking().Where(x => x.ActivityId == activityId).OrderBy(x => x.CreatedAt)
            .Select(x => new ActivityAttachmentView(x.Id, x.ActivityId, x.FileName, x.ContentType, x.Size, x.CreatedAt)).ToListAsync(ct);
    }

    public async Task<Outcome<ActivityAttachmentView>> UploadAsync(Guid activityId, string? fileName, byte[] content, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var activity = await db.Activities.AsNoTracking().Where(a => a.Id == activityId).Select(a => new { a.Id, a.OrganizationId }).FirstOrDefaultAsync(ct);
        if (activity is null) return Outcome<ActivityAttachmentView>.Missing;
        var e = new FieldErrors();
        var type = Sniff(content);
        if (content.Length == 0) e.Add("file", "请选择要上传的文件");
        else if (content.Length > MaxBytes) e.Add("file", $"附件不能超过{MaxBytes / 1024 / 1024}MB");
        else if (type is null) e.Add("file", "附件须为JPEG、PNG、WebP图片或PDF文件");
        var name = Path.GetFileName((fileName ?? "").Trim());
        if (name.Length == 0) name = "附件";
        if (name.Length > MaxFileNameLength) e.Add("file", $"文件名不能超过{MaxFileNameLength}个字符");
        if (await db.ActivityAttachments.CountAsync(x => x.ActivityId == activityId, ct) >= MaxPerActivity) e.Add("file", $"每次活动最多保存{MaxPerActivity}个附件");
        if (e.Any) return e;
        var now = clock.GetUtcNow();
        var row = new ActivityAttachment
        {
            Id = Guid.CreateVersion7(now), ActivityId = activityId, OrganizationId = activity.OrganizationId, FileName = name, ContentType = type!,
            Size = content.Length, Content = content, CreatedAt = now,
        };
        db.ActivityAttachments.Add(row);
        await db.SaveChangesAsync(ct);
        return new ActivityAttachmentView(row.Id, row.ActivityId, row.FileName, row.ContentType, row.Size, row.CreatedAt);
    }

    /// <summary>The file, as the activity's staff may see it; the read is audited.</summary>
    public async Task<ActivityAttachment?> DownloadAsync(Guid activityId, Guid attachmentId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var row = await db.ActivityAttachments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == attachmentId && x.ActivityId == activityId, ct);
        if (row is null) return null;
        db.Audit("activity.attachment.download", nameof(ActivityAttachment), row.Id.ToString(), row.OrganizationId, details: new { row.ActivityId, row.FileName, row.Size });
        await db.SaveChangesAsync(ct);
        return row;
    }
}
