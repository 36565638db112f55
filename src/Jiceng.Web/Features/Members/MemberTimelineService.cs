using System.Globalization;
using Jiceng.Data;
using Jiceng.Domain.Development;
using Jiceng.Domain.Dues;
using Jiceng.Domain.Members;
using Jiceng.Domain.OrganizationalLife;
using Jiceng.Domain.Transfers;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Members;

/// <summary>
/// One event of a member's timeline. <see cref="Kind"/> is a stable code (e.g. <c>transfer.step</c>, <c>dues.payment</c>),
/// <see cref="Title"/> and <see cref="Detail"/> are for people (Chinese). <see cref="Date"/> is the China date the event took
/// place; <see cref="At"/> the recorded moment when the record has one. <see cref="SourceId"/> is the record it comes from.
/// </summary>
public sealed record MemberTimelineEvent(DateOnly Date, DateTimeOffset? At, string Kind, string Title, string? Detail, string? By, Guid? SourceId);

/// <summary>
/// A member's timeline (issue 3: "every step is visible in the member's timeline"), assembled when asked from the records
/// that already exist: 入党 and 转正 on the member, each suspension (停止党籍) and its decision, transfers and each of their steps, mobile registrations, 双报到 and service
/// records, appraisal grades and the follow-up's decision, dues bases, reductions, payments and refunds, a yearly summary of
/// organizational-life attendance, and the development record's steps. Nothing is stored for it, so nothing is typed twice.
/// Scope: the member must be readable (else null → 404); every source is read through its own query filter, so a record
/// kept by an organization outside the caller's scope (a 双报到 with a community of another street, a transfer between
/// two organizations the caller does not hold) is not shown. Dues records follow the member, so all of them show.
/// Bounded: each source gives at most <see cref="PerSourceLimit"/> of its newest events; the merged list is paged, newest first,
/// and <c>totalIsLowerBound</c> says when a source had more.
/// </summary>
public sealed class MemberTimelineService(ScopedDbFactory dbs, TimeProvider clock)
{
    public const int PerSourceLimit = 500;
    private static readonly CultureInfo Zh = CultureInfo.GetCultureInfo("zh-CN");

    public async Task<Outcome<PagedList<MemberTimelineEvent>>> GetAsync(Guid memberId, int page, int pageSize, CancellationToken ct = default)
    {
        var errors = Paging.Check(page, pageSize);
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var member = await db.Members.AsNoTracking().Where(m => m.Id == memberId)
            .Select(m => new { m.Id, m.JoinedOn, m.FullMemberOn, m.State }).FirstOrDefaultAsync(ct);
        if (member is null) return Outcome<PagedList<MemberTimelineEvent>>.Missing;

        var events = new List<MemberTimelineEvent>
        {
            new(member.JoinedOn, null, "member.joined", "入党（支部大会接收为预备党员）", null, null, member.Id),
        };
        if (member.FullMemberOn is { } full) events.Add(new(full, null, "member.full", "转为正式党员", null, null, member.Id));
        // Every suspension and the decision on it (a member may be suspended, restored and suspended again).
        var suspensions = await db.MemberSuspensions.AsNoTracking().Where(x => x.MemberId == memberId).OrderByDescending(x => x.SuspendedOn)
            .Take(PerSourceLimit).ToListAsync(ct);
        foreach (var x in suspensions)
        {
            events.Add(new(x.SuspendedOn, x.CreatedAt, "member.suspend", "停止党籍",
                Join(x.LostContactSince is { } lc ? $"自{lc:yyyy年M月d日}起与党组织失去联系" : null, x.Reason), x.RecordedBy, x.Id));
            if (x is { Outcome: { } outcome, DecidedOn: { } decided })
            {
                var (kind, title) = outcome switch
                {
                    SuspensionOutcome.Restored => ("member.restore", "恢复党籍"),
                    SuspensionOutcome.Died => ("member.suspension-ended", "停止党籍终止（已故）"),
                    _ => ("member.remove", "除名（停止党籍后）"),
                };
                events.Add(new(decided, x.UpdatedAt, kind, title, x.Review, x.DecidedBy, x.Id));
            }
        }
        var capped = suspensions.Count >= PerSourceLimit;
        void AddAll(IReadOnlyCollection<MemberTimelineEvent> rows, int fetched)
        {
            events.AddRange(rows);
            if (fetched >= PerSourceLimit) capped = true;
        }

        var (transfers, tn) = await TransfersAsync(db, memberId, ct);
        AddAll(transfers, tn);
        var (care, cn) = await CareAsync(db, memberId, ct);
        AddAll(care, cn);
        var (appraisals, an) = await AppraisalsAsync(db, memberId, ct);
        AddAll(appraisals, an);
        var (dues, dn) = await DuesAsync(db, memberId, ct);
        AddAll(dues, dn);
        events.AddRange(await AttendanceAsync(db, memberId, clock.Today(), ct));
        var (development, vn) = await DevelopmentAsync(db, memberId, ct);
        AddAll(development, vn);

        var ordered = events.OrderByDescending(e => e.Date).ThenByDescending(e => e.At ?? DateTimeOffset.MinValue).ThenBy(e => e.Kind, StringComparer.Ordinal).ToList();
        var items = ordered.Skip((page - 1) * pageSize).Take(pageSize).ToList();
        return new PagedList<MemberTimelineEvent>(items, ordered.Count, page, pageSize, capped);
    }

