using System.Net;
using System.Net.Http.Json;
using Jiceng.Web.Tests.Features.MemberCare;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Tests.Features.OrganizationalLife;

public sealed class FollowUpCloseTests_Sqlite(MemberCareSqliteApp app) : FollowUpCloseTests(app), IClassFixture<MemberCareSqliteApp>;

public sealed class FollowUpCloseTests_Postgres(MemberCarePostgresApp app) : FollowUpCloseTests(app), IClassFixture<MemberCarePostgresApp>;

/// <summary>Closing the follow-up a 不合格 grade starts (党章 第九条: 限期改正, 劝其退党, 除名).</summary>
public abstract class FollowUpCloseTests(MemberCareApp app)
{
    [Fact]
    public async Task A_follow_up_closes_with_the_decision_and_removal_needs_approval_above()
    {
        var community = await app.LoginAsync("demo-community");
        var parent = await app.OrgOfAsync("demo-community");
        var branch = (await community.PostJsonAsync("/api/v1/orgs", new { name = "处置测试网格党支部", kind = "GridBranch", parentId = parent }, HttpStatusCode.Created)).Id();
        var a = await app.AddMemberAsync(branch, "处置测试甲", new DateOnly(2006, 7, 1));
        var b = await app.AddMemberAsync(branch, "处置测试乙", new DateOnly(2007, 7, 1));
        var round = (await community.PostJsonAsync("/api/v1/appraisals", new { organizationId = branch, year = app.Today.Year }, HttpStatusCode.Created)).Id();
        var submitted = await community.PutJsonAsync($"/api/v1/appraisals/{round}/grades", new
        {
            grades = new object[] { new { memberId = a.Id, grade = "Unqualified", reason = "长期不参加组织生活" }, new { memberId = b.Id, grade = "Unqualified", reason = "不履行党员义务" } },
            submit = true,
        });
        var followUps = submitted.GetProperty("followUps").EnumerateArray().ToDictionary(f => f.GetProperty("memberId").GetGuid(), f => f.Id());
        var today = app.Today.ToString("yyyy-MM-dd");

        var empty = await (await community.PostAsJsonAsync($"/api/v1/appraisals/follow-ups/{followUps[a.Id]}/close", new { })).ProblemAsync(HttpStatusCode.BadRequest);
        empty.FieldError("outcome").ShouldBe("请选择处置结果（限期改正后合格、劝其退党或除名）");
        empty.FieldError("decidedOn").ShouldBe("请填写决定日期");
        empty.FieldError("decidedBy").ShouldBe("请填写作出决定的组织（如支部大会）");
        var future = await (await community.PostAsJsonAsync($"/api/v1/appraisals/follow-ups/{followUps[a.Id]}/close",
            new { outcome = "Corrected", decidedOn = app.Today.AddDays(1).ToString("yyyy-MM-dd"), decidedBy = "支部大会" })).ProblemAsync(HttpStatusCode.BadRequest);
        future.FieldError("decidedOn").ShouldBe("决定日期不能晚于今天");
        var removal = await (await community.PostAsJsonAsync($"/api/v1/appraisals/follow-ups/{followUps[b.Id]}/close",
            new { outcome = "Removed", decidedOn = today, decidedBy = "支部大会" })).ProblemAsync(HttpStatusCode.BadRequest);
        removal.FieldError("approvedBy").ShouldBe("除名须经支部大会讨论决定并报上级党组织批准，请填写批准的上级党组织");

        var closed = await community.PostJsonAsync($"/api/v1/appraisals/follow-ups/{followUps[a.Id]}/close",
            new { outcome = "Corrected", decidedOn = today, decidedBy = "支部大会", note = "限期三个月改正，期满经支部大会评议合格" });
        var row = closed.GetProperty("followUps").EnumerateArray().Single(f => f.Id() == followUps[a.Id]);
        (row.GetProperty("status").GetString(), row.GetProperty("outcomeName").GetString(), row.GetProperty("decidedBy").GetString())
            .ShouldBe(("Closed", "限期改正后合格", "支部大会"));
        (await (await community.PostAsJsonAsync($"/api/v1/appraisals/follow-ups/{followUps[a.Id]}/close",
            new { outcome = "Removed", decidedOn = today, decidedBy = "支部大会", approvedBy = "街道党工委" })).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("outcome").ShouldBe("该不合格党员的处置已经办结");
        var advised = await community.PostJsonAsync($"/api/v1/appraisals/follow-ups/{followUps[b.Id]}/close",
            new { outcome = "AdvisedToLeave", decidedOn = today, decidedBy = "支部大会", approvedBy = "街道党工委" });
        advised.GetProperty("followUps").EnumerateArray().Single(f => f.Id() == followUps[b.Id]).GetProperty("approvedBy").GetString().ShouldBe("街道党工委");

        await using var db = app.OpenDb();
        (await db.AuditEntries.CountAsync(x => x.Action == "appraisal.follow-up.close" && (x.EntityId == followUps[a.Id].ToString() || x.EntityId == followUps[b.Id].ToString()))).ShouldBe(2);
    }

    [Fact]
    public async Task A_follow_up_outside_scope_is_404()
    {
        var community = await app.LoginAsync("demo-community");
        (await community.PostAsJsonAsync($"/api/v1/appraisals/follow-ups/{Guid.NewGuid()}/close", new { outcome = "Corrected" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
