using System.Runtime.InteropServices;
using Jiceng.Web.Features.Ledgers;
using Jiceng.Data;
using Jiceng.Data.Audit;
using Jiceng.Data.Scope;
using Jiceng.Domain.Alerts;
using Jiceng.Domain.Dues;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Domain.Settings;
using Jiceng.Web.Features.Alerts;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs.Attributes;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace Jiceng.Web.Features.Dues;

/// <summary>
/// 党费收缴台账: per month (应交/实交/未交 with names) and per year, for any subtree, rolled up by the next level.
/// Every figure is counted from the dues bases, adjustments and payments; members are counted in their current
/// organization. Also the arrears list and its Excel export.
/// </summary>
public sealed class DuesLedgerService(ScopedDbFactory dbs, TimeProvider clock, ReportGate gate, DuesLedgerCache cache)
{
    public const string Paid = "已交", Unpaid = "未交", Partly = "部分交纳", Waived = "免交", NotAssessed = "未核定";

    private sealed record OrgInfo(Guid Id, string Name, string Path, int Depth);

    internal sealed record MemberMonth(MemberDuesFacts Member, long? DueFen, long PaidFen, long VoluntaryFen)
    {
        /// <summary>The place of the member's organization name among the ledger's (equal names, equal places): the list's
        /// first key, compared as a number (<see cref="SortForList"/>). Set before the rows are shared (<see cref="MonthSnapshot"/>),
        /// never after.</summary>
        public int OrganizationRank { get; set; }

        public long UnpaidFen => DueFen is { } d ? Math.Max(0, d - PaidFen) : 0;
        public string State => DueFen switch
        {
            null => NotAssessed,
            0 => Waived,
            { } d when PaidFen >= d => Paid,
            _ when PaidFen > 0 => Partly,
            _ => Unpaid,
        };
    }

    private static async Task<OrgInfo?> OrgAsync(JicengDbContext db, Guid orgId, CancellationToken ct) =>
        await db.Organizations.AsNoTracking().Where(o => o.Id == orgId).Select(o => new OrgInfo(o.Id, o.Name, o.Path, o.Depth)).FirstOrDefaultAsync(ct);

    /// <summary>The members of a subtree the caller has found readable (<see cref="OrgAsync"/> goes through the scope filter).</summary>
    private static IQueryable<Member> MembersOwing(JicengDbContext db, DuesData.Subtree subtree, DateOnly beforeMonth) =>
        subtree.Members(db).Where(m => PartyMembership.Current.Contains(m.Status) && m.JoinedOn < beforeMonth);

    private FieldErrors CheckMonth(string? text, out DateOnly month)
    {
        var e = new FieldErrors();
        month = default;
        if (string.IsNullOrWhiteSpace(text)) return e.Add("month", "请选择月份");
        if (DuesMonth.Parse(text) is not { } m) return e.Add("month", "月份格式应为“2026-10”");
        if (m > DuesMonth.Of(clock.Today()).AddMonths(DuesPaymentService.MaxMonths) || m.Year < 2000) return e.Add("month", "月份超出可查询的范围");
        month = m;
        return e;
    }

    /// <summary>Per member and month of [from, to]: due, paid toward the month, voluntary extra paid in the month.</summary>
    private static async Task<List<(DateOnly Month, List<MemberMonth> Rows)>> ComputeAsync(JicengDbContext db, DuesData.Subtree subtree, DateOnly from, DateOnly to, DateOnly today, CancellationToken ct)
    {
        var facts = await DuesData.LoadAsync(db, MembersOwing(db, subtree, to.AddMonths(1)), today, ct, withPaidThrough: false, subtree);
        if (facts.Count == 0) return DuesMonth.Range(from, to).Select(month => (month, new List<MemberMonth>())).ToList();
        var set = DuesData.MemberSet.InSubtree(db, subtree);
        // Streamed into the dictionaries: a list of the rows first was another tenth of a street's ledger's allocations.
        var paid = new Dictionary<(Guid, DateOnly), long>(facts.Count);
        await foreach (var p in set.StreamAsync(db.DuesPaymentMonths, q => q.Where(p => p.Month >= from && p.Month <= to)
                           .Select(p => new { p.MemberId, p.Month, p.AmountFen }), ct))
            paid[(p.MemberId, p.Month)] = p.AmountFen;
        var voluntary = new Dictionary<(Guid, DateOnly), long>();
        await foreach (var p in set.StreamAsync(db.DuesPayments, q => q.Where(p => p.VoluntaryFen > 0 && p.Status == DuesPaymentStatus.Paid && p.PaidMonth >= from && p.PaidMonth <= to)
                           .Select(p => new { p.MemberId, p.PaidMonth, p.VoluntaryFen }), ct))
            CollectionsMarshal.GetValueRefOrAddDefault(voluntary, (p.MemberId, p.PaidMonth!.Value), out _) += p.VoluntaryFen;
        return DuesMonth.Range(from, to).Select(month =>
        {
            var next = month.AddMonths(1);
            var rows = new List<MemberMonth>(facts.Count);
            foreach (var f in facts)
                if (f.Facts.JoinedOn < next)
                    rows.Add(new MemberMonth(f, DuesObligation.DueIn(f.Facts, month), paid.GetValueOrDefault((f.MemberId, month)), voluntary.GetValueOrDefault((f.MemberId, month))));
            return (month, rows);
        }).ToList();
    }

