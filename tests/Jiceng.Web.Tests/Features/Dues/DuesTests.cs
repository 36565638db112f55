using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jiceng.Domain.Dues;
using Jiceng.Domain.Members;
using Jiceng.Web.Features.Dues;
using Jiceng.Web.Tests.Features.MemberCare;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jiceng.Web.Tests.Features.Dues;

public sealed class DuesTests_Sqlite(MemberCareSqliteApp app) : DuesTests(app), IClassFixture<MemberCareSqliteApp>;

public sealed class DuesTests_Postgres(MemberCarePostgresApp app) : DuesTests(app), IClassFixture<MemberCarePostgresApp>;

public abstract class DuesTests(MemberCareApp app)
{
    private static string Month(DateOnly d) => d.ToString("yyyy-MM", CultureInfo.InvariantCulture);
    private DateOnly ThisMonth => new(app.Today.Year, app.Today.Month, 1);

    private async Task<Guid> NewBranchAsync(HttpClient community, string name)
    {
        var parent = await app.OrgOfAsync("demo-community");
        return (await community.PostJsonAsync("/api/v1/orgs", new { name, kind = "GridBranch", parentId = parent }, HttpStatusCode.Created)).Id();
    }

    private async Task<Member> MemberOfAnotherStreetAsync()
    {
        var street = await app.OrgOfAsync("demo-street");
        await using var db = app.OpenDb();
        var path = await db.Organizations.Where(o => o.Id == street).Select(o => o.Path).SingleAsync();
        return await db.Members.AsNoTracking().Where(m => !m.Organization!.Path.StartsWith(path) && m.Status == MemberStatus.Normal).OrderBy(m => m.Id).FirstAsync();
    }

    private static decimal Money(JsonElement e, string name) => e.GetProperty(name).GetDecimal();

    [Fact]
    public async Task A_subtree_read_by_its_path_loads_the_same_dues_facts_as_one_read_by_its_organizations()
    {
        // A street is read by its organizations' ids; a subtree of more than 5,000 organizations by its path range. Both ways,
        // the same members with the same organizations, bases, adjustments and 党费交至.
        var street = await app.OrgOfAsync("demo-street");
        await using var db = app.OpenDb();
        var path = await db.Organizations.Where(o => o.Id == street).Select(o => o.Path).SingleAsync();
        var byIds = await DuesData.SubtreeAsync(db, path, default);
        byIds.ById.ShouldBeTrue();
        var byPath = byIds with { ById = false };
        static string Key(MemberDuesFacts f, DateOnly month) => string.Join("|", f.MemberId, f.OrganizationName, f.OrganizationPath, f.Facts.Bases.Count,
            f.Facts.Adjustments.Count, f.Facts.PaidThrough, DuesObligation.DueIn(f.Facts, month));
        async Task<List<string>> LoadAsync(DuesData.Subtree subtree) =>
            (await DuesData.LoadAsync(db, subtree.Members(db).Where(m => PartyMembership.Current.Contains(m.Status)), app.Today, default, subtree: subtree))
            .Select(f => Key(f, ThisMonth)).Order(StringComparer.Ordinal).ToList();
        var expected = await LoadAsync(byIds);
        expected.Count.ShouldBe(await db.Members.CountAsync(m => m.Organization!.Path.StartsWith(path) && PartyMembership.Current.Contains(m.Status)));
        expected.ShouldContain(k => !k.EndsWith('|'));   // some members owe dues this month
        (await LoadAsync(byPath)).ShouldBe(expected);
    }

