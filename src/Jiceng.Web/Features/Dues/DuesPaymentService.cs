using Jiceng.Data;
using Jiceng.Domain.Dues;
using Jiceng.Web.Features.MemberCare;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Dues;

/// <summary>The answer to a provider callback: the payment, and whether this callback was a repeat.</summary>
public sealed record CallbackResult(Guid PaymentId, DuesPaymentStatus Status, bool AlreadyRecorded);

/// <summary>
/// Dues payments. A payment covers the next months after 党费交至 (the server decides which and how much, from the
/// rule); cash is recorded at once, an online payment becomes a provider order that is recorded when the
/// provider's callback arrives. Which months come next is decided under a named lock, and (MemberId, Month) is
/// unique, so neither a double click nor a repeated callback can pay a month twice.
/// </summary>
public sealed class DuesPaymentService(ScopedDbFactory dbs, CurrentUser user, TimeProvider clock, IEnumerable<IPaymentProvider> providers,
    ILogger<DuesPaymentService> logger)
{
    public const int MaxMonths = 12;
    /// <summary>An online order not paid within this time no longer blocks another payment.</summary>
    public static readonly TimeSpan OrderLifetime = TimeSpan.FromMinutes(30);

    public static bool IsOpen(DuesPayment p, DateTimeOffset now) => p.Status == DuesPaymentStatus.Pending && p.CreatedAt + OrderLifetime > now;

    internal static DuesPaymentView ToView(DuesPayment p, string memberName, string? payUrl = null) =>
        new(p.Id, p.MemberId, memberName, p.Method, p.Method.ToChinese(), p.Status, p.Status.ToChinese(),
            p.FromMonth is { } f ? DuesMonth.Format(f) : null, p.FromMonth is { } f2 && p.MonthCount > 0 ? DuesMonth.Format(f2.AddMonths(p.MonthCount - 1)) : null,
            p.MonthCount, DuesRule.FromFen(p.DuesFen), DuesRule.FromFen(p.VoluntaryFen), DuesRule.FromFen(p.TotalFen), p.PaidAt, p.RecordedBy, payUrl,
            p.RefundedMonthCount, DuesRule.FromFen(p.RefundedFen));

    internal static DuesRefundView ToView(DuesRefund r) =>
        new(r.Id, r.PaymentId, DuesMonth.Format(r.FromMonth), DuesMonth.Format(r.FromMonth.AddMonths(r.MonthCount - 1)), r.MonthCount,
            DuesRule.FromFen(r.DuesFen), DuesRule.FromFen(r.VoluntaryFen), DuesRule.FromFen(r.TotalFen), r.Method, r.Method.ToChinese(), r.RefundNo,
            r.ProviderRefundId, r.Reason, r.ApprovedBy, r.RefundedAt, r.RecordedBy);

    /// <summary>Staff record a payment for a member of their scope (cash), or start an online order for them.</summary>
    public async Task<Outcome<DuesPaymentView>> RecordAsync(DuesPaymentInput input, CancellationToken ct = default)
    {
        var e = Check(input, requireMember: true);
        if (e.Any) return e;
        await using var db = await dbs.CreateAsync(ct);
        // Out of scope reads as missing: 404, ids cannot be probed.
        if (!await db.Members.AsNoTracking().AnyAsync(m => m.Id == input.MemberId, ct)) return Outcome<DuesPaymentView>.Missing;
        return await CreateAsync(db, input.MemberId!.Value, input, await user.StaffNameAsync(), ct);
    }

    /// <summary>The signed-in party member starts an online payment of their own dues.</summary>
    public async Task<Outcome<DuesPaymentView>> StartOwnOnlineAsync(int months, decimal? voluntary = null, CancellationToken ct = default)
    {
        if (await user.OwnMemberIdAsync(ct) is not { } memberId) return Outcome<DuesPaymentView>.Missing;
        var input = new DuesPaymentInput { MemberId = memberId, Months = months, Method = DuesPaymentMethod.Online, VoluntaryAmount = voluntary };
        var e = Check(input, requireMember: true);
        if (e.Any) return e;
        // Unrestricted, keyed on the member id read from the signed-in account (as self-service is); the
        // payment belongs to the member's own organization, which the account need not hold as a scope.
        await using var db = await dbs.CreateUnrestrictedAsync(ct);
        db.Actor = await user.GetActorAsync();
        return await CreateAsync(db, memberId, input, await user.StaffNameAsync(), ct);
    }

    private static FieldErrors Check(DuesPaymentInput input, bool requireMember)
    {
        var e = new FieldErrors();
        if (requireMember && input.MemberId is null) e.Add("memberId", "请选择党员");
        if (input.Months is not { } months) e.Add("months", "请选择交纳月数");
        else if (months is < 1 or > MaxMonths) e.Add("months", $"一次可交纳1到{MaxMonths}个月（按月交纳，经支部同意可按季度交纳）");
        if (input.Method is not { } method || !Enum.IsDefined(method)) e.Add("method", "请选择交纳方式（现金或在线支付）");
        if (input.VoluntaryAmount is { } v && (v < 0 || v != Math.Round(v, 2) || v > 1_000_000m))
            e.Add("voluntaryAmount", "自愿多交金额须为0到1000000元之间，最多保留两位小数");
        return e;
    }

    private async Task<Outcome<DuesPaymentView>> CreateAsync(JicengDbContext db, Guid memberId, DuesPaymentInput input, string recordedBy, CancellationToken ct)
    {
        var today = clock.Today();
        var now = clock.GetUtcNow();
        var e = new FieldErrors();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.LockAsync(JicengDbContext.TransactionLock.DuesPayment, ct);
        var loaded = await DuesData.LoadAsync(db, db.Members.Where(m => m.Id == memberId), today, ct);
        if (loaded.Count == 0) return Outcome<DuesPaymentView>.Missing;
        var m = loaded[0];
        if (!DuesObligation.Owes(m.Facts.Status)) return e.Add("memberId", "该党员当前状态不需交纳党费");
        if (m.Facts.Bases.Count == 0) return e.Add("memberId", "该党员尚未填写党费基数，请先在党员信息中填写");
        var open = await db.DuesPayments.Where(p => p.MemberId == memberId && p.Status == DuesPaymentStatus.Pending).ToListAsync(ct);
        if (open.Any(p => IsOpen(p, now)))
            return e.Add("memberId", $"该党员有一笔在线缴费尚未完成，请完成支付或{(int)OrderLifetime.TotalMinutes}分钟后订单失效再交");
        foreach (var stale in open)
        {
            stale.Status = DuesPaymentStatus.Cancelled;
            db.AuditAs(stale, "dues.payment.expire");
        }
        var months = DuesObligation.NextMonths(m.Facts, input.Months!.Value);
        var lastAllowed = DuesMonth.Of(today).AddMonths(MaxMonths);
        if (months[^1].Month > lastAllowed) return e.Add("months", $"最多预交到{lastAllowed:yyyy年M月}");
        var duesFen = months.Sum(x => x.AmountFen);
        var voluntaryFen = DuesRule.ToFen(input.VoluntaryAmount ?? 0);
        var online = input.Method == DuesPaymentMethod.Online;
        if (online && duesFen + voluntaryFen == 0) return e.Add("months", "应交金额为0（免交月份），无需在线支付");
        var payment = new DuesPayment
        {
            Id = Guid.CreateVersion7(now), MemberId = memberId, OrganizationId = m.OrganizationId, MemberOrganizationId = m.OrganizationId, Method = input.Method!.Value,
            Status = online ? DuesPaymentStatus.Pending : DuesPaymentStatus.Paid, FromMonth = months[0].Month, MonthCount = months.Count,
            DuesFen = duesFen, VoluntaryFen = voluntaryFen, TotalFen = duesFen + voluntaryFen,
            MonthAmountsFen = string.Join(",", months.Select(x => x.AmountFen)), RecordedBy = recordedBy, CreatedAt = now,
        };
        string? payUrl = null;
        if (online)
        {
            var provider = providers.FirstOrDefault() ?? throw new InvalidOperationException("No payment provider is configured");
            var order = await provider.CreateOrderAsync(new PaymentOrderRequest(payment.Id, payment.TotalFen,
                $"党费 {DuesMonth.Format(months[0].Month)}至{DuesMonth.Format(months[^1].Month)}"), ct);
            (payment.Provider, payment.ProviderOrderId, payUrl) = (provider.Name, order.ProviderOrderId, order.PayUrl);
            db.DuesPayments.Add(payment);
            db.AuditAs(payment, "dues.payment.order");
        }
        else
        {
            payment.PaidAt = now;
            payment.PaidMonth = DuesMonth.Of(today);
            db.DuesPayments.Add(payment);
            AddMonths(db, payment, months);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ToView(payment, m.Name, payUrl);
    }

    private static void AddMonths(JicengDbContext db, DuesPayment payment, IReadOnlyList<(DateOnly Month, long AmountFen)> months)
    {
        foreach (var (month, fen) in months)
            db.DuesPaymentMonths.Add(new DuesPaymentMonth
            {
                Id = Guid.CreateVersion7(payment.CreatedAt), PaymentId = payment.Id, MemberId = payment.MemberId, OrganizationId = payment.OrganizationId,
                MemberOrganizationId = payment.MemberOrganizationId,
                Month = month, AmountFen = fen,
            });
    }

    /// <summary>
    /// A provider's notice that an order was paid. Verified by the provider's signature; recorded at most once: a
    /// repeated callback finds the payment already paid and changes nothing.
    /// </summary>
    public async Task<Outcome<CallbackResult>> HandleCallbackAsync(string providerName, PaymentCallback callback, CancellationToken ct = default)
    {
        var provider = providers.FirstOrDefault(p => p.Name == providerName);
        if (provider is null) return Outcome<CallbackResult>.Missing;
        var e = new FieldErrors();
        if (string.IsNullOrEmpty(callback.OrderId) || !provider.Verify(callback)) return e.Add("signature", "支付结果通知的签名无效");
        await using var db = await dbs.CreateUnrestrictedAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.LockAsync(JicengDbContext.TransactionLock.DuesPayment, ct);
        var payment = await db.DuesPayments.FirstOrDefaultAsync(p => p.Provider == providerName && p.ProviderOrderId == callback.OrderId, ct);
        if (payment is null) return Outcome<CallbackResult>.Missing;
        if (payment.Status == DuesPaymentStatus.Paid) return new CallbackResult(payment.Id, payment.Status, true);
        if (callback.Status != PaymentCallback.Success) return new CallbackResult(payment.Id, payment.Status, false);
        if (callback.AmountFen != payment.TotalFen) return e.Add("amountFen", "支付金额与订单金额不一致");
        var amounts = payment.MonthAmountsFen.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToList();
        var months = amounts.Select((fen, i) => (payment.FromMonth!.Value.AddMonths(i), fen)).ToList();
        var monthList = months.Select(x => x.Item1).ToList();
        if (payment.Status == DuesPaymentStatus.Cancelled
            && await db.DuesPaymentMonths.AnyAsync(p => p.MemberId == payment.MemberId && monthList.Contains(p.Month), ct))
        {
            // The order had expired and those months were paid another way: the money must be returned by hand.
            logger.LogWarning("Paid callback for expired dues order {Order}: months already paid, refund needed", callback.OrderId);
            db.Audit("dues.payment.refund-needed", nameof(DuesPayment), payment.Id.ToString(), payment.OrganizationId, details: new { callback.OrderId, callback.AmountFen });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return new CallbackResult(payment.Id, payment.Status, false);
        }
        payment.Status = DuesPaymentStatus.Paid;
        payment.PaidAt = callback.PaidAt;
        payment.PaidMonth = DuesMonth.Of(DateOnly.FromDateTime(callback.PaidAt.ToChina().DateTime));
        db.AuditAs(payment, "dues.payment.paid");
        AddMonths(db, payment, months);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new CallbackResult(payment.Id, payment.Status, false);
    }

    /// <summary>
    /// 退还: returns a recorded payment in full or its last months (<see cref="DuesRefundRule"/>), with the reason and who
    /// approved it. The refunded months stop counting as paid (党费交至 and the ledgers follow from the records); an online
    /// payment is refunded through its provider under a refund number derived from the payment and the months, so a retry
    /// never refunds twice, and a refund the provider refuses records nothing. Under the payment lock, in one transaction.
    /// </summary>
    public async Task<Outcome<MemberDuesView>> RefundAsync(Guid paymentId, DuesRefundInput input, CancellationToken ct = default)
    {
        var e = new FieldErrors()
            .Required("reason", input.Reason, "退还原因").MaxLength("reason", input.Reason?.Trim(), 200, "退还原因")
            .Required("approvedBy", input.ApprovedBy, "批准人").MaxLength("approvedBy", input.ApprovedBy?.Trim(), 100, "批准人");
        if (input.Months is { } requested && (requested < 1 || requested > MaxMonths)) e.Add("months", $"退还月数须在1到{MaxMonths}之间");
        await using var db = await dbs.CreateAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.LockAsync(JicengDbContext.TransactionLock.DuesPayment, ct);
        // Out of scope reads as missing: 404.
        var payment = await db.DuesPayments.FirstOrDefaultAsync(p => p.Id == paymentId, ct);
        if (payment is null) return Outcome<MemberDuesView>.Missing;
        if (e.Any) return e;
        var amounts = payment.MonthAmountsFen.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToList();
        var lastPaid = await db.DuesPaymentMonths.IgnoreQueryFilters().Where(m => m.MemberId == payment.MemberId).MaxAsync(m => (DateOnly?)m.Month, ct);
        var (plan, error) = DuesRefundRule.Plan(payment.Status, payment.FromMonth ?? default, amounts, payment.RefundedMonthCount, payment.VoluntaryFen, input.Months, lastPaid);
        if (plan is null) return e.Add("months", error!);
        var now = clock.GetUtcNow();
        var refund = new DuesRefund
        {
            Id = Guid.CreateVersion7(now), PaymentId = payment.Id, MemberId = payment.MemberId, OrganizationId = payment.OrganizationId,
            FromMonth = plan.FromMonth, MonthCount = plan.MonthAmountsFen.Count, MonthAmountsFen = string.Join(",", plan.MonthAmountsFen),
            DuesFen = plan.DuesFen, VoluntaryFen = plan.VoluntaryFen, TotalFen = plan.TotalFen, Method = payment.Method,
            RefundNo = $"R{payment.Id:N}{plan.FromMonth:yyyyMM}{plan.MonthAmountsFen.Count:D2}",
            Reason = input.Reason!.Trim(), ApprovedBy = input.ApprovedBy!.Trim(), RefundedAt = now, RefundedMonth = DuesMonth.Of(clock.Today()),
            RecordedBy = await user.StaffNameAsync(),
        };
        if (payment.Method == DuesPaymentMethod.Online && plan.TotalFen > 0)
        {
            var provider = providers.FirstOrDefault(p => p.Name == payment.Provider)
                ?? throw new InvalidOperationException($"Payment provider {payment.Provider} is not configured");
            var answer = await provider.RefundAsync(new PaymentRefundRequest(refund.RefundNo, payment.ProviderOrderId!, plan.TotalFen, payment.TotalFen, refund.Reason), ct);
            if (!answer.Succeeded) return e.Add("months", $"支付机构未能退款：{answer.Error}");
            (refund.Provider, refund.ProviderRefundId) = (provider.Name, answer.ProviderRefundId);
        }
        var months = await db.DuesPaymentMonths.Where(m => m.PaymentId == payment.Id && m.Month >= plan.FromMonth).ToListAsync(ct);
        db.DuesPaymentMonths.RemoveRange(months);
        payment.RefundedMonthCount += plan.MonthAmountsFen.Count;
        payment.RefundedFen += plan.TotalFen;
        if (plan.Full) payment.Status = DuesPaymentStatus.Refunded;
        db.AuditAs(payment, plan.Full ? "dues.payment.refund" : "dues.payment.refund-partial");
        db.DuesRefunds.Add(refund);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await DuesService.BuildAsync(db, payment.MemberId, clock.Today(), now, ct))!;
    }

    /// <summary>A payment as its member's staff (or the member) may see it.</summary>
    public async Task<DuesPaymentView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var p = await db.DuesPayments.AsNoTracking().Include(x => x.Member).FirstOrDefaultAsync(x => x.Id == id, ct);
        return p is null ? null : ToView(p, p.Member!.Name);
    }

    /// <summary>An open online order of the signed-in member (for the fake provider's pay page).</summary>
    public async Task<DuesPaymentView?> OwnOrderAsync(string orderId, CancellationToken ct = default)
    {
        if (await user.OwnMemberIdAsync(ct) is not { } memberId) return null;
        await using var db = await dbs.CreateUnrestrictedAsync(ct);
        var p = await db.DuesPayments.AsNoTracking().Include(x => x.Member).FirstOrDefaultAsync(x => x.ProviderOrderId == orderId && x.MemberId == memberId, ct);
        return p is null ? null : ToView(p, p.Member!.Name);
    }
}
