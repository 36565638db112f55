using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jiceng.Domain.Dues;
using Jiceng.Web.Features.Dues;
using Jiceng.Web.Tests.Features.MemberCare;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jiceng.Web.Tests.Features.Dues;

public sealed class DuesCorrectionTests_Sqlite(MemberCareSqliteApp app) : DuesCorrectionTests(app), IClassFixture<MemberCareSqliteApp>;

public sealed class DuesCorrectionTests_Postgres(MemberCarePostgresApp app) : DuesCorrectionTests(app), IClassFixture<MemberCarePostgresApp>;

/// <summary>退还 of payments and 撤销 of reductions: the boundaries, and the figures counted again from the records.</summary>
public abstract class DuesCorrectionTests(MemberCareApp app)
{
    private static string Month(DateOnly d) => d.ToString("yyyy-MM", CultureInfo.InvariantCulture);
    private DateOnly ThisMonth => new(app.Today.Year, app.Today.Month, 1);
    private static decimal Money(JsonElement e, string name) => e.GetProperty(name).GetDecimal();

    private async Task<(HttpClient Community, Guid Branch, Guid MemberId)> MemberWithBaseAsync(string branchName, string name, int monthsBack)
    {
        var community = await app.LoginAsync("demo-community");
        var parent = await app.OrgOfAsync("demo-community");
        var branch = (await community.PostJsonAsync("/api/v1/orgs", new { name = branchName, kind = "GridBranch", parentId = parent }, HttpStatusCode.Created)).Id();
        var m = await app.AddMemberAsync(branch, name, new DateOnly(2010, 7, 1));
        await community.PutJsonAsync($"/api/v1/members/{m.Id}/dues-base", new { category = "Employed", monthlyBase = 4000m, effectiveMonth = Month(ThisMonth.AddMonths(-monthsBack)) });
        return (community, branch, m.Id);
    }

    [Fact]
    public async Task A_refund_with_an_idempotency_key_is_done_once_and_the_key_with_another_request_is_refused()
    {
        var (community, branch, member) = await MemberWithBaseAsync("退还幂等测试网格党支部", "退还幂等测试甲", 2);
        var pay = await community.PostJsonAsync("/api/v1/dues/payments", new { memberId = member, months = 3, method = "Cash" }, HttpStatusCode.Created);
        var other = await app.AddMemberAsync(branch, "退还幂等测试乙", new DateOnly(2011, 7, 1));
        await community.PutJsonAsync($"/api/v1/members/{other.Id}/dues-base", new { category = "Employed", monthlyBase = 4000m, effectiveMonth = Month(ThisMonth) });
        var otherPay = await community.PostJsonAsync("/api/v1/dues/payments", new { memberId = other.Id, months = 1, method = "Cash" }, HttpStatusCode.Created);
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Refund(Guid payment, object body)
        {
            var r = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/dues/payments/{payment}/refunds") { Content = JsonContent.Create(body) };
            r.Headers.Add("Idempotency-Key", key);
            return r;
        }
        async Task<int> RefundsAsync()
        {
            await using var db = app.OpenDb();
            return await db.DuesRefunds.CountAsync(r => r.MemberId == member || r.MemberId == other.Id);
        }

        var body = new { months = 1, reason = "本月重复交纳", approvedBy = "支委会" };
        var first = await (await community.SendAsync(Refund(pay.Id(), body))).JsonAsync(HttpStatusCode.OK);
        first.GetProperty("paidThrough").GetString().ShouldBe(Month(ThisMonth.AddMonths(-1)));
        // The same key and body again (a retry after a lost answer): the first answer, no second refund.
        var retry = await (await community.SendAsync(Refund(pay.Id(), body))).JsonAsync(HttpStatusCode.OK);
        retry.GetProperty("paidThrough").GetString().ShouldBe(Month(ThisMonth.AddMonths(-1)));
        retry.GetProperty("refunds").GetArrayLength().ShouldBe(1);
        (await RefundsAsync()).ShouldBe(1);

        // The same key with another body, or for another payment: 422, nothing refunded.
        (await (await community.SendAsync(Refund(pay.Id(), new { months = 2, reason = "本月重复交纳", approvedBy = "支委会" }))).ProblemAsync(HttpStatusCode.UnprocessableEntity))
            .GetProperty("title").GetString().ShouldBe("幂等键已用于另一请求");
        await (await community.SendAsync(Refund(otherPay.Id(), body))).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        (await RefundsAsync()).ShouldBe(1);

        // A refused refund's answer is kept for its key too: the retry gets the same 400 and refunds nothing.
        key = Guid.NewGuid().ToString();
        var tooMany = new { months = 5, reason = "多退", approvedBy = "支委会" };
        (await (await community.SendAsync(Refund(pay.Id(), tooMany))).ProblemAsync(HttpStatusCode.BadRequest)).FieldError("months").ShouldBe("退还月数不能超过该笔交纳尚未退还的2个月");
        (await (await community.SendAsync(Refund(pay.Id(), tooMany))).ProblemAsync(HttpStatusCode.BadRequest)).FieldError("months").ShouldBe("退还月数不能超过该笔交纳尚未退还的2个月");

        // Without a key a second request is a second refund.
        await community.PostJsonAsync($"/api/v1/dues/payments/{pay.Id()}/refunds", body);
        (await RefundsAsync()).ShouldBe(2);
    }