    [Fact]
    public async Task Quote_answers_the_rule_with_amount_rate_and_text()
    {
        var community = await app.LoginAsync("demo-community");
        var response = await community.GetAsync("/api/v1/dues/quote?category=employed&base=3000.01");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        text.ShouldStartWith("{\"monthlyAmount\":30.00,\"rate\":0.01,\"rule\":\"在职党员每月税后工资收入3000元以上至5000元，按1%交纳");
        var boundary = await community.GetJsonAsync("/api/v1/dues/quote?category=employed&base=3000.00");
        (Money(boundary, "monthlyAmount"), Money(boundary, "rate")).ShouldBe((15.00m, 0.005m));
        var retired = await community.GetJsonAsync("/api/v1/dues/quote?category=retired&base=5000.01");
        (Money(retired, "monthlyAmount"), Money(retired, "rate")).ShouldBe((50.00m, 0.01m));
        var student = await community.GetJsonAsync("/api/v1/dues/quote?category=student");
        Money(student, "monthlyAmount").ShouldBe(0.20m);
        student.GetProperty("rate").ValueKind.ShouldBe(JsonValueKind.Null);
        var farmer = await community.GetJsonAsync("/api/v1/dues/quote?category=farmer");
        Money(farmer, "monthlyAmount").ShouldBe(0.20m);

        (await (await community.GetAsync("/api/v1/dues/quote?category=worker&base=100")).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("category").ShouldStartWith("党费类别应为");
        (await (await community.GetAsync("/api/v1/dues/quote?category=employed")).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("base").ShouldBe("请填写每月税后工资收入（党费计算基数）");
        (await (await community.GetAsync("/api/v1/dues/quote?category=employed&base=3000.001")).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("base").ShouldBe("党费计算基数最多保留两位小数（到分）");
    }

    [Fact]
    public async Task Bases_payments_and_the_monthly_ledger_agree_with_the_payments()
    {
        var community = await app.LoginAsync("demo-community");
        var branch = await NewBranchAsync(community, "党费台账测试网格党支部");
        var a = await app.AddMemberAsync(branch, "党费测试甲", new DateOnly(2010, 7, 1));
        var b = await app.AddMemberAsync(branch, "党费测试乙", new DateOnly(2001, 3, 1), Occupation.Retired);
        var c = await app.AddMemberAsync(branch, "党费测试丙", new DateOnly(2020, 9, 1), Occupation.Student);
        var start = ThisMonth.AddMonths(-2);

        var dues = await community.PutJsonAsync($"/api/v1/members/{a.Id}/dues-base", new { category = "Employed", monthlyBase = 3000.01m, effectiveMonth = Month(start) });
        Money(dues, "monthlyAmount").ShouldBe(30.00m);
        dues.GetProperty("nextMonth").GetString().ShouldBe(Month(start));
        dues.GetProperty("monthsInArrears").GetInt32().ShouldBe(2);
        Money(dues, "arrearsAmount").ShouldBe(60.00m);
        dues.GetProperty("currentBase").GetProperty("rule").GetString().ShouldStartWith("在职党员每月税后工资收入3000元以上至5000元");
        await community.PutJsonAsync($"/api/v1/members/{b.Id}/dues-base", new { category = "Retired", monthlyBase = 6000m, effectiveMonth = Month(start) });
        await community.PutJsonAsync($"/api/v1/members/{c.Id}/dues-base", new { category = "Student", effectiveMonth = Month(start) });

        // A raise from this month on: a new row, the old one stays in the history.
        var raised = await community.PutJsonAsync($"/api/v1/members/{a.Id}/dues-base", new { category = "Employed", monthlyBase = 5000.01m, effectiveMonth = Month(ThisMonth) });
        Money(raised, "monthlyAmount").ShouldBe(75.00m);
        raised.GetProperty("baseHistory").GetArrayLength().ShouldBe(2);
        raised.GetProperty("nextQuarter").EnumerateArray().Select(m => Money(m, "amount")).ShouldBe([30.00m, 30.00m, 75.00m]);

        // Bad input changes nothing.
        var bad = await (await community.PutAsJsonAsync($"/api/v1/members/{a.Id}/dues-base", new { category = "Employed", monthlyBase = -1m, effectiveMonth = "2026年5月" }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        bad.FieldError("monthlyBase").ShouldBe("党费计算基数须大于0");
        bad.FieldError("effectiveMonth").ShouldBe("起算月份格式应为“2026-05”");

        // a pays a quarter in cash (two arrears months and this month, each at its own month's amount); b pays one month and 1000 元 voluntarily.
        var pa = await community.PostJsonAsync("/api/v1/dues/payments", new { memberId = a.Id, months = 3, method = "Cash" }, HttpStatusCode.Created);
        pa.GetProperty("fromMonth").GetString().ShouldBe(Month(start));
        pa.GetProperty("toMonth").GetString().ShouldBe(Month(ThisMonth));
        Money(pa, "dues").ShouldBe(135.00m);
        var pb = await community.PostJsonAsync("/api/v1/dues/payments", new { memberId = b.Id, months = 1, method = "Cash", voluntaryAmount = 1000m }, HttpStatusCode.Created);
        Money(pb, "total").ShouldBe(1060.00m);
        var afterA = await community.GetJsonAsync($"/api/v1/members/{a.Id}/dues");
        afterA.GetProperty("paidThrough").GetString().ShouldBe(Month(ThisMonth));
        afterA.GetProperty("monthsInArrears").GetInt32().ShouldBe(0);

        var ledger = await community.GetJsonAsync($"/api/v1/orgs/{branch}/dues-ledger?month={Month(start)}");
        var totals = ledger.GetProperty("totals");
        (Money(totals, "due"), Money(totals, "paid"), Money(totals, "unpaid"), Money(totals, "voluntary")).ShouldBe((90.20m, 90.00m, 0.20m, 0.00m));
        (totals.GetProperty("members").GetInt32(), totals.GetProperty("paidMembers").GetInt32(), totals.GetProperty("unpaidMembers").GetInt32()).ShouldBe((3, 2, 1));
        var rows = ledger.GetProperty("members").GetProperty("items").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("state").GetString());
        rows.ShouldBe(new Dictionary<string, string?> { ["党费测试甲"] = "已交", ["党费测试乙"] = "已交", ["党费测试丙"] = "未交" }, ignoreOrder: true);
        var unpaidOnly = await community.GetJsonAsync($"/api/v1/orgs/{branch}/dues-ledger?month={Month(start)}&state=未交");
        unpaidOnly.GetProperty("members").GetProperty("items").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ShouldBe(["党费测试丙"]);

        // The ledger's paid total is the sum of the recorded payments for the month; this month carries the voluntary amount.
        await using (var db = app.OpenDb())
        {
            var paidFen = await db.DuesPaymentMonths.Where(p => p.Member!.OrganizationId == branch && p.Month == start).SumAsync(p => p.AmountFen);
            Money(totals, "paid").ShouldBe(paidFen / 100m);
        }
        var now = await community.GetJsonAsync($"/api/v1/orgs/{branch}/dues-ledger?month={Month(ThisMonth)}");
        (Money(now.GetProperty("totals"), "paid"), Money(now.GetProperty("totals"), "voluntary")).ShouldBe((75.00m, 1000.00m));

        // Rolled up: the community's ledger has a row for the branch with the same figures, and the community's totals include them.
        var communityId = await app.OrgOfAsync("demo-community");
        var up = await community.GetJsonAsync($"/api/v1/orgs/{communityId}/dues-ledger?month={Month(start)}&pageSize=1");
        var branchRow = up.GetProperty("organizations").EnumerateArray().Single(o => o.GetProperty("organizationId").GetGuid() == branch);
        branchRow.GetProperty("organizationName").GetString().ShouldBe("党费台账测试网格党支部");
        var row = branchRow.GetProperty("totals");
        (Money(row, "due"), Money(row, "paid")).ShouldBe((90.20m, 90.00m));
        Money(up.GetProperty("totals"), "paid").ShouldBe(up.GetProperty("organizations").EnumerateArray().Sum(o => Money(o.GetProperty("totals"), "paid")));
        var year = await community.GetJsonAsync($"/api/v1/orgs/{branch}/dues-ledger?year={start.Year}");
        year.GetProperty("months").EnumerateArray().Single(m => m.GetProperty("month").GetString() == Month(start)).GetProperty("totals").GetProperty("paid").GetDecimal().ShouldBe(90.00m);

        // A transfer letter takes 党费交至 from these records when none is typed.
        var street = await app.OrgOfAsync("demo-street");
        var target = await community.PostJsonAsync("/api/v1/orgs", new { name = "党费转接目标网格党支部", kind = "GridBranch", parentId = communityId }, HttpStatusCode.Created);
        var transfer = await community.PostJsonAsync("/api/v1/transfers", new { kind = "Internal", memberId = a.Id, toOrganizationId = target.Id(), reason = "居住地变更" }, HttpStatusCode.Created);
        transfer.GetProperty("paidThrough").GetString().ShouldBe(Month(ThisMonth));
        street.ShouldNotBe(Guid.Empty);

        // Excel export of the ledger (audited).
        var file = await community.GetAsync($"/api/v1/orgs/{branch}/dues-ledger/export?month={Month(start)}");
        file.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await file.Content.ReadAsByteArrayAsync())[..2].ShouldBe("PK"u8.ToArray());
        await using (var db = app.OpenDb())
            (await db.AuditEntries.CountAsync(x => x.Action == "export" && x.EntityType == "DuesLedger" && x.OrganizationId == branch)).ShouldBe(1);
    }

    [Fact]
    public async Task The_ledger_lists_members_by_organization_name_then_name_and_pages_through_them_in_that_order()
    {
        var community = await app.LoginAsync("demo-community");
        var communityId = await app.OrgOfAsync("demo-community");
        var month = Month(ThisMonth.AddMonths(-1));
        async Task<(List<(string Org, string Name, Guid Id)> Rows, int Total)> PageAsync(int page, int size)
        {
            var l = await community.GetJsonAsync($"/api/v1/orgs/{communityId}/dues-ledger?month={month}&page={page}&pageSize={size}");
            var members = l.GetProperty("members");
            return (members.GetProperty("items").EnumerateArray().Select(r => (r.GetProperty("organizationName").GetString()!, r.GetProperty("name").GetString()!,
                r.GetProperty("memberId").GetGuid())).ToList(), members.GetProperty("total").GetInt32());
        }
        async Task<List<(string Org, string Name, Guid Id)>> AllAsync(int size)
        {
            var all = new List<(string, string, Guid)>();
            for (var page = 1; ; page++)
            {
                var (rows, total) = await PageAsync(page, size);
                all.AddRange(rows);
                if (all.Count >= total || rows.Count == 0) return all;
            }
        }
        var list = await AllAsync(200);
        list.Count.ShouldBe((await PageAsync(1, 1)).Total);
        list.Select(r => r.Org).Distinct().Count().ShouldBeGreaterThan(1, "the community's members sit in several branches");
        list.ShouldBe([.. list.OrderBy(r => r.Org, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Id)]);
        // Page by page (the demo community has a few dozen members at the tests' scale), the same list in the same order.
        list.Count.ShouldBeGreaterThan(3 * 5);
        (await AllAsync(5)).ShouldBe(list);
    }

    [Fact]
    public async Task A_members_dues_follow_them_to_the_new_organization_by_transfer_or_any_other_move()
    {
        var community = await app.LoginAsync("demo-community");
        var street = await app.LoginAsync("demo-street");
        var from = await NewBranchAsync(community, "党费随转出支部");
        var to = await NewBranchAsync(community, "党费随转入支部");
        var third = await NewBranchAsync(community, "党费随迁第三支部");
        var a = await app.AddMemberAsync(from, "党费随转甲", new DateOnly(2012, 7, 1));
        var start = ThisMonth.AddMonths(-1);
        await community.PutJsonAsync($"/api/v1/members/{a.Id}/dues-base", new { category = "Employed", monthlyBase = 4000m, effectiveMonth = Month(start) });
        await community.PostJsonAsync("/api/v1/dues/payments", new { memberId = a.Id, months = 2, method = "Cash", voluntaryAmount = 50m }, HttpStatusCode.Created);

        async Task<(decimal Paid, decimal Voluntary, string Names)> LedgerAsync(Guid org, DateOnly month)
        {
            var l = await community.GetJsonAsync($"/api/v1/orgs/{org}/dues-ledger?month={Month(month)}");
            var t = l.GetProperty("totals");
            return (Money(t, "paid"), Money(t, "voluntary"), string.Join("、", l.GetProperty("members").GetProperty("items").EnumerateArray().Select(r => r.GetProperty("name").GetString())));
        }
        (await LedgerAsync(from, start)).ShouldBe((40.00m, 0m, "党费随转甲"));

        // An internal transfer, received: the months paid in the old branch are the new branch's record now.
        var id = (await community.PostJsonAsync("/api/v1/transfers", new { kind = "Internal", memberId = a.Id, toOrganizationId = to, reason = "支部调整" }, HttpStatusCode.Created)).Id();
        await street.PostJsonAsync($"/api/v1/transfers/{id}/approve", new { });
        await street.PostJsonAsync($"/api/v1/transfers/{id}/approve", new { });
        (await street.PostJsonAsync($"/api/v1/transfers/{id}/receive", new { })).GetProperty("status").GetString().ShouldBe("Completed");
        (await LedgerAsync(to, start)).ShouldBe((40.00m, 0m, "党费随转甲"));
        (await LedgerAsync(to, ThisMonth)).ShouldBe((40.00m, 50.00m, "党费随转甲"));
        (await LedgerAsync(from, start)).ShouldBe((0m, 0m, ""));
        var arrears = await community.GetJsonAsync($"/api/v1/dues/arrears?orgId={to}&minMonths=1");
        arrears.GetProperty("total").GetInt32().ShouldBe(0);

        // A move that bypasses every service (a bulk statement): the database moves the dues rows with the member.
        await using (var db = app.OpenDb())
        {
            await db.Members.IgnoreQueryFilters().Where(m => m.Id == a.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.OrganizationId, third));
            (await db.DuesBases.IgnoreQueryFilters().Where(b => b.MemberId == a.Id).Select(b => b.MemberOrganizationId).Distinct().ToListAsync()).ShouldBe([third]);
            (await db.DuesPayments.IgnoreQueryFilters().Where(b => b.MemberId == a.Id).Select(b => b.MemberOrganizationId).Distinct().ToListAsync()).ShouldBe([third]);
            (await db.DuesPaymentMonths.IgnoreQueryFilters().Where(b => b.MemberId == a.Id).Select(b => b.MemberOrganizationId).Distinct().ToListAsync()).ShouldBe([third]);
            // A row written with a wrong organization is corrected on insert: the member's organization is the database's to say.
            var payment = await db.DuesPayments.IgnoreQueryFilters().AsNoTracking().FirstAsync(p => p.MemberId == a.Id);
            db.DuesPaymentMonths.Add(new DuesPaymentMonth { Id = Guid.NewGuid(), PaymentId = payment.Id, MemberId = a.Id, OrganizationId = payment.OrganizationId,
                MemberOrganizationId = from, Month = ThisMonth.AddMonths(5), AmountFen = 4000 });
            await db.SaveChangesAsync();
            (await db.DuesPaymentMonths.IgnoreQueryFilters().Where(b => b.MemberId == a.Id).Select(b => b.MemberOrganizationId).Distinct().ToListAsync()).ShouldBe([third]);
        }
        (await LedgerAsync(third, start)).ShouldBe((40.00m, 0m, "党费随转甲"));
        (await LedgerAsync(to, start)).ShouldBe((0m, 0m, ""));
    }

    [Fact]
    public async Task A_ledger_served_again_follows_every_change_it_counts_whatever_path_made_it()
    {
        // ADR 009: a month's ledger is computed once and served again while the database's dues stamps of its subtree and the
        // subtree's organizations are the same. Every change below must show at the next read; the services' writes and bare
        // statements alike (a stamp kept by the app would miss the latter).
        var community = await app.LoginAsync("demo-community");
        var communityId = await app.OrgOfAsync("demo-community");
        var branch = await NewBranchAsync(community, "台账复用测试网格党支部");
        var a = await app.AddMemberAsync(branch, "台账复用甲", new DateOnly(2010, 7, 1));
        var b = await app.AddMemberAsync(branch, "台账复用乙", new DateOnly(2011, 7, 1));
        foreach (var m in new[] { a, b })
            await community.PutJsonAsync($"/api/v1/members/{m.Id}/dues-base", new { category = "Employed", monthlyBase = 4000m, effectiveMonth = Month(ThisMonth) });
        var cache = app.Services.GetRequiredService<DuesLedgerCache>();
        cache.Enabled.ShouldBeTrue();

        async Task<string> LedgerAsync(string query = "")
        {
            var l = await community.GetJsonAsync($"/api/v1/orgs/{branch}/dues-ledger?month={Month(ThisMonth)}{query}");
            var t = l.GetProperty("totals");
            return $"{t.GetProperty("members").GetInt32()} {Money(t, "due")} {Money(t, "paid")}: " + string.Join("、", l.GetProperty("members").GetProperty("items").EnumerateArray()
                .Select(r => $"{r.GetProperty("organizationName").GetString()}/{r.GetProperty("name").GetString()} {r.GetProperty("state").GetString()}"));
        }
        // The community's ledger: a subtree of many organizations, whose stamps are summed.
        async Task<string> CommunityRowAsync()
        {
            var l = await community.GetJsonAsync($"/api/v1/orgs/{communityId}/dues-ledger?month={Month(ThisMonth)}");
            var row = l.GetProperty("organizations").EnumerateArray().Single(o => o.GetProperty("organizationId").GetGuid() == branch);
            return $"{row.GetProperty("organizationName").GetString()} {Money(row.GetProperty("totals"), "paid")}";
        }
        async Task ExecuteAsync(Func<Jiceng.Data.JicengDbContext, Task> change)
        {
            await using var db = app.OpenDb();
            await change(db);
        }

        (await CommunityRowAsync()).ShouldBe("台账复用测试网格党支部 0.00");
        var first = await LedgerAsync();
        first.ShouldBe("2 80.00 0.00: 台账复用测试网格党支部/台账复用乙 未交、台账复用测试网格党支部/台账复用甲 未交");
        // Served again: the same ledger, a page of it and its state filter, without computing it.
        var (hits, misses) = (cache.Hits, cache.Misses);
        (await LedgerAsync()).ShouldBe(first);
        (await LedgerAsync("&pageSize=1&page=2")).ShouldBe("2 80.00 0.00: 台账复用测试网格党支部/台账复用甲 未交");
        (await LedgerAsync("&state=已交")).ShouldBe("2 80.00 0.00: ");
        (cache.Hits, cache.Misses).ShouldBe((hits + 3, misses));
        // A change no ledger counts (a phone number's tail) keeps the entry.
        await ExecuteAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.Id == b.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.PhoneTail, "1234")));
        (await LedgerAsync()).ShouldBe(first);
        (cache.Hits, cache.Misses).ShouldBe((hits + 4, misses));

