using Jiceng.Data;
using Jiceng.Web.Features.Ledgers;
using Jiceng.Data.Audit;
using Jiceng.Data.Protection;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Members;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcel = MiniExcelLibs.MiniExcel;
using MiniExcelLibs.Attributes;
using C = Jiceng.Web.Features.MemberLedger.MemberLedgerColumns;

namespace Jiceng.Web.Features.MemberLedger;

/// <summary>One row of the exported member ledger: the template's columns first (so a revealed export
/// imports again), then the computed ones. Every text passes through <see cref="SpreadsheetText.Escape"/>.</summary>
public sealed class MemberLedgerRow
{
    [ExcelColumn(Name = C.Name, Index = 0, Width = 10)] public string? Name { get; init; }
    [ExcelColumn(Name = C.IdNumber, Index = 1, Width = 21)] public string? IdNumber { get; init; }
    [ExcelColumn(Name = C.Phone, Index = 2, Width = 14)] public string? Phone { get; init; }
    [ExcelColumn(Name = C.Ethnicity, Index = 3, Width = 8)] public string? Ethnicity { get; init; }
    [ExcelColumn(Name = C.Education, Index = 4, Width = 11)] public string? Education { get; init; }
    [ExcelColumn(Name = C.Occupation, Index = 5, Width = 9)] public string? Occupation { get; init; }
    [ExcelColumn(Name = C.WorkUnit, Index = 6, Width = 22)] public string? WorkUnit { get; init; }
    [ExcelColumn(Name = C.HomeAddress, Index = 7, Width = 28)] public string? HomeAddress { get; init; }
    [ExcelColumn(Name = C.Residence, Index = 8, Width = 16)] public string? Residence { get; init; }
    [ExcelColumn(Name = C.Organization, Index = 9, Width = 24)] public string? Organization { get; init; }
    [ExcelColumn(Name = C.State, Index = 10, Width = 9)] public string? State { get; init; }
    [ExcelColumn(Name = C.JoinedOn, Index = 11, Width = 11, Format = "yyyy-MM-dd")] public DateTime? JoinedOn { get; init; }
    [ExcelColumn(Name = C.FullMemberOn, Index = 12, Width = 11, Format = "yyyy-MM-dd")] public DateTime? FullMemberOn { get; init; }
    [ExcelColumn(Name = C.Gender, Index = 13, Width = 5)] public string? Gender { get; init; }
    [ExcelColumn(Name = C.BirthDate, Index = 14, Width = 11, Format = "yyyy-MM-dd")] public DateTime? BirthDate { get; init; }
    [ExcelColumn(Name = C.PartyAge, Index = 15, Width = 5)] public int? PartyAge { get; init; }
    [ExcelColumn(Name = C.Status, Index = 16, Width = 8)] public string? Status { get; init; }
    [ExcelColumn(Name = C.SuspendedOn, Index = 17, Width = 11, Format = "yyyy-MM-dd")] public DateTime? SuspendedOn { get; init; }
}

/// <summary>An export that has been checked and audited, ready to be written.</summary>
public sealed record MemberExport(MemberQuery Query, string? OrgPath, bool Reveal, int Rows, DateOnly Today, IReadOnlyDictionary<Guid, string> Communities)
{
    public string FileName => $"党员名册_{Today:yyyyMMdd}.xlsx";
}

/// <summary>
/// Exports the member list, with the list's filters and the caller's scope, to .xlsx. ID numbers and
/// phones are masked unless a revealer asks for them; every export is audited before any row leaves.
/// Rows are read in pages by id and written as they come (MiniExcel through a pipe to the response), so memory
/// stays flat however many members there are.
/// </summary>
public sealed class MemberExportService(ScopedDbFactory dbs, FieldProtector protector, TimeProvider clock, Microsoft.Extensions.Options.IOptions<JicengOptions> options)
{
    /// <summary>Rows read per query (Jiceng:ExportPageSize, default 1,000): bounds memory whatever the export's size.</summary>
    private int PageSize => options.Value.ExportPageSize;

