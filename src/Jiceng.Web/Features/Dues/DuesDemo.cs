using Bogus;
using Jiceng.Data;
using Jiceng.Domain.Dues;
using Jiceng.Domain.Members;
using Jiceng.Web.Infrastructure;

namespace Jiceng.Web.Features.Dues;

/// <summary>
/// Demo dues: a base for every member who owes dues (from the rule, a few on the bracket boundaries), 党费交至
/// carried over from a paper ledger four months back, and payments since — most paid up to last month, some
/// three to six months behind, so the ledger and the arrears alerts have something real to show. Scales with
/// the members (about six rows per member).
/// </summary>
public static class DuesDemo
{
    public const int HistoryMonths = 4;

    /// <summary>Writes the demo dues in batches (the caller's bulk-load transaction).</summary>
    public static async Task SeedAsync(JicengDbContext db, IReadOnlyList<Member> members, Guid? demoMemberId, DateTimeOffset now, CancellationToken ct)
    {
        var (bases, payments, paidMonths) = Generate(members, demoMemberId, now);
        // Multi-row inserts: EF's per-entity work would cost more than the whole rest of the demo seeding.
        await db.InsertAsync(bases, ct);
        await db.InsertAsync(payments, ct);
        await db.InsertAsync(paidMonths, ct);
    }

    /// <summary>The demo dues rows (deterministic for the members); the benchmark loader copies them in bulk.</summary>
    public static (List<DuesBase> Bases, List<DuesPayment> Payments, List<DuesPaymentMonth> PaidMonths) Generate(IReadOnlyList<Member> members, Guid? demoMemberId, DateTimeOffset now)
    {
        var bases = new List<DuesBase>();
        var payments = new List<DuesPayment>();
        var paidMonths = new List<DuesPaymentMonth>();
        var rnd = new Randomizer(2030);
        var today = DateOnly.FromDateTime(now.ToChina().DateTime);
        var thisMonth = DuesMonth.Of(today);
        var start = thisMonth.AddMonths(-HistoryMonths);
        decimal[] boundaries = [3000.00m, 3000.01m, 5000.00m, 5000.01m, 10000.00m, 10000.01m];
        foreach (var m in members.Where(m => DuesObligation.Owes(m.Status)))
        {
            var category = DuesRule.CategoryFor(m.Occupation);
            decimal? monthlyBase = category switch
            {
                DuesCategory.Employed => rnd.Bool(0.05f) ? rnd.ArrayElement(boundaries) : rnd.Int(280, 1600) * 10m,
                DuesCategory.Retired => rnd.Int(250, 700) * 10m,
                _ => null,
            };
            var quote = DuesRule.Quote(category, monthlyBase);
            var joinedMonth = DuesObligation.FirstMonth(m.JoinedOn);
            var effective = joinedMonth > start ? joinedMonth : start;
            var b = new DuesBase
            {
                Id = Guid.CreateVersion7(now), MemberId = m.Id, OrganizationId = m.OrganizationId, MemberOrganizationId = m.OrganizationId, Category = category,
                MonthlyBaseFen = monthlyBase is { } mb ? DuesRule.ToFen(mb) : null, MonthlyAmountFen = DuesRule.ToFen(quote.MonthlyAmount),
                RateBasisPoints = quote.Rate is { } r ? (int)(r * 10000m) : null, EffectiveMonth = effective,
                OpeningPaidThrough = joinedMonth < start ? start.AddMonths(-1) : null, Rule = quote.Rule, RecordedBy = "演示数据", CreatedAt = now,
            };
            bases.Add(b);
            // Paid up to: mostly last month; some behind (3–6 months unpaid raise the 党章 alerts).
            var behind = m.Id == demoMemberId ? 2 : rnd.Double() switch { < 0.04 => rnd.Int(3, 4), < 0.06 => rnd.Int(5, 6), < 0.15 => 2, _ => 1 };
            var paidTo = thisMonth.AddMonths(-behind);
            var month = effective;
            while (month <= paidTo)
            {
                var count = Math.Min(rnd.Bool(0.6f) ? 3 : 1, DuesMonth.Between(month, paidTo) + 1);
                var online = rnd.Bool(0.4f);
                var paidAt = now.AddDays(-DuesMonth.Between(month, thisMonth) * 30 + rnd.Int(0, 20));
                var voluntary = rnd.Bool(0.01f) ? 1000_00L : 0L;
                var payment = new DuesPayment
                {
                    Id = Guid.CreateVersion7(paidAt), MemberId = m.Id, OrganizationId = m.OrganizationId, MemberOrganizationId = m.OrganizationId,
                    Method = online ? DuesPaymentMethod.Online : DuesPaymentMethod.Cash, Status = DuesPaymentStatus.Paid, FromMonth = month, MonthCount = count,
                    DuesFen = b.MonthlyAmountFen * count, VoluntaryFen = voluntary, TotalFen = b.MonthlyAmountFen * count + voluntary,
                    MonthAmountsFen = string.Join(",", Enumerable.Repeat(b.MonthlyAmountFen, count)),
                    Provider = online ? FakePaymentProvider.ProviderName : null, ProviderOrderId = online ? "DEMO" + Guid.CreateVersion7(paidAt).ToString("N") : null,
                    PaidAt = paidAt, PaidMonth = DuesMonth.Of(DateOnly.FromDateTime(paidAt.ToChina().DateTime)), RecordedBy = online ? "" : "支部组织委员", CreatedAt = paidAt,
                };
                payments.Add(payment);
                for (var i = 0; i < count; i++)
                    paidMonths.Add(new DuesPaymentMonth
                    {
                        Id = Guid.CreateVersion7(paidAt), PaymentId = payment.Id, MemberId = m.Id, OrganizationId = m.OrganizationId, MemberOrganizationId = m.OrganizationId,
                        Month = month.AddMonths(i), AmountFen = b.MonthlyAmountFen,
                    });
                month = month.AddMonths(count);
            }
        }
        return (bases, payments, paidMonths);
    }
}
