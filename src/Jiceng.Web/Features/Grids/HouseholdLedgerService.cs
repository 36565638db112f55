using Jiceng.Web.Features.Cases;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using QRCoder;

namespace Jiceng.Web.Features.Grids;

/// <summary>The grid's QR code and what the resident form needs to know about a grid.</summary>
public sealed class HouseholdLedgerService(ScopedDbFactory dbs, IConfiguration config)
{
    /// <summary>The page a grid's QR code opens: the static mobile form with the grid filled in.</summary>
    public static string ReportPath(Guid gridId) => $"/m/report.html?grid={gridId}";

    /// <summary>Public base address printed into QR codes (Jiceng:PublicBaseUrl), else the address of the request.</summary>
    public string ReportUrl(HttpRequest request, Guid gridId)
    {
        var baseUrl = config["Jiceng:PublicBaseUrl"]?.TrimEnd('/') ?? $"{request.Scheme}://{request.Host}";
        return baseUrl + ReportPath(gridId);
    }

    public static byte[] QrPng(string text, int pixelsPerModule = 10)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule);
    }

    /// <summary>The grid's QR code, for staff who can see the grid.</summary>
    public async Task<byte[]?> QrAsync(HttpRequest request, Guid gridId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        if (!await db.Grids.AnyAsync(g => g.Id == gridId, ct)) return null;
        return QrPng(ReportUrl(request, gridId));
    }

    public async Task<PublicGridView?> PublicGridAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateUnrestrictedAsync(ct);
        return await db.Grids.AsNoTracking().Where(g => g.Id == id)
            .Select(g => new PublicGridView(g.Id, g.Name, db.Organizations.Where(o => o.Id == g.CommunityId).Select(o => o.Name).FirstOrDefault() ?? ""))
            .FirstOrDefaultAsync(ct);
    }
}