    private static DuesLedgerTotals Totals(IEnumerable<MemberMonth> rows)
    {
        var totals = new TotalsBuilder();
        foreach (var r in rows) totals.Add(r);
        return totals.Build();
    }

    /// <summary>A ledger's totals, counted in one pass over its member rows.</summary>
    private sealed class TotalsBuilder
    {
        private int _members, _assessed, _paidMembers, _unpaidMembers;
        private long _due, _paid, _unpaid, _voluntary;

        public void Add(MemberMonth r)
        {
            _members++;
            if (r.DueFen is { } due)
            {
                _assessed++;
                if (due > 0 && r.PaidFen >= due) _paidMembers++;
                else if (due > 0) _unpaidMembers++;
                _due += due;
            }
            _paid += r.PaidFen;
            _unpaid += r.UnpaidFen;
            _voluntary += r.VoluntaryFen;
        }

        public DuesLedgerTotals Build() => new(_members, _assessed, _members - _assessed, _paidMembers, _unpaidMembers,
            DuesRule.FromFen(_due), DuesRule.FromFen(_paid), DuesRule.FromFen(_unpaid), DuesRule.FromFen(_voluntary));
    }

    /// <summary>Sorts the member rows by organization name, name, then id (stable across pages). The organization names are
    /// ranked once: compared row by row, the long shared names of a street's branches were most of the sort's time.</summary>
    private static void SortForList(List<MemberMonth> rows)
    {
        var names = rows.Select(r => r.Member.OrganizationName).Distinct().Order(StringComparer.Ordinal).ToList();
        var rank = new Dictionary<string, int>(names.Count);
        for (var i = 0; i < names.Count; i++) rank[names[i]] = i;
        foreach (var r in rows) r.OrganizationRank = rank[r.Member.OrganizationName];
        rows.Sort(static (a, b) =>
        {
            var c = a.OrganizationRank.CompareTo(b.OrganizationRank);
            if (c == 0) c = string.CompareOrdinal(a.Member.Name, b.Member.Name);
            return c != 0 ? c : a.Member.MemberId.CompareTo(b.Member.MemberId);
        });
    }

    /// <summary>The organization at the next level below <paramref name="org"/> that holds a path (or the org itself).</summary>
    private static Guid NextLevel(OrgInfo org, string path)
    {
        var ids = OrgPath.Ids(path).ToList();
        var index = ids.IndexOf(org.Id);
        return index >= 0 && index + 1 < ids.Count ? ids[index + 1] : org.Id;
    }

    /// <summary>The month's ledger. <paramref name="state"/> filters the member rows (e.g. 未交).</summary>
    public Task<Outcome<DuesMonthLedger>> MonthAsync(Guid orgId, string? monthText, string? state, int page, int pageSize, CancellationToken ct = default) =>
        MonthCoreAsync(orgId, monthText, state, page, pageSize, allRows: false, ct);