    private static DateOnly China(DateTimeOffset at) => DateOnly.FromDateTime(at.ToChina().DateTime);

    private static string Yuan(long fen) => (fen / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private static string MonthText(DateOnly m) => m.ToString("yyyy年M月", Zh);

    private static string? Join(params string?[] parts)
    {
        var text = string.Join("；", parts.Where(p => !string.IsNullOrWhiteSpace(p)));
        return text.Length == 0 ? null : text;
    }

    /// <summary>Every step of every transfer of the member that the caller sees (either side in scope).</summary>
    private static async Task<(List<MemberTimelineEvent>, int)> TransfersAsync(JicengDbContext db, Guid memberId, CancellationToken ct)
    {
        var transfers = await db.Transfers.AsNoTracking().Where(t => t.MemberId == memberId).OrderByDescending(t => t.RequestedAt).Take(PerSourceLimit)
            .Select(t => new { t.Id, t.Kind, t.FromOrganizationId, t.ToOrganizationId, t.ExternalOrganization, t.LetterNumber }).ToListAsync(ct);
        if (transfers.Count == 0) return ([], 0);
        var ids = transfers.Select(t => t.Id).ToList();
        var orgIds = transfers.SelectMany(t => new[] { t.FromOrganizationId, t.ToOrganizationId }).OfType<Guid>().Distinct().ToList();
        // Names only, as the transfer pages show them: the other side is often outside the caller's scope.
        var names = await db.Organizations.IgnoreQueryFilters().AsNoTracking().Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var steps = await db.TransferSteps.AsNoTracking().Where(s => ids.Contains(s.TransferId)).OrderByDescending(s => s.At).Take(PerSourceLimit).ToListAsync(ct);
        var byId = transfers.ToDictionary(t => t.Id);
        string Side(Guid? org, string? external) => org is { } o && names.TryGetValue(o, out var n) ? n : external ?? "系统外党组织";
        var rows = steps.Select(s =>
        {
            var t = byId[s.TransferId];
            var route = $"{Side(t.FromOrganizationId, t.ExternalOrganization)} → {Side(t.ToOrganizationId, t.ExternalOrganization)}";
            return new MemberTimelineEvent(China(s.At), s.At, "transfer.step", $"组织关系转接：{TransferRules.StepName(s.Action)}",
                Join($"{t.Kind.ToChinese()} {route}", t.LetterNumber is null ? null : $"介绍信 {t.LetterNumber}", s.Note), s.ByUser, t.Id);
        }).ToList();
        return (rows, Math.Max(transfers.Count, steps.Count));
    }

    /// <summary>流动党员 registrations, 双报到 and the service records with the community.</summary>
    private static async Task<(List<MemberTimelineEvent>, int)> CareAsync(JicengDbContext db, Guid memberId, CancellationToken ct)
    {
        var rows = new List<MemberTimelineEvent>();
        var mobiles = await db.MobileRegistrations.AsNoTracking().Where(r => r.MemberId == memberId).OrderByDescending(r => r.Since).Take(PerSourceLimit)
            .Select(r => new { r.Id, r.Location, r.Since, r.ContactPerson, r.ExpectedReturn, r.LastContactOn, r.EndedOn, r.CreatedAt }).ToListAsync(ct);
        foreach (var r in mobiles)
        {
            rows.Add(new(r.Since, r.CreatedAt, "mobile.start", $"外出流动：{r.Location}",
                Join($"联系人 {r.ContactPerson}", r.ExpectedReturn is { } back ? $"预计{back:yyyy年M月d日}返回" : null, $"最近联系 {r.LastContactOn:yyyy-MM-dd}"), null, r.Id));
            if (r.EndedOn is { } ended) rows.Add(new(ended, null, "mobile.end", "结束流动", r.Location, null, r.Id));
        }
        var duals = await db.DualRegistrations.AsNoTracking().Where(r => r.MemberId == memberId).OrderByDescending(r => r.RegisteredOn).Take(PerSourceLimit)
            .Select(r => new { r.Id, Community = r.Organization!.Name, r.RegisteredOn, r.ServiceIntent, r.EndedOn, r.CreatedAt }).ToListAsync(ct);
        foreach (var r in duals)
        {
            rows.Add(new(r.RegisteredOn, r.CreatedAt, "dual.start", $"到居住社区报到（双报到）：{r.Community}", r.ServiceIntent, null, r.Id));
            if (r.EndedOn is { } ended) rows.Add(new(ended, null, "dual.end", $"结束双报到：{r.Community}", null, null, r.Id));
        }
        var services = await db.ServiceRecords.AsNoTracking().Where(s => s.MemberId == memberId).OrderByDescending(s => s.Date).Take(PerSourceLimit)
            .Select(s => new { s.Id, Community = s.Organization!.Name, s.Date, s.Content, s.ConfirmedBy, s.CreatedAt }).ToListAsync(ct);
        rows.AddRange(services.Select(s => new MemberTimelineEvent(s.Date, s.CreatedAt, "dual.service", $"社区服务：{s.Community}", s.Content, s.ConfirmedBy, s.Id)));
        return (rows, new[] { mobiles.Count, duals.Count, services.Count }.Max());
    }

    /// <summary>Grades of submitted 民主评议 rounds and the decision closing a 不合格 follow-up.</summary>
    private static async Task<(List<MemberTimelineEvent>, int)> AppraisalsAsync(JicengDbContext db, Guid memberId, CancellationToken ct)
    {
        var grades = await db.AppraisalEntries.AsNoTracking()
            .Where(e => e.MemberId == memberId && e.Round!.Status == AppraisalStatus.Submitted && e.Grade != null)
            .OrderByDescending(e => e.Round!.Year).Take(PerSourceLimit)
            .Select(e => new { e.RoundId, e.Round!.Year, e.Round.SubmittedAt, e.Round.SubmittedBy, e.Grade, e.Reason, Org = e.Round.Organization!.Name }).ToListAsync(ct);
        var rows = grades.Select(g => new MemberTimelineEvent(g.SubmittedAt is { } at ? China(at) : new DateOnly(g.Year, 12, 31), g.SubmittedAt, "appraisal.grade",
            $"{g.Year}年度民主评议：{g.Grade!.Value.ToChinese()}", Join(g.Org, g.Grade == AppraisalGrade.Unqualified ? $"理由：{g.Reason}" : null),
            g.SubmittedBy, g.RoundId)).ToList();
        var closed = await db.AppraisalFollowUps.AsNoTracking().Where(f => f.MemberId == memberId && f.Status == FollowUpStatus.Closed)
            .OrderByDescending(f => f.ClosedAt).Take(PerSourceLimit)
            .Select(f => new { f.Id, f.OutcomeKind, f.Outcome, f.DecidedOn, f.DecidedBy, f.ApprovedBy, f.Note, f.ClosedBy, f.ClosedAt }).ToListAsync(ct);
        foreach (var f in closed)
        {
            var leaves = f.OutcomeKind is { } o && FollowUpRules.StatusAfter(o) is not null;
            rows.Add(new(f.DecidedOn ?? China(f.ClosedAt!.Value), f.ClosedAt, leaves ? "member.left" : "appraisal.follow-up",
                $"不合格党员处置：{f.Outcome}{(leaves ? "（出党）" : "")}",
                Join(f.DecidedBy is null ? null : $"{f.DecidedBy}决定", f.ApprovedBy is null ? null : $"{f.ApprovedBy}批准", f.Note), f.ClosedBy, f.Id));
        }
        return (rows, Math.Max(grades.Count, closed.Count));
    }

    /// <summary>Dues bases (each change), approved reductions and their revocation, payments and refunds.</summary>
    private static async Task<(List<MemberTimelineEvent>, int)> DuesAsync(JicengDbContext db, Guid memberId, CancellationToken ct)
    {
        var rows = new List<MemberTimelineEvent>();
        var bases = await db.DuesBases.AsNoTracking().Where(b => b.MemberId == memberId).OrderByDescending(b => b.CreatedAt).Take(PerSourceLimit).ToListAsync(ct);
        rows.AddRange(bases.Select(b => b.Ended
            ? new MemberTimelineEvent(China(b.CreatedAt), b.CreatedAt, "dues.base.end", "停止计收党费（离开党员名册）", $"自{MonthText(b.EffectiveMonth)}起", b.RecordedBy, b.Id)
            : new MemberTimelineEvent(China(b.CreatedAt), b.CreatedAt, "dues.base",
            $"党费基数：{b.Category.ToChinese()}，每月{Yuan(b.MonthlyAmountFen)}元",
            Join($"自{MonthText(b.EffectiveMonth)}起", b.MonthlyBaseFen is { } fen ? $"基数{Yuan(fen)}元" : null,
                b.OpeningPaidThrough is { } open ? $"原党费交至{MonthText(open)}" : null), b.RecordedBy, b.Id)));
        var adjustments = await db.DuesAdjustments.AsNoTracking().Where(a => a.MemberId == memberId).OrderByDescending(a => a.CreatedAt).Take(PerSourceLimit).ToListAsync(ct);
        foreach (var a in adjustments)
        {
            var what = a.Kind == DuesAdjustmentKind.Waived ? "免交党费" : $"减交党费，每月{Yuan(a.MonthlyAmountFen)}元";
            rows.Add(new(a.ApprovedOn, a.CreatedAt, "dues.adjustment", what,
                Join($"{MonthText(a.FromMonth)}至{(a.ToMonth is { } to ? MonthText(to) : "长期")}", $"{a.ApprovedBy}批准", a.Reason), a.RecordedBy, a.Id));
            if (a.RevokedAt is { } revokedAt)
                rows.Add(new(China(revokedAt), revokedAt, "dues.adjustment.revoke", $"撤销{(a.Kind == DuesAdjustmentKind.Waived ? "免交" : "减交")}",
                    Join(a.RevokedFromMonth is { } from ? $"自{MonthText(from)}起恢复按规定交纳" : null, a.RevokeReason), a.RevokedBy, a.Id));
        }
        var payments = await db.DuesPayments.AsNoTracking()
            .Where(p => p.MemberId == memberId && (p.Status == DuesPaymentStatus.Paid || p.Status == DuesPaymentStatus.Refunded) && p.PaidAt != null)
            .OrderByDescending(p => p.PaidAt).Take(PerSourceLimit).ToListAsync(ct);
        rows.AddRange(payments.Select(p =>
        {
            var months = p.FromMonth is { } f && p.MonthCount > 0
                ? p.MonthCount == 1 ? MonthText(f) : $"{MonthText(f)}至{MonthText(f.AddMonths(p.MonthCount - 1))}" : "自愿多交";
            return new MemberTimelineEvent(China(p.PaidAt!.Value), p.PaidAt, "dues.payment", $"交纳党费：{months}",
                Join($"{(p.Method == DuesPaymentMethod.Online ? "在线支付" : "现金")} {Yuan(p.TotalFen)}元", p.VoluntaryFen > 0 ? $"含自愿多交{Yuan(p.VoluntaryFen)}元" : null),
                p.RecordedBy, p.Id);
        }));
        var refunds = await db.DuesRefunds.AsNoTracking().Where(r => r.MemberId == memberId).OrderByDescending(r => r.RefundedAt).Take(PerSourceLimit).ToListAsync(ct);
        rows.AddRange(refunds.Select(r => new MemberTimelineEvent(China(r.RefundedAt), r.RefundedAt, "dues.refund",
            $"退还党费：{(r.MonthCount == 0 ? "自愿多交部分" : r.MonthCount == 1 ? MonthText(r.FromMonth) : $"{MonthText(r.FromMonth)}起{r.MonthCount}个月")}",
            Join($"{Yuan(r.TotalFen)}元", $"{r.ApprovedBy}批准", r.Reason), null, r.PaymentId)));
        return (rows, new[] { bases.Count, adjustments.Count, payments.Count, refunds.Count }.Max());
    }

    /// <summary>Organizational life as one summary per year (present, excused, absent), dated the year's last day (or today).</summary>
    private static async Task<List<MemberTimelineEvent>> AttendanceAsync(JicengDbContext db, Guid memberId, DateOnly today, CancellationToken ct)
    {
        // A member attends some tens of activities a year, so the rows are few; counted per year here.
        var rows = await db.ActivityAttendance.AsNoTracking().Where(a => a.MemberId == memberId).Select(a => new { a.Date, a.Status }).ToListAsync(ct);
        return rows.GroupBy(a => a.Date.Year).Select(g =>
        {
            int Count(AttendanceStatus s) => g.Count(a => a.Status == s);
            var end = new DateOnly(g.Key, 12, 31);
            return new MemberTimelineEvent(end < today ? end : today, null, "life.year",
                $"{g.Key}年组织生活：参加{Count(AttendanceStatus.Present)}次，请假{Count(AttendanceStatus.Excused)}次，缺席{Count(AttendanceStatus.Absent)}次",
                $"最近一次 {g.Max(a => a.Date):yyyy-MM-dd}", null, null);
        }).ToList();
    }

    /// <summary>The development record's steps (入党申请 to 转正), when the member came through the development procedure here.</summary>
    private static async Task<(List<MemberTimelineEvent>, int)> DevelopmentAsync(JicengDbContext db, Guid memberId, CancellationToken ct)
    {
        var records = await db.DevelopmentRecords.AsNoTracking().Where(r => r.MemberId == memberId).Select(r => r.Id).ToListAsync(ct);
        if (records.Count == 0) return ([], 0);
        var steps = await db.DevelopmentSteps.AsNoTracking().Where(s => records.Contains(s.RecordId)).OrderByDescending(s => s.OccurredOn).Take(PerSourceLimit)
            .ToListAsync(ct);
        var rows = steps.Select(s => new MemberTimelineEvent(s.OccurredOn, s.RecordedAt, "development.step",
            $"发展党员：{DevelopmentProcedure.Info(s.Kind).Name}{(s.Decision is { } d ? $"（{d.DecisionName(s.Kind)}）" : "")}",
            Join(s.Actor, s.Note), s.RecordedBy, s.RecordId)).ToList();
        return (rows, steps.Count);
    }
}
