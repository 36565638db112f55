using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Jiceng.Web.Features.Dues;

/// <summary>What we ask a payment provider for: an order of a fixed amount for one payment.</summary>
public sealed record PaymentOrderRequest(Guid PaymentId, long AmountFen, string Subject);

/// <summary>The provider's order: its id and where the payer goes to pay.</summary>
public sealed record PaymentOrder(string ProviderOrderId, string PayUrl);

/// <summary>The provider's notice that an order was paid (its callback), with the provider's signature.</summary>
public sealed record PaymentCallback(string OrderId, long AmountFen, string Status, DateTimeOffset PaidAt, string Signature)
{
    public const string Success = "SUCCESS";
}

/// <summary>A refund asked of the provider. <paramref name="RefundNo"/> is our out-refund number (退款单号): the provider
/// refunds once per number, so asking again with the same number (a retry after a lost answer) never refunds twice.</summary>
public sealed record PaymentRefundRequest(string RefundNo, string ProviderOrderId, long RefundFen, long OrderTotalFen, string Reason);

/// <summary>The provider's answer to a refund: its refund id, or why it refused.</summary>
public sealed record PaymentRefundResult(bool Succeeded, string? ProviderRefundId, string? Error);

/// <summary>
/// A payment-order interface (统一下单 + 支付结果通知), so that a real provider (a bank or a payment platform)
/// plugs in later. The provider calls back <c>POST /api/v1/dues/callbacks/{provider}</c>; callbacks may be
/// repeated, and <see cref="DuesPaymentService.HandleCallbackAsync"/> records a payment at most once.
/// </summary>
public interface IPaymentProvider
{
    string Name { get; }
    Task<PaymentOrder> CreateOrderAsync(PaymentOrderRequest request, CancellationToken ct);
    /// <summary>True when the callback really comes from the provider (signature check).</summary>
    bool Verify(PaymentCallback callback);
    /// <summary>Refunds part or all of a paid order (申请退款), idempotent on <see cref="PaymentRefundRequest.RefundNo"/>.</summary>
    Task<PaymentRefundResult> RefundAsync(PaymentRefundRequest request, CancellationToken ct);
}

/// <summary>
/// The demo and test provider: orders live in memory, the "pay" page is ours (<c>/dues/fake-pay/{orderId}</c>),
/// and callbacks are signed with HMAC-SHA256 under a key made at start. Registered outside Production only.
/// </summary>
public sealed class FakePaymentProvider : IPaymentProvider
{
    public const string ProviderName = "fake";
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, PaymentOrderRequest> _orders = new();
    private readonly ConcurrentDictionary<string, (string OrderId, long Fen, string RefundId)> _refunds = new();
    private readonly Lock _refundLock = new();

    public string Name => ProviderName;

    public Task<PaymentOrder> CreateOrderAsync(PaymentOrderRequest request, CancellationToken ct)
    {
        var id = "FAKE" + request.PaymentId.ToString("N")[..20].ToUpperInvariant();
        _orders[id] = request;
        return Task.FromResult(new PaymentOrder(id, $"/dues/fake-pay/{id}"));
    }

    public PaymentOrderRequest? Order(string orderId) => _orders.GetValueOrDefault(orderId);

    /// <summary>The callback the provider sends once the payer has paid.</summary>
    public PaymentCallback Callback(string orderId, long amountFen, DateTimeOffset paidAt) =>
        new(orderId, amountFen, PaymentCallback.Success, paidAt, Sign(orderId, amountFen, PaymentCallback.Success, paidAt));

    /// <summary>Refunds once per refund number; the refunds of one order never exceed the order's amount.</summary>
    public Task<PaymentRefundResult> RefundAsync(PaymentRefundRequest r, CancellationToken ct)
    {
        lock (_refundLock)
        {
            if (_refunds.TryGetValue(r.RefundNo, out var done))
                return Task.FromResult(done.OrderId == r.ProviderOrderId && done.Fen == r.RefundFen
                    ? new PaymentRefundResult(true, done.RefundId, null)
                    : new PaymentRefundResult(false, null, "退款单号已用于另一笔退款"));
            var already = _refunds.Values.Where(x => x.OrderId == r.ProviderOrderId).Sum(x => x.Fen);
            if (r.RefundFen <= 0 || already + r.RefundFen > r.OrderTotalFen)
                return Task.FromResult(new PaymentRefundResult(false, null, "退款金额超过订单可退金额"));
            var id = "FAKER" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(r.RefundNo)))[..20];
            _refunds[r.RefundNo] = (r.ProviderOrderId, r.RefundFen, id);
            return Task.FromResult(new PaymentRefundResult(true, id, null));
        }
    }

    /// <summary>The total refunded on an order (for tests and the demo).</summary>
    public long RefundedFen(string orderId) => _refunds.Values.Where(x => x.OrderId == orderId).Sum(x => x.Fen);

    public bool Verify(PaymentCallback c) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(c.OrderId, c.AmountFen, c.Status, c.PaidAt)), Encoding.ASCII.GetBytes(c.Signature ?? ""));

    private string Sign(string orderId, long amountFen, string status, DateTimeOffset paidAt) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{orderId}|{amountFen}|{status}|{paidAt.ToUnixTimeMilliseconds()}")));
}