    private async Task<Outcome<DuesMonthLedger>> MonthCoreAsync(Guid orgId, string? monthText, string? state, int page, int pageSize, bool allRows, CancellationToken ct)
    {
        var e = CheckMonth(monthText, out var month);
        if (!allRows) Paging.Check(page, pageSize, e);
        if (state is not null && state is not (Paid or Unpaid or Partly or Waived or NotAssessed)) e.Add("state", "状态应为 已交、未交、部分交纳、免交 或 未核定");
        if (e.Any) return e;
        await using var db = await dbs.CreateAsync(ct);
        if (await OrgAsync(db, orgId, ct) is not { } org) return Outcome<DuesMonthLedger>.Missing;
        var ledger = await MonthSnapshotAsync(db, org, await DuesData.SubtreeAsync(db, org.Path, ct), month, ct);
        // The rows are in the list's order already; a state's rows keep it.
        var listed = state is null ? ledger.Rows : [.. ledger.Rows.Where(r => r.State == state)];
        var items = listed.Skip((page - 1) * pageSize).Take(pageSize).Select(ToRow).ToList();
        return new DuesMonthLedger(org.Id, org.Name, DuesMonth.Format(month), ledger.Totals, ledger.Organizations,
            new PagedList<DuesLedgerMemberRow>(items, listed.Count, page, pageSize));
    }

    /// <summary>A month's ledger before paging: every member row in the list's order, the totals and the next level's totals.
    /// Shared by the requests that find it in <see cref="DuesLedgerCache"/>, so never changed once built.</summary>
    internal sealed record MonthSnapshot(IReadOnlyList<MemberMonth> Rows, DuesLedgerTotals Totals, IReadOnlyList<DuesLedgerOrgRow> Organizations);

    /// <summary>The month's ledger of a subtree read by its organizations (a street, a community): from the cache while the
    /// subtree's stamps and organizations are those it was computed with (ADR 009), computed otherwise. Larger subtrees (read by
    /// path) are always computed: they would not fit the cache, and their stamps would be a sum over every organization.</summary>
    private async Task<MonthSnapshot> MonthSnapshotAsync(JicengDbContext db, OrgInfo org, DuesData.Subtree subtree, DateOnly month, CancellationToken ct)
    {
        var today = clock.Today();
        var cached = cache.Enabled && subtree.ById;
        if (cached && cache.Find(org.Id, month, today, await DuesData.StampAsync(db, subtree, ct), subtree) is { } hit) return hit;
        using var slot = await gate.EnterAsync(ct);
        // Read again once through the gate: another request may have computed it meanwhile, or something changed. Before the rows.
        var stamp = cached ? await DuesData.StampAsync(db, subtree, ct) : 0;
        if (cached && cache.Find(org.Id, month, today, stamp, subtree) is { } again) return again;
        var rows = (await ComputeAsync(db, subtree, month, month, today, ct))[0].Rows;
        var names = subtree.Organizations.Values.Where(o => o.ParentId == org.Id).ToDictionary(c => c.Id, c => c.Name);
        names[org.Id] = org.Name + "（直属）";
        // Each row's next-level organization (once per organization), its totals in one pass.
        var nextLevel = new Dictionary<Guid, Guid>();
        var byNextLevel = new Dictionary<Guid, TotalsBuilder>();
        foreach (var r in rows)
        {
            ref var next = ref CollectionsMarshal.GetValueRefOrAddDefault(nextLevel, r.Member.OrganizationId, out var known);
            if (!known) next = NextLevel(org, r.Member.OrganizationPath);
            ref var totals = ref CollectionsMarshal.GetValueRefOrAddDefault(byNextLevel, next, out _);
            (totals ??= new TotalsBuilder()).Add(r);
        }
        var byOrg = byNextLevel.Select(g => new DuesLedgerOrgRow(g.Key, names.GetValueOrDefault(g.Key, ""), g.Value.Build()))
            .OrderBy(r => r.OrganizationId == org.Id ? 0 : 1).ThenBy(r => r.OrganizationName, StringComparer.Ordinal).ToList();
        SortForList(rows);
        var snapshot = new MonthSnapshot(rows, Totals(rows), byOrg);
        if (cached) cache.Set(org.Id, month, today, stamp, subtree, snapshot);
        return snapshot;
    }

    private static DuesLedgerMemberRow ToRow(MemberMonth r) =>
        new(r.Member.MemberId, r.Member.Name, r.Member.OrganizationId, r.Member.OrganizationName, r.DueFen is { } d ? DuesRule.FromFen(d) : null,
            DuesRule.FromFen(r.PaidFen), DuesRule.FromFen(r.UnpaidFen), DuesRule.FromFen(r.VoluntaryFen), r.State);

