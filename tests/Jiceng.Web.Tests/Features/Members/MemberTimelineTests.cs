using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jiceng.Domain.Members;
using Jiceng.Web.Tests.Features.MemberCare;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Tests.Features.Members;

public sealed class MemberTimelineTests_Sqlite(MemberCareSqliteApp app) : MemberTimelineTests(app), IClassFixture<MemberCareSqliteApp>;

public sealed class MemberTimelineTests_Postgres(MemberCarePostgresApp app) : MemberTimelineTests(app), IClassFixture<MemberCarePostgresApp>;

/// <summary>The member's timeline, assembled from the records; and a 劝退/除名 decision taking the member out of the registry.</summary>
public abstract class MemberTimelineTests(MemberCareApp app)
{
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string Month(DateOnly d) => d.ToString("yyyy-MM", CultureInfo.InvariantCulture);
    private DateOnly ThisMonth => new(app.Today.Year, app.Today.Month, 1);

    private async Task<(HttpClient Community, Guid Parent, Guid Branch)> BranchAsync(string name)
    {
        var community = await app.LoginAsync("demo-community");
        var parent = await app.OrgOfAsync("demo-community");
        var branch = (await community.PostJsonAsync("/api/v1/orgs", new { name, kind = "GridBranch", parentId = parent }, HttpStatusCode.Created)).Id();
        return (community, parent, branch);
    }

    private static List<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray().ToList();

    private static List<string> Kinds(JsonElement page) => Items(page).Select(e => e.GetProperty("kind").GetString()!).ToList();