    [Fact]
    public async Task A_cash_refund_of_the_last_months_moves_paid_through_back_and_the_ledger_follows()
    {
        var (community, branch, member) = await MemberWithBaseAsync("退还测试网格党支部", "退还测试甲", 2);
        var pay = await community.PostJsonAsync("/api/v1/dues/payments", new { memberId = member, months = 3, method = "Cash", voluntaryAmount = 1000m }, HttpStatusCode.Created);
        var url = $"/api/v1/dues/payments/{pay.Id()}/refunds";

        // Reason and approver are required; more months than paid is refused; nothing changes.
        var missing = await (await community.PostAsJsonAsync(url, new { months = 1 })).ProblemAsync(HttpStatusCode.BadRequest);
        missing.FieldError("reason").ShouldBe("退还原因不能为空");
        missing.FieldError("approvedBy").ShouldBe("批准人不能为空");
        (await (await community.PostAsJsonAsync(url, new { months = 4, reason = "多交", approvedBy = "支委会" })).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("months").ShouldBe("退还月数不能超过该笔交纳尚未退还的3个月");
        await using (var db = app.OpenDb())
            (await db.DuesPaymentMonths.CountAsync(p => p.MemberId == member), await db.DuesRefunds.CountAsync(r => r.MemberId == member)).ShouldBe((3, 0));

        // The last month back: paid through last month, this month unpaid in the ledger, the voluntary amount stays.
        var after = await community.PostJsonAsync(url, new { months = 1, reason = "本月重复交纳", approvedBy = "支部委员会（支委会决定）" });
        after.GetProperty("paidThrough").GetString().ShouldBe(Month(ThisMonth.AddMonths(-1)));
        var refund = after.GetProperty("refunds")[0];
        (refund.GetProperty("fromMonth").GetString(), Money(refund, "total"), refund.GetProperty("approvedBy").GetString())
            .ShouldBe((Month(ThisMonth), 40.00m, "支部委员会（支委会决定）"));
        var ledger = (await community.GetJsonAsync($"/api/v1/orgs/{branch}/dues-ledger?month={Month(ThisMonth)}")).GetProperty("totals");
        (Money(ledger, "due"), Money(ledger, "paid"), Money(ledger, "unpaid"), Money(ledger, "voluntary")).ShouldBe((40.00m, 0.00m, 40.00m, 1000.00m));
        var earlier = (await community.GetJsonAsync($"/api/v1/orgs/{branch}/dues-ledger?month={Month(ThisMonth.AddMonths(-1))}")).GetProperty("totals");
        Money(earlier, "paid").ShouldBe(40.00m);

        // The rest: a full refund, which returns the voluntary amount too; a second refund is refused.
        var full = await community.PostJsonAsync(url, new { reason = "组织关系转出前退还", approvedBy = "社区党委" });
        full.GetProperty("paidThrough").ValueKind.ShouldBe(JsonValueKind.Null);
        full.GetProperty("monthsInArrears").GetInt32().ShouldBe(2);
        var refunded = full.GetProperty("payments").EnumerateArray().Single(p => p.Id() == pay.Id());
        (refunded.GetProperty("statusName").GetString(), refunded.GetProperty("refundedMonths").GetInt32(), Money(refunded, "refunded")).ShouldBe(("已退还", 3, 1120.00m));
        (Money((await community.GetJsonAsync($"/api/v1/orgs/{branch}/dues-ledger?month={Month(ThisMonth)}")).GetProperty("totals"), "voluntary")).ShouldBe(0.00m);
        (await (await community.PostAsJsonAsync(url, new { reason = "再退", approvedBy = "社区党委" })).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("months").ShouldBe("该笔交纳已全部退还，不能再次退还");

        await using (var db = app.OpenDb())
        {
            (await db.DuesPaymentMonths.CountAsync(p => p.MemberId == member)).ShouldBe(0);
            (await db.DuesRefunds.Where(r => r.MemberId == member).SumAsync(r => r.TotalFen)).ShouldBe(112000L);
            (await db.AuditEntries.CountAsync(a => a.EntityId == pay.Id().ToString() && (a.Action == "dues.payment.refund" || a.Action == "dues.payment.refund-partial"))).ShouldBe(2);
        }
        // The months refunded can be paid again, from the first unpaid one.
        var again = await community.PostJsonAsync("/api/v1/dues/payments", new { memberId = member, months = 1, method = "Cash" }, HttpStatusCode.Created);
        again.GetProperty("fromMonth").GetString().ShouldBe(Month(ThisMonth.AddMonths(-2)));
    }

    [Fact]
    public async Task An_earlier_payment_is_refunded_only_after_the_later_one()
    {
        var (community, _, member) = await MemberWithBaseAsync("退还顺序测试网格党支部", "退还顺序测试甲", 1);
        var first = await community.PostJsonAsync("/api/v1/dues/payments", new { memberId = member, months = 1, method = "Cash" }, HttpStatusCode.Created);
        var second = await community.PostJsonAsync("/api/v1/dues/payments", new { memberId = member, months = 1, method = "Cash" }, HttpStatusCode.Created);
        (await (await community.PostAsJsonAsync($"/api/v1/dues/payments/{first.Id()}/refunds", new { reason = "错账", approvedBy = "支委会" })).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("months").ShouldStartWith("该笔交纳之后还有已交纳的月份");
        await community.PostJsonAsync($"/api/v1/dues/payments/{second.Id()}/refunds", new { reason = "错账", approvedBy = "支委会" });
        var done = await community.PostJsonAsync($"/api/v1/dues/payments/{first.Id()}/refunds", new { reason = "错账", approvedBy = "支委会" });
        done.GetProperty("refunds").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task An_online_payment_is_refunded_through_the_provider_once()
    {
        var (community, _, member) = await MemberWithBaseAsync("在线退还测试网格党支部", "在线退还测试甲", 1);
        var order = await community.PostJsonAsync("/api/v1/dues/payments", new { memberId = member, months = 2, method = "Online" }, HttpStatusCode.Created);
        var orderId = order.GetProperty("payUrl").GetString()!.Split('/')[^1];
        var provider = app.Services.GetRequiredService<FakePaymentProvider>();
        // A pending order has nothing to refund.
        (await (await community.PostAsJsonAsync($"/api/v1/dues/payments/{order.Id()}/refunds", new { reason = "退", approvedBy = "支委会" })).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("months").ShouldBe("只有已入账的交纳可以退还");
        await app.CreateClient().PostJsonAsync("/api/v1/dues/callbacks/fake", provider.Callback(orderId, 8000, app.Time.GetUtcNow()));

        var after = await community.PostJsonAsync($"/api/v1/dues/payments/{order.Id()}/refunds", new { months = 1, reason = "多交一个月", approvedBy = "支委会" });
        provider.RefundedFen(orderId).ShouldBe(4000L);
        var refund = after.GetProperty("refunds")[0];
        refund.GetProperty("providerRefundId").GetString()!.ShouldStartWith("FAKER");
        // Asking the provider again under the same refund number (a retry after a lost answer) refunds nothing more.
        var again = await provider.RefundAsync(new PaymentRefundRequest(refund.GetProperty("refundNo").GetString()!, orderId, 4000, 8000, "重试"), default);
        (again.Succeeded, again.ProviderRefundId).ShouldBe((true, refund.GetProperty("providerRefundId").GetString()));
        provider.RefundedFen(orderId).ShouldBe(4000L);
        after.GetProperty("paidThrough").GetString().ShouldBe(Month(ThisMonth.AddMonths(-1)));
    }

    [Fact]
    public async Task A_refund_of_a_payment_outside_scope_is_404()
    {
        var community = await app.LoginAsync("demo-community");
        var district = await app.LoginAsync("demo-district");
        var street = await app.OrgOfAsync("demo-street");
        Guid outsider;
        await using (var db = app.OpenDb())
        {
            var path = await db.Organizations.Where(o => o.Id == street).Select(o => o.Path).SingleAsync();
            outsider = await db.Members.Where(m => !m.Organization!.Path.StartsWith(path) && m.Status == Jiceng.Domain.Members.MemberStatus.Normal
                && !db.DuesBases.Any(b => b.MemberId == m.Id)).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync();
        }
        await district.PutJsonAsync($"/api/v1/members/{outsider}/dues-base", new { category = "Student", effectiveMonth = Month(ThisMonth) });
        var pay = await district.PostJsonAsync("/api/v1/dues/payments", new { memberId = outsider, months = 1, method = "Cash" }, HttpStatusCode.Created);
        await (await community.PostAsJsonAsync($"/api/v1/dues/payments/{pay.Id()}/refunds", new { reason = "退", approvedBy = "支委会" })).ProblemAsync(HttpStatusCode.NotFound);
        await using (var db = app.OpenDb())
            (await db.DuesPaymentMonths.CountAsync(p => p.MemberId == outsider), await db.DuesRefunds.CountAsync(r => r.MemberId == outsider)).ShouldBe((1, 0));
    }

    [Fact]
    public async Task Revoking_a_waiver_from_a_month_makes_the_rule_amount_due_again_and_keeps_the_history()
    {
        var (community, _, member) = await MemberWithBaseAsync("撤销减免测试网格党支部", "撤销减免测试甲", 2);
        var waived = await community.PostJsonAsync($"/api/v1/members/{member}/dues-adjustments", new
        {
            kind = "Waived", fromMonth = Month(ThisMonth.AddMonths(-2)), reason = "生活困难", approvedBy = "社区党委", approvedOn = app.Today.AddDays(-1).ToString("yyyy-MM-dd"),
        });
        waived.GetProperty("monthsInArrears").GetInt32().ShouldBe(0);
        var adjustment = waived.GetProperty("adjustments")[0].Id();
        // Pay the waived months (0 元) up to last month: the revocation must start after that.
        await community.PostJsonAsync("/api/v1/dues/payments", new { memberId = member, months = 2, method = "Cash" }, HttpStatusCode.Created);
        var url = $"/api/v1/members/{member}/dues-adjustments/{adjustment}/revoke";
        var early = await (await community.PostAsJsonAsync(url, new { fromMonth = Month(ThisMonth.AddMonths(-1)), reason = "已就业" })).ProblemAsync(HttpStatusCode.BadRequest);
        early.FieldError("fromMonth").ShouldStartWith($"党费已交至{ThisMonth.AddMonths(-1):yyyy年M月}");
        (await (await community.PostAsJsonAsync(url, new { fromMonth = Month(ThisMonth) })).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("reason").ShouldBe("撤销原因不能为空");

        var revoked = await community.PostJsonAsync(url, new { fromMonth = Month(ThisMonth), reason = "已重新就业" });
        Money(revoked, "monthlyAmount").ShouldBe(40.00m);
        var row = revoked.GetProperty("adjustments")[0];
        (row.GetProperty("revokedFromMonth").GetString(), row.GetProperty("revokeReason").GetString(), row.GetProperty("reason").GetString())
            .ShouldBe((Month(ThisMonth), "已重新就业", "生活困难"));
        (await (await community.PostAsJsonAsync(url, new { fromMonth = Month(ThisMonth.AddMonths(1)), reason = "再撤" })).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("fromMonth").ShouldBe($"该减免已于{ThisMonth:yyyy年M月}起撤销");
        await using var db = app.OpenDb();
        (await db.AuditEntries.CountAsync(a => a.Action == "dues.adjustment.revoke" && a.EntityId == adjustment.ToString())).ShouldBe(1);
    }
}