    /// <summary>The year's ledger: each month up to the current one, and the year's totals.</summary>
    public async Task<Outcome<DuesYearLedger>> YearAsync(Guid orgId, int year, CancellationToken ct = default)
    {
        var today = clock.Today();
        if (year < 2000 || year > today.Year + 1) return new FieldErrors().Add("year", "年度超出可查询的范围");
        using var slot = await gate.EnterAsync(ct);
        await using var db = await dbs.CreateAsync(ct);
        if (await OrgAsync(db, orgId, ct) is not { } org) return Outcome<DuesYearLedger>.Missing;
        var last = new DateOnly(year, 12, 1);
        if (last > DuesMonth.Of(today)) last = DuesMonth.Of(today);
        var from = new DateOnly(year, 1, 1);
        var months = from > last ? [] : await ComputeAsync(db, await DuesData.SubtreeAsync(db, org.Path, ct), from, last, today, ct);
        var totals = Totals(months.SelectMany(m => m.Rows)) with { Members = months.Count == 0 ? 0 : months[^1].Rows.Count };
        return new DuesYearLedger(org.Id, org.Name, year, totals, months.Select(m => new DuesYearLedgerMonth(DuesMonth.Format(m.Month), Totals(m.Rows))).ToList());
    }

    // ------------------------------------------------------------------ arrears

    public async Task<Outcome<PagedList<DuesArrearsRow>>> ArrearsAsync(Guid? orgId, int minMonths, int page, int pageSize, CancellationToken ct = default)
    {
        var e = Paging.Check(page, pageSize);
        if (minMonths is < 1 or > 120) e.Add("minMonths", "欠交月数须在1到120之间");
        if (e.Any) return e;
        using var slot = await gate.EnterAsync(ct);
        await using var db = await dbs.CreateAsync(ct);
        var today = clock.Today();
        IQueryable<Member> members = db.Members;
        DuesData.Subtree? subtree = null;
        if (orgId is { } id)
        {
            if (await OrgAsync(db, id, ct) is not { } org) return Outcome<PagedList<DuesArrearsRow>>.Missing;
            subtree = await DuesData.SubtreeAsync(db, org.Path, ct);
            members = subtree.Members(db);
        }
        members = members.Where(m => PartyMembership.Current.Contains(m.Status) && db.DuesBases.IgnoreQueryFilters().Any(b => b.MemberId == m.Id));
        var rows = (await DuesData.LoadAsync(db, members, today, ct, subtree: subtree))
            .Select(f => (f, Months: DuesObligation.MonthsInArrears(f.Facts, today)))
            .Where(x => x.Months >= minMonths)
            .OrderByDescending(x => x.Months).ThenBy(x => x.f.Name, StringComparer.Ordinal).ThenBy(x => x.f.MemberId).ToList();
        var items = rows.Skip((page - 1) * pageSize).Take(pageSize).Select(x => new DuesArrearsRow(x.f.MemberId, x.f.Name, x.f.OrganizationId, x.f.OrganizationName,
            x.f.Facts.PaidThrough is { } p ? DuesMonth.Format(p) : null, x.Months, DuesRule.FromFen(DuesObligation.ArrearsFen(x.f.Facts, today)),
            DuesArrearsRule.SeverityFor(x.Months)?.ToChinese() ?? "")).ToList();
        return new PagedList<DuesArrearsRow>(items, rows.Count, page, pageSize);
    }

    // ------------------------------------------------------------------ export

    public sealed class LedgerSheetRow
    {
        [ExcelColumn(Name = "党组织", Index = 0, Width = 28)] public string? Organization { get; init; }
        [ExcelColumn(Name = "姓名", Index = 1, Width = 10)] public string? Name { get; init; }
        [ExcelColumn(Name = "应交（元）", Index = 2, Width = 11)] public decimal? Due { get; init; }
        [ExcelColumn(Name = "实交（元）", Index = 3, Width = 11)] public decimal Paid { get; init; }
        [ExcelColumn(Name = "未交（元）", Index = 4, Width = 11)] public decimal Unpaid { get; init; }
        [ExcelColumn(Name = "自愿多交（元）", Index = 5, Width = 13)] public decimal Voluntary { get; init; }
        [ExcelColumn(Name = "状态", Index = 6, Width = 9)] public string? State { get; init; }
    }

