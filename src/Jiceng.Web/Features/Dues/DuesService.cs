using Jiceng.Data;
using Jiceng.Domain.Dues;
using Jiceng.Domain.Identity;
using Jiceng.Domain.Members;
using Jiceng.Domain.Settings;
using Jiceng.Domain.Transfers;
using Jiceng.Web.Features.MemberCare;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Features.Settings;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Dues;

/// <summary>
/// Dues bases (with history), approved reductions and waivers, and a member's dues as the member record and the
/// member's own page show them. The monthly amount always comes from <see cref="DuesRule"/>; nobody types it.
/// </summary>
public sealed class DuesService(ScopedDbFactory dbs, CurrentUser user, TimeProvider clock)
{
    public const string MemberNotFound = "党员不存在或不在您的管理范围内";

    /// <summary>The farmer amount setting in 元.</summary>
    internal static async Task<decimal> FarmerAmountAsync(JicengDbContext db, CancellationToken ct) =>
        DuesRule.FromFen((await SettingsService.LoadAsync(db, ct)).Get(SettingDefinitions.DuesFarmerMonthlyFen));

    public async Task<Outcome<DuesQuoteView>> QuoteAsync(string? category, decimal? monthlyBase, CancellationToken ct = default)
    {
        var e = new FieldErrors();
        var c = DuesRule.ParseCategory(category);
        if (c is null) e.Add("category", "党费类别应为 employed（在职）、retired（离退休）、student（学生）、unemployed（下岗失业）、farmer（农民）或 relief（依靠抚恤救济或低保）");
        else if (DuesRule.CheckBase(c.Value, monthlyBase) is { } be) e.Add("base", be);
        if (e.Any) return e;
        await using var db = await dbs.CreateAsync(ct);
        var q = DuesRule.Quote(c!.Value, DuesRule.UsesBase(c.Value) ? monthlyBase : null, await FarmerAmountAsync(db, ct));
        return new DuesQuoteView(q.MonthlyAmount, q.Rate, q.Rule);
    }

    public async Task<MemberDuesView?> ForMemberAsync(Guid memberId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        return await BuildAsync(db, memberId, clock.Today(), clock.GetUtcNow(), ct);
    }

    /// <summary>The signed-in party member's own dues (keyed on the account's member id, as self-service is).</summary>
    public async Task<MemberDuesView?> MineAsync(CancellationToken ct = default)
    {
        if (await user.OwnMemberIdAsync(ct) is not { } memberId) return null;
        await using var db = await dbs.CreateUnrestrictedAsync(ct);
        return await BuildAsync(db, memberId, clock.Today(), clock.GetUtcNow(), ct);
    }

    internal static async Task<MemberDuesView?> BuildAsync(JicengDbContext db, Guid memberId, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        var loaded = await DuesData.LoadAsync(db, db.Members.Where(m => m.Id == memberId), today, ct);
        if (loaded.Count == 0) return null;
        var m = loaded[0];
        var bases = await db.DuesBases.AsNoTracking().Where(b => b.MemberId == memberId).OrderByDescending(b => b.EffectiveMonth).ThenByDescending(b => b.CreatedAt).ToListAsync(ct);
        var adjustments = await db.DuesAdjustments.AsNoTracking().Where(a => a.MemberId == memberId).OrderByDescending(a => a.FromMonth).ToListAsync(ct);
        var payments = await db.DuesPayments.AsNoTracking().Where(p => p.MemberId == memberId).OrderByDescending(p => p.CreatedAt).Take(24).ToListAsync(ct);
        var thisMonth = DuesMonth.Of(today);
        var current = bases.Where(b => b.EffectiveMonth <= thisMonth).FirstOrDefault() ?? bases.LastOrDefault();
        var next = DuesObligation.NextMonthToPay(m.Facts);
        var pending = payments.FirstOrDefault(p => DuesPaymentService.IsOpen(p, now));
        var refunds = await db.DuesRefunds.AsNoTracking().Where(r => r.MemberId == memberId).OrderByDescending(r => r.RefundedAt).Take(24).ToListAsync(ct);
        return new MemberDuesView(m.MemberId, m.Name, m.OrganizationId, m.OrganizationName,
            current is null ? null : ToView(current),
            DuesObligation.DueIn(m.Facts, thisMonth) is { } due ? DuesRule.FromFen(due) : null,
            m.Facts.PaidThrough is { } pt ? DuesMonth.Format(pt) : null,
            next is { } n ? DuesMonth.Format(n) : null,
            DuesObligation.MonthsInArrears(m.Facts, today), DuesRule.FromFen(DuesObligation.ArrearsFen(m.Facts, today)),
            DuesObligation.NextMonths(m.Facts, 3).Select(x => new DuesMonthAmount(DuesMonth.Format(x.Month), DuesRule.FromFen(x.AmountFen))).ToList(),
            bases.Select(ToView).ToList(), adjustments.Select(ToView).ToList(),
            payments.Select(p => DuesPaymentService.ToView(p, m.Name)).ToList(),
            pending is null ? null : DuesPaymentService.ToView(pending, m.Name), refunds.Select(DuesPaymentService.ToView).ToList());
    }