        // Through the services: a payment.
        await community.PostJsonAsync("/api/v1/dues/payments", new { memberId = a.Id, months = 1, method = "Cash" }, HttpStatusCode.Created);
        (await LedgerAsync()).ShouldBe("2 80.00 40.00: 台账复用测试网格党支部/台账复用乙 未交、台账复用测试网格党支部/台账复用甲 已交");
        cache.Misses.ShouldBe(misses + 1);
        (await CommunityRowAsync()).ShouldBe("台账复用测试网格党支部 40.00");

        // Bare statements on each table a ledger counts. A row inserted with a wrong organization (SQLite corrects it by an update).
        await ExecuteAsync(async db =>
        {
            var payment = await db.DuesPayments.IgnoreQueryFilters().AsNoTracking().FirstAsync(p => p.MemberId == a.Id);
            db.DuesPaymentMonths.Add(new DuesPaymentMonth { Id = Guid.NewGuid(), PaymentId = payment.Id, MemberId = b.Id, OrganizationId = payment.OrganizationId,
                MemberOrganizationId = communityId, Month = ThisMonth, AmountFen = 4000 });
            await db.SaveChangesAsync();
        });
        (await LedgerAsync()).ShouldBe("2 80.00 80.00: 台账复用测试网格党支部/台账复用乙 已交、台账复用测试网格党支部/台账复用甲 已交");
        (await CommunityRowAsync()).ShouldBe("台账复用测试网格党支部 80.00");
        await ExecuteAsync(db => db.DuesPaymentMonths.IgnoreQueryFilters().Where(p => p.MemberId == b.Id).ExecuteDeleteAsync());
        await ExecuteAsync(db => db.DuesPayments.IgnoreQueryFilters().Where(p => p.MemberId == a.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.VoluntaryFen, 2000).SetProperty(p => p.PaidMonth, ThisMonth)));
        var voluntary = await community.GetJsonAsync($"/api/v1/orgs/{branch}/dues-ledger?month={Month(ThisMonth)}");
        Money(voluntary.GetProperty("totals"), "voluntary").ShouldBe(20.00m);

        await ExecuteAsync(db => db.DuesPaymentMonths.IgnoreQueryFilters().Where(p => p.MemberId == a.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.AmountFen, 1500)));
        (await LedgerAsync()).ShouldBe("2 80.00 15.00: 台账复用测试网格党支部/台账复用乙 未交、台账复用测试网格党支部/台账复用甲 部分交纳");
        await ExecuteAsync(db => db.DuesPaymentMonths.IgnoreQueryFilters().Where(p => p.MemberId == a.Id).ExecuteDeleteAsync());
        (await LedgerAsync()).ShouldBe("2 80.00 0.00: 台账复用测试网格党支部/台账复用乙 未交、台账复用测试网格党支部/台账复用甲 未交");
        await ExecuteAsync(db => db.DuesBases.IgnoreQueryFilters().Where(x => x.MemberId == b.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.MonthlyAmountFen, 10000)));
        (await LedgerAsync()).ShouldBe("2 140.00 0.00: 台账复用测试网格党支部/台账复用乙 未交、台账复用测试网格党支部/台账复用甲 未交");
        // Joined after the month: not yet counted in it; back again.
        await ExecuteAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.Id == b.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.JoinedOn, ThisMonth.AddMonths(1))));
        (await LedgerAsync()).ShouldBe("1 40.00 0.00: 台账复用测试网格党支部/台账复用甲 未交");
        await ExecuteAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.Id == b.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.JoinedOn, new DateOnly(2011, 7, 1))));
        (await LedgerAsync()).ShouldBe("2 140.00 0.00: 台账复用测试网格党支部/台账复用乙 未交、台账复用测试网格党支部/台账复用甲 未交");
        await ExecuteAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.Id == b.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.Name, "台账复用丙")));
        (await LedgerAsync()).ShouldBe("2 140.00 0.00: 台账复用测试网格党支部/台账复用丙 未交、台账复用测试网格党支部/台账复用甲 未交");
        // The organization's name: not a stamped row, but the subtree the entry was computed with is compared.
        (await CommunityRowAsync()).ShouldBe("台账复用测试网格党支部 0.00");
        await ExecuteAsync(db => db.Organizations.IgnoreQueryFilters().Where(o => o.Id == branch).ExecuteUpdateAsync(u => u.SetProperty(o => o.Name, "台账复用更名党支部")));
        (await LedgerAsync()).ShouldBe("2 140.00 0.00: 台账复用更名党支部/台账复用丙 未交、台账复用更名党支部/台账复用甲 未交");
        (await CommunityRowAsync()).ShouldBe("台账复用更名党支部 0.00");
        // Off the roll: no longer counted.
        await ExecuteAsync(db => db.Members.IgnoreQueryFilters().Where(m => m.Id == b.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.Status, MemberStatus.Deceased)));
        (await LedgerAsync()).ShouldBe("1 40.00 0.00: 台账复用更名党支部/台账复用甲 未交");
        // A waiver through the services.
        await community.PostJsonAsync($"/api/v1/members/{a.Id}/dues-adjustments", new
        {
            kind = "Waived", fromMonth = Month(ThisMonth), toMonth = Month(ThisMonth), reason = "生活困难", approvedBy = "测试社区党委",
            approvedOn = app.Today.ToString("yyyy-MM-dd"),
        });
        (await LedgerAsync()).ShouldBe("1 0.00 0.00: 台账复用更名党支部/台账复用甲 免交");
        await ExecuteAsync(db => db.DuesAdjustments.IgnoreQueryFilters().Where(x => x.MemberId == a.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.RevokedFromMonth, ThisMonth)));
        (await LedgerAsync()).ShouldBe("1 40.00 0.00: 台账复用更名党支部/台账复用甲 未交");
    }

    [Fact]
    public async Task A_dues_row_written_while_its_member_moves_follows_the_member()
    {
        // ADR 007: the move's trigger moves the rows it can see; a row inserted meanwhile by another transaction must wait for the
        // move and take the new organization (PostgreSQL: FOR SHARE in the insert trigger; SQLite: one writer at a time).
        var community = await app.LoginAsync("demo-community");
        var from = await NewBranchAsync(community, "迁移并发转出支部");
        var to = await NewBranchAsync(community, "迁移并发转入支部");
        var m = await app.AddMemberAsync(from, "迁移并发甲", new DateOnly(2012, 7, 1));
        await community.PutJsonAsync($"/api/v1/members/{m.Id}/dues-base", new { category = "Employed", monthlyBase = 4000m, effectiveMonth = Month(ThisMonth) });
        var paymentId = (await community.PostJsonAsync("/api/v1/dues/payments", new { memberId = m.Id, months = 1, method = "Cash" }, HttpStatusCode.Created)).Id();
        var rowId = Guid.NewGuid();
        await using (var mover = app.OpenDb())
        {
            await using var tx = await mover.Database.BeginTransactionAsync();
            await mover.Members.IgnoreQueryFilters().Where(x => x.Id == m.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.OrganizationId, to));
            var writer = Task.Run(async () =>
            {
                await using var db = app.OpenDb();
                db.DuesPaymentMonths.Add(new DuesPaymentMonth { Id = rowId, PaymentId = paymentId, MemberId = m.Id, OrganizationId = from, MemberOrganizationId = from,
                    Month = ThisMonth.AddMonths(1), AmountFen = 4000 });
                await db.SaveChangesAsync();
            });
            await Task.Delay(500);
            writer.IsCompleted.ShouldBeFalse();   // it waits for the move
            await tx.CommitAsync();
            await writer;
        }
        await using var check = app.OpenDb();
        (await check.DuesPaymentMonths.IgnoreQueryFilters().Where(p => p.Id == rowId).Select(p => p.MemberOrganizationId).SingleAsync()).ShouldBe(to);
    }

    [Fact]
    public async Task A_long_transaction_takes_its_dues_stamps_at_its_end()
    {
        // ADR 009: a member import defers its stamps (PostgreSQL) so that it does not hold the stamp rows from its first batch to its
        // commit; it stamps its organizations just before the commit. SQLite stamps as the rows go in.
        var community = await app.LoginAsync("demo-community");
        var branch = await NewBranchAsync(community, "延后盖戳测试网格党支部");
        var a = await app.AddMemberAsync(branch, "延后盖戳甲", new DateOnly(2010, 7, 1));
        await using var db = app.OpenDb();
        async Task<long> StampAsync() => await db.DuesLedgerStamps.Where(x => x.OrganizationId == branch).Select(x => x.Version).SingleOrDefaultAsync();
        var before = await StampAsync();
        before.ShouldBeGreaterThan(0);   // the member's insert
        long last;
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            var stamps = await Jiceng.Data.Derived.DeferredDuesStamps.BeginAsync(db, default);
            await db.Members.IgnoreQueryFilters().Where(m => m.Id == a.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.Name, "延后盖戳乙"));
            var during = await StampAsync();
            if (db.IsPostgres) during.ShouldBe(before);   // deferred
            else during.ShouldBeGreaterThan(before);      // SQLite: as the row changed
            stamps.Add(branch);
            await stamps.StampAsync(default);
            var stamped = await StampAsync();
            stamped.ShouldBeGreaterThan(before);
            // After it, the transaction's writes stamp as they go again.
            await db.Members.IgnoreQueryFilters().Where(m => m.Id == a.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.Name, "延后盖戳丙"));
            last = await StampAsync();
            last.ShouldBeGreaterThan(stamped);
            await tx.CommitAsync();
        }
        (await StampAsync()).ShouldBe(last);
        // Outside a transaction it is refused: the setting would last one statement.
        await Should.ThrowAsync<InvalidOperationException>(() => Jiceng.Data.Derived.DeferredDuesStamps.BeginAsync(db, default));
    }

    [Fact]
    public async Task A_waiver_makes_its_months_free_and_is_recorded_with_its_approver()
    {
        var community = await app.LoginAsync("demo-community");
        var branch = await NewBranchAsync(community, "党费减免测试网格党支部");
        var m = await app.AddMemberAsync(branch, "减免测试甲", new DateOnly(2005, 1, 1));
        await community.PutJsonAsync($"/api/v1/members/{m.Id}/dues-base", new { category = "Employed", monthlyBase = 4000m, effectiveMonth = Month(ThisMonth.AddMonths(-3)) });
        var missing = await (await community.PostAsJsonAsync($"/api/v1/members/{m.Id}/dues-adjustments", new { kind = "Waived", fromMonth = Month(ThisMonth.AddMonths(-3)) }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        missing.FieldError("approvedBy").ShouldBe("批准的党委不能为空");
        var waived = await community.PostJsonAsync($"/api/v1/members/{m.Id}/dues-adjustments", new
        {
            kind = "Waived", fromMonth = Month(ThisMonth.AddMonths(-3)), toMonth = Month(ThisMonth.AddMonths(-2)), reason = "重病住院，生活困难",
            approvedBy = "测试社区党委（委员会会议）", approvedOn = app.Today.AddDays(-3).ToString("yyyy-MM-dd"),
        });
        waived.GetProperty("monthsInArrears").GetInt32().ShouldBe(1);
        Money(waived, "arrearsAmount").ShouldBe(40.00m);
        waived.GetProperty("adjustments")[0].GetProperty("approvedBy").GetString().ShouldBe("测试社区党委（委员会会议）");
        var reduced = await (await community.PostAsJsonAsync($"/api/v1/members/{m.Id}/dues-adjustments", new
        {
            kind = "Reduced", monthlyAmount = 50m, fromMonth = Month(ThisMonth), reason = "困难", approvedBy = "测试社区党委", approvedOn = app.Today.ToString("yyyy-MM-dd"),
        })).ProblemAsync(HttpStatusCode.BadRequest);
        reduced.FieldError("monthlyAmount").ShouldBe("减交后的金额应少于按规定应交的40.00元");
    }

    [Fact]
    public async Task Idempotency_key_retry_returns_the_original_answer_and_a_different_body_is_refused()
    {
        var community = await app.LoginAsync("demo-community");
        var branch = await NewBranchAsync(community, "幂等测试网格党支部");
        var m = await app.AddMemberAsync(branch, "幂等测试甲", new DateOnly(2012, 5, 1));
        await community.PutJsonAsync($"/api/v1/members/{m.Id}/dues-base", new { category = "Employed", monthlyBase = 8000m, effectiveMonth = Month(ThisMonth.AddMonths(-1)) });
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Post(object body)
        {
            var r = new HttpRequestMessage(HttpMethod.Post, "/api/v1/dues/payments") { Content = JsonContent.Create(body) };
            r.Headers.Add("Idempotency-Key", key);
            return r;
        }
        var first = await (await community.SendAsync(Post(new { memberId = m.Id, months = 1, method = "Cash" }))).JsonAsync(HttpStatusCode.Created);
        var retry = await community.SendAsync(Post(new { memberId = m.Id, months = 1, method = "Cash" }));
        var again = await retry.JsonAsync(HttpStatusCode.Created);
        again.Id().ShouldBe(first.Id());
        again.GetProperty("fromMonth").GetString().ShouldBe(Month(ThisMonth.AddMonths(-1)));
        retry.Headers.Location!.ToString().ShouldBe($"/api/v1/dues/payments/{first.Id()}");
        await using (var db = app.OpenDb())
            (await db.DuesPayments.CountAsync(p => p.MemberId == m.Id)).ShouldBe(1);

        var other = await (await community.SendAsync(Post(new { memberId = m.Id, months = 2, method = "Cash" }))).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        other.GetProperty("title").GetString().ShouldBe("幂等键已用于另一请求");
        await using (var db = app.OpenDb())
            (await db.DuesPayments.CountAsync(p => p.MemberId == m.Id)).ShouldBe(1);

        // Without a key a second request is a second payment: it continues with the next month.
        var next = await community.PostJsonAsync("/api/v1/dues/payments", new { memberId = m.Id, months = 1, method = "Cash" }, HttpStatusCode.Created);
        next.GetProperty("fromMonth").GetString().ShouldBe(Month(ThisMonth));
    }

    [Fact]
    public async Task A_payment_or_base_for_a_member_outside_scope_is_404_and_writes_nothing()
    {
        var community = await app.LoginAsync("demo-community");
        var outsider = await MemberOfAnotherStreetAsync();
        int payments, bases;
        await using (var db = app.OpenDb()) (payments, bases) = (await db.DuesPayments.CountAsync(), await db.DuesBases.CountAsync());
        await (await community.PostAsJsonAsync("/api/v1/dues/payments", new { memberId = outsider.Id, months = 1, method = "Cash" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await community.PutAsJsonAsync($"/api/v1/members/{outsider.Id}/dues-base", new { category = "Student", effectiveMonth = Month(ThisMonth) })).ProblemAsync(HttpStatusCode.NotFound);
        await (await community.GetAsync($"/api/v1/members/{outsider.Id}/dues")).ProblemAsync(HttpStatusCode.NotFound);
        await (await community.GetAsync($"/api/v1/orgs/{outsider.OrganizationId}/dues-ledger?month={Month(ThisMonth)}")).ProblemAsync(HttpStatusCode.NotFound);
        await using (var db = app.OpenDb())
            (await db.DuesPayments.CountAsync(), await db.DuesBases.CountAsync()).ShouldBe((payments, bases));
    }

    [Fact]
    public async Task A_repeated_payment_callback_is_recorded_once()
    {
        var community = await app.LoginAsync("demo-community");
        var branch = await NewBranchAsync(community, "在线支付测试网格党支部");
        var m = await app.AddMemberAsync(branch, "在线支付测试甲", new DateOnly(2015, 6, 1));
        await community.PutJsonAsync($"/api/v1/members/{m.Id}/dues-base", new { category = "Employed", monthlyBase = 12000m, effectiveMonth = Month(ThisMonth.AddMonths(-2)) });
        var order = await community.PostJsonAsync("/api/v1/dues/payments", new { memberId = m.Id, months = 2, method = "Online" }, HttpStatusCode.Created);
        order.GetProperty("status").GetString().ShouldBe("Pending");
        var orderId = order.GetProperty("payUrl").GetString()!.Split('/')[^1];
        // While the order is open, no second payment can take the same months.
        (await (await community.PostAsJsonAsync("/api/v1/dues/payments", new { memberId = m.Id, months = 1, method = "Cash" })).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("memberId").ShouldStartWith("该党员有一笔在线缴费尚未完成");

        var provider = app.Services.GetRequiredService<FakePaymentProvider>();
        var callback = provider.Callback(orderId, 48000, app.Time.GetUtcNow());
        var anonymous = app.CreateClient();
        var forged = callback with { Signature = new string('0', 64) };
        (await (await anonymous.PostAsJsonAsync("/api/v1/dues/callbacks/fake", forged)).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("signature").ShouldBe("支付结果通知的签名无效");
        var first = await anonymous.PostJsonAsync("/api/v1/dues/callbacks/fake", callback);
        first.GetProperty("alreadyRecorded").GetBoolean().ShouldBeFalse();
        var second = await anonymous.PostJsonAsync("/api/v1/dues/callbacks/fake", callback);
        second.GetProperty("alreadyRecorded").GetBoolean().ShouldBeTrue();
        // Two at once: still once.
        var racing = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => anonymous.PostAsJsonAsync("/api/v1/dues/callbacks/fake", callback)));
        racing.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);

        await using var db = app.OpenDb();
        var payment = await db.DuesPayments.SingleAsync(p => p.MemberId == m.Id);
        payment.Status.ShouldBe(DuesPaymentStatus.Paid);
        (await db.DuesPaymentMonths.CountAsync(p => p.MemberId == m.Id)).ShouldBe(2);
        (await db.AuditEntries.CountAsync(a => a.Action == "dues.payment.paid" && a.EntityId == payment.Id.ToString())).ShouldBe(1);
        var dues = await community.GetJsonAsync($"/api/v1/members/{m.Id}/dues");
        dues.GetProperty("paidThrough").GetString().ShouldBe(Month(ThisMonth.AddMonths(-1)));
    }

    [Fact]
    public async Task Arrears_alert_at_three_months_escalates_at_five_and_clears_when_paid()
    {
        var community = await app.LoginAsync("demo-community");
        var system = await app.LoginAsync("demo-sysadmin");
        var branch = await NewBranchAsync(community, "欠交测试网格党支部");
        var m = await app.AddMemberAsync(branch, "欠交测试甲", new DateOnly(2008, 4, 1));
        await community.PutJsonAsync($"/api/v1/members/{m.Id}/dues-base", new { category = "Employed", monthlyBase = 4000m, effectiveMonth = Month(ThisMonth.AddMonths(-3)) });

        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        var warning = await ArrearsAlertAsync(community, branch, m.Id);
        warning.GetProperty("severity").GetString().ShouldBe("Warning");
        warning.GetProperty("message").GetString().ShouldBe("党员欠交测试甲尚未交纳党费，已3个月未交纳党费，请支部及时提醒并了解情况");
        var arrears = await community.GetJsonAsync($"/api/v1/dues/arrears?orgId={branch}");
        arrears.GetProperty("items").EnumerateArray().Select(r => (r.GetProperty("name").GetString(), r.GetProperty("monthsInArrears").GetInt32(), Money(r, "arrearsAmount")))
            .ShouldBe([("欠交测试甲", 3, 120.00m)]);

        // Two more months unpaid (the base was in effect earlier than recorded): escalated.
        await using (var db = app.OpenDb())
            await db.DuesBases.Where(b => b.MemberId == m.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.EffectiveMonth, ThisMonth.AddMonths(-5)));
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        var critical = await ArrearsAlertAsync(community, branch, m.Id);
        critical.GetProperty("severity").GetString().ShouldBe("Critical");
        critical.GetProperty("message").GetString()!.ShouldContain("已连续5个月未交纳党费；按党章规定，连续6个月不交纳党费且无正当理由的，按自行脱党处理");
        critical.GetProperty("dueOn").GetString().ShouldBe(ThisMonth.AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd"));

        // Paid up: the next evaluation resolves it.
        await community.PostJsonAsync("/api/v1/dues/payments", new { memberId = m.Id, months = 5, method = "Cash" }, HttpStatusCode.Created);
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        (await community.GetJsonAsync($"/api/v1/alerts?orgId={branch}")).GetProperty("items").EnumerateArray()
            .ShouldNotContain(a => a.GetProperty("ruleCode").GetString() == "dues.arrears");
        (await community.GetJsonAsync($"/api/v1/dues/arrears?orgId={branch}")).GetProperty("total").GetInt32().ShouldBe(0);
    }

    private static async Task<JsonElement> ArrearsAlertAsync(HttpClient client, Guid orgId, Guid memberId)
    {
        var alerts = await client.GetJsonAsync($"/api/v1/alerts?orgId={orgId}");
        return alerts.GetProperty("items").EnumerateArray()
            .Single(a => a.GetProperty("ruleCode").GetString() == "dues.arrears" && a.GetProperty("subjectId").GetString() == memberId.ToString());
    }

    [Fact]
    public async Task The_member_pays_online_and_sees_the_paid_through_month()
    {
        var member = await app.LoginAsync("demo-member");
        var mine = await member.GetJsonAsync("/api/v1/me/dues");
        mine.GetProperty("monthlyAmount").GetDecimal().ShouldBeGreaterThan(0m);
        var before = mine.GetProperty("paidThrough").GetString();
        var order = await member.PostJsonAsync("/api/v1/me/dues/payments", new { months = 1 });
        order.GetProperty("fromMonth").GetString().ShouldBe(mine.GetProperty("nextMonth").GetString());
        var orderId = order.GetProperty("payUrl").GetString()!.Split('/')[^1];
        var provider = app.Services.GetRequiredService<FakePaymentProvider>();
        await app.CreateClient().PostJsonAsync("/api/v1/dues/callbacks/fake", provider.Callback(orderId, DuesRule.ToFen(Money(order, "total")), app.Time.GetUtcNow()));
        var after = await member.GetJsonAsync("/api/v1/me/dues");
        after.GetProperty("paidThrough").GetString().ShouldBe(order.GetProperty("fromMonth").GetString());
        after.GetProperty("paidThrough").GetString().ShouldNotBe(before);
        // A member has no staff API.
        (await member.PostAsJsonAsync("/api/v1/dues/payments", new { memberId = Guid.NewGuid(), months = 1, method = "Cash" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