    public sealed class LedgerSummaryRow
    {
        [ExcelColumn(Name = "党组织", Index = 0, Width = 28)] public string? Organization { get; init; }
        [ExcelColumn(Name = "党员人数", Index = 1, Width = 9)] public int Members { get; init; }
        [ExcelColumn(Name = "已交人数", Index = 2, Width = 9)] public int PaidMembers { get; init; }
        [ExcelColumn(Name = "未交人数", Index = 3, Width = 9)] public int UnpaidMembers { get; init; }
        [ExcelColumn(Name = "未核定人数", Index = 4, Width = 10)] public int NotAssessed { get; init; }
        [ExcelColumn(Name = "应交（元）", Index = 5, Width = 12)] public decimal Due { get; init; }
        [ExcelColumn(Name = "实交（元）", Index = 6, Width = 12)] public decimal Paid { get; init; }
        [ExcelColumn(Name = "未交（元）", Index = 7, Width = 12)] public decimal Unpaid { get; init; }
        [ExcelColumn(Name = "自愿多交（元）", Index = 8, Width = 13)] public decimal Voluntary { get; init; }
    }

    public sealed record LedgerExport(string FileName, byte[] Content);

    /// <summary>The month's ledger as .xlsx (汇总 and 明细 sheets); audited as an export. Text cells are formula-escaped.</summary>
    public async Task<Outcome<LedgerExport>> ExportMonthAsync(Guid orgId, string? monthText, CancellationToken ct = default)
    {
        var outcome = await MonthCoreAsync(orgId, monthText, null, 1, int.MaxValue, allRows: true, ct);
        if (outcome.Value is not { } ledger) return new Outcome<LedgerExport>(null, outcome.Errors, outcome.NotFound);
        await using (var db = await dbs.CreateAsync(ct))
        {
            db.Audit(AuditActions.Export, "DuesLedger", null, orgId, details: new { month = ledger.Month, rows = ledger.Members.Total });
            await db.SaveChangesAsync(ct);
        }
        static LedgerSummaryRow Summary(string name, DuesLedgerTotals t) => new()
        {
            Organization = SpreadsheetText.Escape(name), Members = t.Members, PaidMembers = t.PaidMembers, UnpaidMembers = t.UnpaidMembers,
            NotAssessed = t.NotAssessed, Due = t.Due, Paid = t.Paid, Unpaid = t.Unpaid, Voluntary = t.Voluntary,
        };
        var summary = ledger.Organizations.Select(o => Summary(o.OrganizationName, o.Totals)).Append(Summary("合计", ledger.Totals)).ToList();
        var detail = ledger.Members.Items.Select(r => new LedgerSheetRow
        {
            Organization = SpreadsheetText.Escape(r.OrganizationName), Name = SpreadsheetText.Escape(r.Name), Due = r.Due, Paid = r.Paid,
            Unpaid = r.Unpaid, Voluntary = r.Voluntary, State = r.State,
        }).ToList();
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, new Dictionary<string, object> { ["汇总"] = summary, ["明细"] = detail });
        return new LedgerExport($"党费收缴台账_{ledger.OrganizationName}_{ledger.Month}.xlsx", stream.ToArray());
    }
}

/// <summary>The 党章 six-month rule over every member who owes dues (<see cref="DuesArrearsRule"/>): alert at 3 months, escalate at 5.</summary>
public sealed class DuesArrearsAlertRules : IAlertRuleSet
{
    public async Task<IReadOnlyList<AlertFinding>> EvaluateAsync(JicengDbContext db, ISettingsReader settings, DateOnly today, CancellationToken ct)
    {
        // Candidates only: members with a base whose last paid month is at least three months back (or who never paid).
        var members = db.Members.Where(m => PartyMembership.Current.Contains(m.Status) && db.DuesBases.Any(b => b.MemberId == m.Id));
        var bound = DuesMonth.Of(today).AddMonths(-DuesArrearsRule.WarningMonths);
        members = members.Where(m => !db.DuesPaymentMonths.Any(p => p.MemberId == m.Id && p.Month > bound));
        var facts = await DuesData.LoadAsync(db, members, today, ct);
        return facts.Select(f => DuesArrearsRule.Evaluate(f.Facts, today)).OfType<AlertFinding>().ToList();
    }
}