    internal static DuesBaseView ToView(DuesBase b) =>
        new(b.Id, b.Category, b.Category.ToChinese(), b.MonthlyBaseFen is { } mb ? DuesRule.FromFen(mb) : null, DuesRule.FromFen(b.MonthlyAmountFen),
            b.RateBasisPoints is { } r ? r / 10000m : null, DuesMonth.Format(b.EffectiveMonth), b.OpeningPaidThrough is { } o ? DuesMonth.Format(o) : null,
            b.Rule, b.RecordedBy, b.CreatedAt, b.Ended);

    internal static DuesAdjustmentView ToView(DuesAdjustment a) =>
        new(a.Id, a.Kind, a.Kind.ToChinese(), DuesRule.FromFen(a.MonthlyAmountFen), DuesMonth.Format(a.FromMonth), a.ToMonth is { } t ? DuesMonth.Format(t) : null,
            a.Reason, a.ApprovedBy, a.ApprovedOn, a.RecordedBy, a.RevokedFromMonth is { } rf ? DuesMonth.Format(rf) : null, a.RevokeReason, a.RevokedBy);

    /// <summary>Records a member's dues base from a month on (a new row: the history stays).</summary>
    public async Task<Outcome<MemberDuesView>> SetBaseAsync(Guid memberId, DuesBaseInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var member = await db.Members.AsNoTracking().Where(m => m.Id == memberId).Select(m => new { m.Id, m.OrganizationId, m.Status }).FirstOrDefaultAsync(ct);
        if (member is null) return Outcome<MemberDuesView>.Missing;
        var today = clock.Today();
        var thisMonth = DuesMonth.Of(today);
        var e = new FieldErrors();
        if (input.Category is not { } category || !Enum.IsDefined(category)) e.Add("category", "请选择党费类别");
        else if (DuesRule.CheckBase(category, input.MonthlyBase) is { } be) e.Add("monthlyBase", be);
        var effective = DuesMonth.Parse(input.EffectiveMonth);
        if (string.IsNullOrWhiteSpace(input.EffectiveMonth)) e.Add("effectiveMonth", "请填写起算月份");
        else if (effective is null) e.Add("effectiveMonth", "起算月份格式应为“2026-05”");
        else if (effective > thisMonth.AddMonths(3)) e.Add("effectiveMonth", "起算月份不能晚于3个月之后");
        else if (effective.Value.Year < 2000) e.Add("effectiveMonth", "起算月份无效");
        if (!PartyMembership.IsCurrent(member.Status)) e.Add("memberId", "该党员当前状态不需交纳党费");
        DateOnly? opening = null;
        if (!string.IsNullOrWhiteSpace(input.OpeningPaidThrough))
        {
            opening = DuesMonth.Parse(input.OpeningPaidThrough);
            if (opening is null) e.Add("openingPaidThrough", "党费交至年月格式应为“2026-05”");
            else if (TransferRules.CheckPaidThrough(opening.Value, today) is { } pe) e.Add("openingPaidThrough", pe);
            else if (await db.DuesBases.AnyAsync(b => b.MemberId == memberId, ct) || await db.DuesPaymentMonths.AnyAsync(p => p.MemberId == memberId, ct))
                e.Add("openingPaidThrough", "已有党费记录：党费交至由交纳记录得出，不能再填写");
        }
        if (e.Any) return e;
        var usesBase = DuesRule.UsesBase(input.Category!.Value);
        var quote = DuesRule.Quote(input.Category.Value, usesBase ? input.MonthlyBase : null, await FarmerAmountAsync(db, ct));
        var now = clock.GetUtcNow();
        db.DuesBases.Add(new DuesBase
        {
            Id = Guid.CreateVersion7(now), MemberId = member.Id, OrganizationId = member.OrganizationId, MemberOrganizationId = member.OrganizationId, Category = input.Category.Value,
            MonthlyBaseFen = usesBase ? DuesRule.ToFen(input.MonthlyBase!.Value) : null, MonthlyAmountFen = DuesRule.ToFen(quote.MonthlyAmount),
            RateBasisPoints = quote.Rate is { } r ? (int)(r * 10000m) : null, EffectiveMonth = effective!.Value, OpeningPaidThrough = opening,
            Rule = quote.Rule.Length > 200 ? quote.Rule[..200] : quote.Rule, RecordedBy = await user.StaffNameAsync(), CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        return (await BuildAsync(db, memberId, today, clock.GetUtcNow(), ct))!;
    }

    /// <summary>Records an approved reduction or waiver (支部 and 党委 approval; the approver is recorded).</summary>
    public async Task<Outcome<MemberDuesView>> AddAdjustmentAsync(Guid memberId, DuesAdjustmentInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var member = await db.Members.AsNoTracking().Where(m => m.Id == memberId).Select(m => new { m.Id, m.OrganizationId }).FirstOrDefaultAsync(ct);
        if (member is null) return Outcome<MemberDuesView>.Missing;
        var today = clock.Today();
        var e = new FieldErrors()
            .Required("reason", input.Reason, "减免原因").MaxLength("reason", input.Reason?.Trim(), 200, "减免原因")
            .Required("approvedBy", input.ApprovedBy, "批准的党委").MaxLength("approvedBy", input.ApprovedBy?.Trim(), 100, "批准的党委");
        if (input.Kind is not { } kind || !Enum.IsDefined(kind)) e.Add("kind", "请选择减交或免交");
        var from = DuesMonth.Parse(input.FromMonth);
        if (from is null) e.Add("fromMonth", string.IsNullOrWhiteSpace(input.FromMonth) ? "请填写减免起始月份" : "月份格式应为“2026-05”");
        DateOnly? to = null;
        if (!string.IsNullOrWhiteSpace(input.ToMonth))
        {
            to = DuesMonth.Parse(input.ToMonth);
            if (to is null) e.Add("toMonth", "月份格式应为“2026-05”");
            else if (from is { } f && to < f) e.Add("toMonth", "截止月份不能早于起始月份");
        }
        if (input.ApprovedOn is not { } approvedOn) e.Add("approvedOn", "请填写批准日期");
        else if (approvedOn > today) e.Add("approvedOn", "批准日期不能晚于今天");
        long amountFen = 0;
        if (input.Kind == DuesAdjustmentKind.Reduced)
        {
            if (input.MonthlyAmount is not { } amount) e.Add("monthlyAmount", "请填写减交后的每月金额");
            else if (amount <= 0 || amount != Math.Round(amount, 2)) e.Add("monthlyAmount", "减交后的每月金额须大于0，最多保留两位小数");
            else if (from is { } f2)
            {
                amountFen = DuesRule.ToFen(amount);
                var inEffect = await db.DuesBases.AsNoTracking().Where(b => b.MemberId == memberId && b.EffectiveMonth <= f2)
                    .OrderByDescending(b => b.EffectiveMonth).ThenByDescending(b => b.CreatedAt).Select(b => new { b.MonthlyAmountFen, b.Ended }).FirstOrDefaultAsync(ct);
                var baseFen = inEffect is { Ended: false } ? inEffect.MonthlyAmountFen : (long?)null;
                if (baseFen is null) e.Add("monthlyAmount", "该党员在起始月份尚无党费基数，请先填写党费基数");
                else if (amountFen >= baseFen) e.Add("monthlyAmount", $"减交后的金额应少于按规定应交的{DuesRule.FromFen(baseFen.Value):0.00}元");
            }
        }
        if (e.Any) return e;
        var now = clock.GetUtcNow();
        db.DuesAdjustments.Add(new DuesAdjustment
        {
            Id = Guid.CreateVersion7(now), MemberId = member.Id, OrganizationId = member.OrganizationId, MemberOrganizationId = member.OrganizationId, Kind = input.Kind!.Value, MonthlyAmountFen = amountFen,
            FromMonth = from!.Value, ToMonth = to, Reason = input.Reason!.Trim(), ApprovedBy = input.ApprovedBy!.Trim(), ApprovedOn = input.ApprovedOn!.Value,
            RecordedBy = await user.StaffNameAsync(), CreatedAt = now,
        });
        await db.SaveChangesAsync(ct);
        return (await BuildAsync(db, memberId, today, clock.GetUtcNow(), ct))!;
    }

    /// <summary>
    /// 撤销 an approved reduction or waiver from a month on (<see cref="DuesAdjustmentRevocation"/>): the row stays with the
    /// revocation's month, reason and recorder, and from that month the rule's amount is due again.
    /// </summary>
    public async Task<Outcome<MemberDuesView>> RevokeAdjustmentAsync(Guid memberId, Guid adjustmentId, DuesRevocationInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var adjustment = await db.DuesAdjustments.FirstOrDefaultAsync(a => a.Id == adjustmentId && a.MemberId == memberId, ct);
        if (adjustment is null) return Outcome<MemberDuesView>.Missing;
        var e = new FieldErrors().Required("reason", input.Reason, "撤销原因").MaxLength("reason", input.Reason?.Trim(), 200, "撤销原因");
        var from = DuesMonth.Parse(input.FromMonth);
        if (from is null) e.Add("fromMonth", string.IsNullOrWhiteSpace(input.FromMonth) ? "请填写撤销起始月份" : "月份格式应为“2026-05”");
        else if (DuesAdjustmentRevocation.Check(adjustment.FromMonth, adjustment.ToMonth, adjustment.RevokedFromMonth, from.Value,
                     await DuesPaidThrough.ForMemberAsync(db, memberId, ct)) is { } error)
            e.Add("fromMonth", error);
        if (e.Any) return e;
        var now = clock.GetUtcNow();
        adjustment.RevokedFromMonth = from;
        adjustment.RevokeReason = input.Reason!.Trim();
        adjustment.RevokedBy = await user.StaffNameAsync();
        adjustment.RevokedAt = now;
        db.AuditAs(adjustment, "dues.adjustment.revoke");
        await db.SaveChangesAsync(ct);
        return (await BuildAsync(db, memberId, clock.Today(), now, ct))!;
    }
}

/// <summary>党费交至 of one member from the dues records, for the transfer letter (the same figure, entered once).</summary>
public static class DuesPaidThrough
{
    public static async Task<DateOnly?> ForMemberAsync(JicengDbContext db, Guid memberId, CancellationToken ct)
    {
        var last = await db.DuesPaymentMonths.AsNoTracking().Where(p => p.MemberId == memberId).Select(p => (DateOnly?)p.Month).MaxAsync(ct);
        var bases = await db.DuesBases.AsNoTracking().Where(b => b.MemberId == memberId && b.OpeningPaidThrough != null)
            .Select(b => new DuesBaseFact(b.EffectiveMonth, b.MonthlyAmountFen, b.CreatedAt, b.OpeningPaidThrough)).ToListAsync(ct);
        return DuesObligation.PaidThrough(last, bases);
    }
}