    [Fact]
    public async Task The_timeline_shows_every_kind_of_record_newest_first_and_pages()
    {
        var (community, parent, branch) = await BranchAsync("时间线测试网格党支部");
        var target = (await community.PostJsonAsync("/api/v1/orgs", new { name = "时间线转入网格党支部", kind = "GridBranch", parentId = parent }, HttpStatusCode.Created)).Id();
        var m = await app.AddMemberAsync(branch, "时间线测试甲", new DateOnly(2010, 7, 1));
        var url = $"/api/v1/members/{m.Id}/timeline";

        // Only the member record so far: 入党 and 转正.
        var start = await community.GetJsonAsync(url);
        Kinds(start).ShouldBe(["member.full", "member.joined"]);
        Items(start)[1].GetProperty("date").GetString().ShouldBe("2010-07-01");

        await community.PutJsonAsync($"/api/v1/members/{m.Id}/dues-base", new { category = "Employed", monthlyBase = 4000m, effectiveMonth = Month(ThisMonth.AddMonths(-1)) });
        var pay = await community.PostJsonAsync("/api/v1/dues/payments", new { memberId = m.Id, months = 2, method = "Cash" }, HttpStatusCode.Created);
        await community.PostJsonAsync($"/api/v1/dues/payments/{pay.Id()}/refunds", new { months = 1, reason = "本月重复交纳", approvedBy = "支委会" });
        await community.PostJsonAsync("/api/v1/activities", new
        {
            organizationId = branch, kind = "ThemeDay", date = D(app.Today.AddDays(-2)), place = "社区党群服务中心", topic = "主题党日", host = "王书记",
            attendance = new[] { new { memberId = m.Id, status = "Present" } },
        }, HttpStatusCode.Created);
        await community.PostJsonAsync("/api/v1/mobile-members",
            new { memberId = m.Id, location = "广东省深圳市", since = D(app.Today.AddDays(-1)), contactPerson = "李联系人" }, HttpStatusCode.Created);
        await community.PostJsonAsync("/api/v1/transfers",
            new { kind = "Internal", memberId = m.Id, toOrganizationId = target, reason = "工作调动", paidThrough = Month(ThisMonth.AddMonths(-1)) }, HttpStatusCode.Created);

        var all = await community.GetJsonAsync($"{url}?pageSize=50");
        var kinds = Kinds(all);
        kinds.ShouldBe(["transfer.step", "mobile.start", "life.year", "dues.refund", "dues.payment", "dues.base", "member.full", "member.joined"], ignoreOrder: true);
        all.GetProperty("total").GetInt32().ShouldBe(8);
        all.GetProperty("totalIsLowerBound").GetBoolean().ShouldBeFalse();
        var dates = Items(all).Select(e => DateOnly.Parse(e.GetProperty("date").GetString()!, CultureInfo.InvariantCulture)).ToList();
        dates.ShouldBe(dates.OrderByDescending(d => d).ToList());
        var byKind = Items(all).ToDictionary(e => e.GetProperty("kind").GetString()!);
        byKind["transfer.step"].GetProperty("title").GetString().ShouldBe("组织关系转接：发起转接");
        byKind["transfer.step"].GetProperty("detail").GetString()!.ShouldContain("时间线测试网格党支部 → 时间线转入网格党支部");
        byKind["mobile.start"].GetProperty("title").GetString().ShouldBe("外出流动：广东省深圳市");
        byKind["life.year"].GetProperty("title").GetString().ShouldBe($"{app.Today.Year}年组织生活：参加1次，请假0次，缺席0次");
        byKind["dues.payment"].GetProperty("title").GetString()!.ShouldStartWith("交纳党费：");
        byKind["dues.payment"].GetProperty("detail").GetString().ShouldBe("现金 80.00元");
        byKind["dues.refund"].GetProperty("detail").GetString().ShouldBe("40.00元；支委会批准；本月重复交纳");
        byKind["dues.base"].GetProperty("title").GetString().ShouldBe("党费基数：在职，每月40.00元");

        // Pages of 3 cover the same events, in the same order.
        var pages = new List<string>();
        for (var p = 1; p <= 3; p++)
        {
            var page = await community.GetJsonAsync($"{url}?page={p}&pageSize=3");
            page.GetProperty("total").GetInt32().ShouldBe(8);
            pages.AddRange(Kinds(page));
        }
        pages.ShouldBe(kinds);
        (await (await community.GetAsync($"{url}?pageSize=0")).ProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateObject().ShouldNotBeEmpty();
    }

    [Fact]
    public async Task The_timeline_of_a_member_outside_scope_is_404()
    {
        var community = await app.LoginAsync("demo-community");
        var street = await app.OrgOfAsync("demo-street");
        Guid outsider;
        await using (var db = app.OpenDb())
        {
            var path = await db.Organizations.Where(o => o.Id == street).Select(o => o.Path).SingleAsync();
            outsider = await db.Members.Where(m => !m.Organization!.Path.StartsWith(path)).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync();
        }
        await (await community.GetAsync($"/api/v1/members/{outsider}/timeline")).ProblemAsync(HttpStatusCode.NotFound);
        await (await community.GetAsync($"/api/v1/members/{Guid.NewGuid()}/timeline")).ProblemAsync(HttpStatusCode.NotFound);
        // The district sees the same member's timeline.
        var district = await app.LoginAsync("demo-district");
        Kinds(await district.GetJsonAsync($"/api/v1/members/{outsider}/timeline?pageSize=200")).ShouldContain("member.joined");
    }

    [Fact]
    public async Task Removal_takes_the_member_out_of_the_registry_and_dues_and_correction_keeps_the_member()
    {
        var (community, _, branch) = await BranchAsync("出党测试网格党支部");
        var removed = await app.AddMemberAsync(branch, "出党测试甲", new DateOnly(2008, 7, 1));
        var corrected = await app.AddMemberAsync(branch, "出党测试乙", new DateOnly(2009, 7, 1));
        foreach (var m in new[] { removed, corrected })
            await community.PutJsonAsync($"/api/v1/members/{m.Id}/dues-base", new { category = "Employed", monthlyBase = 4000m, effectiveMonth = Month(ThisMonth.AddMonths(-3)) });
        await community.PutJsonAsync($"/api/v1/orgs/{branch}/committee",
            new { from = D(app.Today.AddMonths(-1)), seats = new[] { new { memberId = removed.Id, position = "Secretary" } } }, HttpStatusCode.OK);
        await community.PostJsonAsync("/api/v1/mobile-members",
            new { memberId = removed.Id, location = "浙江省杭州市", since = D(app.Today.AddDays(-5)), contactPerson = "张联系人" }, HttpStatusCode.Created);
        var arrearsBefore = Items(await community.GetJsonAsync($"/api/v1/dues/arrears?orgId={branch}")).Select(r => r.GetProperty("memberId").GetGuid()).ToList();
        arrearsBefore.ShouldBe([removed.Id, corrected.Id], ignoreOrder: true);

        var round = (await community.PostJsonAsync("/api/v1/appraisals", new { organizationId = branch, year = app.Today.Year }, HttpStatusCode.Created)).Id();
        var submitted = await community.PutJsonAsync($"/api/v1/appraisals/{round}/grades", new
        {
            grades = new object[]
            {
                new { memberId = removed.Id, grade = "Unqualified", reason = "长期不参加组织生活" },
                new { memberId = corrected.Id, grade = "Unqualified", reason = "不按时交纳党费" },
            },
            submit = true,
        });
        var followUps = submitted.GetProperty("followUps").EnumerateArray().ToDictionary(f => f.GetProperty("memberId").GetGuid(), f => f.Id());
        var today = D(app.Today);

        // Without the approval above nothing changes.
        await (await community.PostAsJsonAsync($"/api/v1/appraisals/follow-ups/{followUps[removed.Id]}/close",
            new { outcome = "Removed", decidedOn = today, decidedBy = "支部大会" })).ProblemAsync(HttpStatusCode.BadRequest);
        (await community.GetJsonAsync($"/api/v1/members/{removed.Id}")).GetProperty("status").GetString().ShouldBe("Mobile");

        await community.PostJsonAsync($"/api/v1/appraisals/follow-ups/{followUps[removed.Id]}/close",
            new { outcome = "Removed", decidedOn = today, decidedBy = "支部大会", approvedBy = "社区党委" });
        await community.PostJsonAsync($"/api/v1/appraisals/follow-ups/{followUps[corrected.Id]}/close",
            new { outcome = "Corrected", decidedOn = today, decidedBy = "支部大会" });

        var left = await community.GetJsonAsync($"/api/v1/members/{removed.Id}");
        (left.GetProperty("status").GetString(), left.GetProperty("statusName").GetString()).ShouldBe(("LeftParty", "出党"));
        (await community.GetJsonAsync($"/api/v1/members/{corrected.Id}")).GetProperty("status").GetString().ShouldBe("Normal");

        // No longer owing dues: off the arrears list, no payment taken; the corrected member still owes.
        Items(await community.GetJsonAsync($"/api/v1/dues/arrears?orgId={branch}")).Select(r => r.GetProperty("memberId").GetGuid()).ShouldBe([corrected.Id]);
        (await (await community.PostAsJsonAsync("/api/v1/dues/payments", new { memberId = removed.Id, months = 1, method = "Cash" })).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("memberId").ShouldBe("该党员当前状态不需交纳党费");
        // Off the branch's roll: a new appraisal round of next year would not list them; the registry counts follow the status filter.
        Items(await community.GetJsonAsync($"/api/v1/members?orgId={branch}&status=LeftParty")).Select(r => r.Id()).ShouldBe([removed.Id]);

        await using (var db = app.OpenDb())
        {
            (await db.AuditEntries.CountAsync(a => a.Action == "member.leave" && a.EntityId == removed.Id.ToString())).ShouldBe(1);
            (await db.AuditEntries.CountAsync(a => a.Action == "member.leave" && a.EntityId == corrected.Id.ToString())).ShouldBe(0);
            (await db.MobileRegistrations.SingleAsync(r => r.MemberId == removed.Id)).EndedOn.ShouldBe(app.Today);
            (await db.CommitteeSeats.Where(s => s.MemberId == removed.Id).Select(s => s.Until).SingleAsync()).ShouldBe(app.Today);
        }

        // 出党 is neither undone nor set through the member record.
        object Edit(Member m, string status) => new
        {
            name = m.Name, gender = "Female", occupation = "Employed", state = "Full", joinedOn = D(m.JoinedOn), fullMemberOn = D(m.FullMemberOn!.Value),
            organizationId = branch, status,
        };
        (await (await community.PutAsJsonAsync($"/api/v1/members/{removed.Id}", Edit(removed, "Normal"))).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("status").ShouldBe("该党员已出党（劝其退党或除名），状态不能修改；重新入党须按发展党员程序办理");
        (await (await community.PutAsJsonAsync($"/api/v1/members/{corrected.Id}", Edit(corrected, "LeftParty"))).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("status").ShouldBe("“出党”状态由不合格党员的处置（劝其退党、除名）产生，不能直接设置");
        (await community.PutJsonAsync($"/api/v1/members/{removed.Id}", Edit(removed, "LeftParty"))).GetProperty("status").GetString().ShouldBe("LeftParty");

        // The timeline shows the grade and the decision.
        var timeline = Items(await community.GetJsonAsync($"/api/v1/members/{removed.Id}/timeline?pageSize=50"));
        var leave = timeline.Single(e => e.GetProperty("kind").GetString() == "member.left");
        leave.GetProperty("title").GetString().ShouldBe("不合格党员处置：除名（出党）");
        leave.GetProperty("detail").GetString().ShouldBe("支部大会决定；社区党委批准");
        timeline.Single(e => e.GetProperty("kind").GetString() == "appraisal.grade").GetProperty("title").GetString().ShouldBe($"{app.Today.Year}年度民主评议：不合格");
        Items(await community.GetJsonAsync($"/api/v1/members/{corrected.Id}/timeline?pageSize=50"))
            .Single(e => e.GetProperty("kind").GetString() == "appraisal.follow-up").GetProperty("title").GetString().ShouldBe("不合格党员处置：限期改正后合格");
    }
}