    /// <summary>Checks the filters and writes the audit record. Whether the caller may reveal is the caller's check.</summary>
    public async Task<Outcome<MemberExport>> StartAsync(MemberQuery f, bool reveal, CancellationToken ct = default)
    {
        var errors = MemberService.CheckQuery(f with { Page = 1, PageSize = Paging.DefaultPageSize });
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        string? orgPath = null;
        if (f.OrgId is { } orgId)
        {
            orgPath = await db.Organizations.Where(o => o.Id == orgId).Select(o => o.Path).FirstOrDefaultAsync(ct);
            if (orgPath is null) return Outcome<MemberExport>.Missing;
        }
        var today = clock.Today();
        var rows = await MemberService.Filter(db, (await db.ReadableMembersAsync(ct)).AsNoTracking(), f, today, orgPath).CountAsync(ct);
        // Residence communities may lie outside the caller's scope; only their names are written (as MemberService.GetAsync shows them).
        var communities = await db.Organizations.IgnoreQueryFilters().AsNoTracking()
            .Where(o => o.Kind == OrganizationKind.CommunityCommittee || o.Kind == OrganizationKind.GeneralBranch)
            .ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var filters = new
        {
            q = f.Q, orgId = f.OrgId, state = f.State?.ToString(), status = f.Status?.ToString(), phoneTail = f.PhoneTail,
            ageFrom = f.AgeFrom, ageTo = f.AgeTo, partyAgeFrom = f.PartyAgeFrom, partyAgeTo = f.PartyAgeTo,
        };
        db.Audit(AuditActions.Export, nameof(Member), null, f.OrgId, details: new { filters, rows, revealed = reveal });
        await db.SaveChangesAsync(ct);
        return new MemberExport(f, orgPath, reveal, rows, today, communities);
    }

    /// <summary>Writes the workbook to <paramref name="output"/> (a response body: written asynchronously only).</summary>
    public async Task WriteAsync(MemberExport export, Stream output, CancellationToken ct = default)
    {
        await LedgerWorkbook.StreamAsync(output, async (stream, token) =>
        {
            await using var db = await dbs.CreateAsync(token);
            var members = (await db.ReadableMembersAsync(token)).AsNoTracking();
            MiniExcel.SaveAs(stream, Rows(db, members, export, token), sheetName: "党员名册");
        }, ct);
    }

    private IEnumerable<MemberLedgerRow> Rows(JicengDbContext db, IQueryable<Member> members, MemberExport export, CancellationToken ct)
    {
        Guid? last = null;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var q = MemberService.Filter(db, members, export.Query, export.Today, export.OrgPath);
            if (last is { } after) q = q.Where(m => m.Id.CompareTo(after) > 0);
            var page = q.OrderBy(m => m.Id).Take(PageSize).Select(m => new
            {
                m.Id, m.Name, m.Gender, m.Ethnicity, m.BirthDate, m.IdNumberMasked, m.PhoneMasked,
                IdNumberCipher = export.Reveal ? m.IdNumberCipher : null, PhoneCipher = export.Reveal ? m.PhoneCipher : null,
                m.Education, m.Occupation, m.WorkUnit, m.HomeAddress, m.ResidenceCommunityId, OrgName = m.Organization!.Name,
                m.State, m.JoinedOn, m.FullMemberOn, m.Status, m.SuspendedOn,
            }).ToList();
            foreach (var m in page)
            {
                yield return new MemberLedgerRow
                {
                    Name = SpreadsheetText.Escape(m.Name),
                    IdNumber = SpreadsheetText.Escape(m.IdNumberCipher is { } idc ? protector.Decrypt(idc) : m.IdNumberMasked),
                    Phone = SpreadsheetText.Escape(m.PhoneCipher is { } pc ? protector.Decrypt(pc) : m.PhoneMasked),
                    Ethnicity = SpreadsheetText.Escape(m.Ethnicity),
                    Education = m.Education == Education.Unknown ? null : m.Education.ToChinese(),
                    Occupation = m.Occupation.ToChinese(),
                    WorkUnit = SpreadsheetText.Escape(m.WorkUnit),
                    HomeAddress = SpreadsheetText.Escape(m.HomeAddress),
                    Residence = SpreadsheetText.Escape(m.ResidenceCommunityId is { } rc && export.Communities.TryGetValue(rc, out var rn) ? rn : null),
                    Organization = SpreadsheetText.Escape(m.OrgName),
                    State = m.State.ToChinese(),
                    JoinedOn = m.JoinedOn.ToDateTime(TimeOnly.MinValue),
                    FullMemberOn = m.FullMemberOn?.ToDateTime(TimeOnly.MinValue),
                    Gender = m.Gender.ToChinese(),
                    BirthDate = m.BirthDate.ToDateTime(TimeOnly.MinValue),
                    PartyAge = MemberRules.PartyAge(m.State, m.FullMemberOn, export.Today),
                    Status = m.Status.ToChinese(),
                    SuspendedOn = m.Status == MemberStatus.Suspended ? m.SuspendedOn?.ToDateTime(TimeOnly.MinValue) : null,
                };
            }
            if (page.Count < PageSize) yield break;
            last = page[^1].Id;
        }
    }
}
