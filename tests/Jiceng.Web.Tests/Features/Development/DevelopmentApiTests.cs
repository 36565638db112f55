using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jiceng.Domain.Development;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Domain.Security;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Tests.Features.Development;

public sealed class DevelopmentApiTests_Sqlite(SqliteApp app) : DevelopmentApiTests(app), IClassFixture<SqliteApp>;

public sealed class DevelopmentApiTests_Postgres(PostgresApp app) : DevelopmentApiTests(app), IClassFixture<PostgresApp>;

public abstract class DevelopmentApiTests(JicengApp app)
{
    private static DateOnly Today => DevelopmentTestData.Today;

    // A region code of its own, so the ID numbers never meet those of the other development tests.
    private static string NewIdNumber(DateOnly birth) => DevelopmentTestData.NewIdNumber("330111", birth);

    private Task<Guid> BranchAsync(HttpClient client) => DevelopmentTestData.BranchAsync(app, client);

    private static async Task<JsonElement> ApplyAsync(HttpClient client, Guid branch, DateOnly appliedOn, string name = "林晓岚")
    {
        var birth = appliedOn.AddYears(-25);
        return await client.PostJsonAsync("/api/v1/development", new
        {
            name, idNumber = NewIdNumber(birth), phone = "13900001234", occupation = "Employed", education = "Bachelor",
            workUnit = "云湖区第一中学", organizationId = branch, appliedOn,
        }, HttpStatusCode.Created);
    }

    private static Task<HttpResponseMessage> StepAsync(HttpClient client, Guid id, object step) =>
        client.PostAsJsonAsync($"/api/v1/development/{id}/steps", step);

    private static async Task<JsonElement> OkStepAsync(HttpClient client, Guid id, object step) =>
        await (await StepAsync(client, id, step)).JsonAsync(HttpStatusCode.OK);

    private static string State(JsonElement detail, int number) =>
        detail.GetProperty("timeline")[number - 1].GetProperty("state").GetString()!;

    [Fact]
    public async Task The_whole_procedure_lands_a_full_member_in_the_registry_with_the_vote_as_joining_date()
    {
        var client = await app.LoginAsync("demo-community");
        var branch = await BranchAsync(client);
        var applied = new DateOnly(2022, 3, 7);
        var record = await ApplyAsync(client, branch, applied);
        var id = record.Id();
        record.GetProperty("stage").GetString().ShouldBe("Applicant");
        State(record, 1).ShouldBe("done");
        State(record, 3).ShouldBe("blocked");

        var people = (await client.GetJsonAsync($"/api/v1/development/{id}/people")).EnumerateArray().Select(p => p.Id()).ToList();
        people.Count.ShouldBeGreaterThanOrEqualTo(2);
        var activist = applied.AddDays(30);
        var candidate = activist.AddYears(1).AddDays(7);
        var vote = candidate.AddMonths(4);
        var end = vote.AddYears(1);
        await OkStepAsync(client, id, new { kind = "ApplicationTalk", occurredOn = applied.AddDays(20), actor = "组织委员", documents = "谈话记录" });
        await OkStepAsync(client, id, new { kind = "ActivistDetermination", occurredOn = activist, decision = "Approved", method = "党员推荐", actor = "支部委员会" });
        await OkStepAsync(client, id, new { kind = "ActivistFiling", occurredOn = activist.AddDays(3) });
        await OkStepAsync(client, id, new { kind = "MentorAssignment", occurredOn = activist.AddDays(3), personIds = people.Take(1) });
        await OkStepAsync(client, id, new { kind = "ActivistAssessment", occurredOn = activist.AddMonths(6) });
        var asActivist = await OkStepAsync(client, id, new { kind = "ActivistAssessment", occurredOn = activist.AddMonths(12) });
        asActivist.GetProperty("stage").GetString().ShouldBe("Activist");
        await OkStepAsync(client, id, new
        {
            kind = "CandidateDetermination", occurredOn = candidate, decision = "Approved", noticeFrom = candidate.AddDays(-10), noticeTo = candidate.AddDays(-1),
        });
        await OkStepAsync(client, id, new { kind = "CandidateFiling", occurredOn = candidate.AddDays(2) });
        await OkStepAsync(client, id, new { kind = "SponsorAssignment", occurredOn = candidate.AddDays(2), personIds = people.Take(2) });
        await OkStepAsync(client, id, new { kind = "PoliticalReview", occurredOn = candidate.AddDays(20), decision = "Approved", documents = "政审报告" });
        await OkStepAsync(client, id, new { kind = "CentralizedTraining", occurredOn = candidate.AddDays(30), trainingHours = 24 });
        await OkStepAsync(client, id, new { kind = "CommitteeReview", occurredOn = candidate.AddMonths(2), decision = "Approved" });
        await OkStepAsync(client, id, new { kind = "PreReview", occurredOn = candidate.AddMonths(3), decision = "Approved" });
        await OkStepAsync(client, id, new { kind = "ApplicationForm", occurredOn = candidate.AddMonths(3).AddDays(5) });
        // "For" equal to exactly half of those entitled: recorded, but not passed, so the next step stays closed.
        var lost = await OkStepAsync(client, id, new { kind = "AdmissionVote", occurredOn = vote.AddDays(-7), entitled = 8, attending = 7, votesFor = 4, votesAgainst = 3 });
        lost.GetProperty("timeline")[14].GetProperty("entries")[0].GetProperty("decision").GetString().ShouldBe("Rejected");
        State(lost, 16).ShouldBe("blocked");
        await OkStepAsync(client, id, new { kind = "AdmissionVote", occurredOn = vote, entitled = 8, attending = 7, votesFor = 6, votesAgainst = 1 });
        await OkStepAsync(client, id, new { kind = "CommitteeTalk", occurredOn = vote.AddDays(10), actor = "街道党工委组织员" });
        var admitted = await OkStepAsync(client, id, new { kind = "AdmissionApproval", occurredOn = vote.AddDays(30), decision = "Approved", actor = "街道党工委" });
        admitted.GetProperty("stage").GetString().ShouldBe("Probationary");
        var memberId = admitted.GetProperty("memberId").GetGuid();
        admitted.GetProperty("probationEndsOn").GetString().ShouldBe(end.ToString("yyyy-MM-dd"));

        await using (var db = app.OpenDb())
        {
            var m = await db.Members.SingleAsync(x => x.Id == memberId);
            m.State.ShouldBe(MemberState.Probationary);
            m.JoinedOn.ShouldBe(vote);
            m.OrganizationId.ShouldBe(branch);
            m.IdNumberMasked.ShouldStartWith("330111");
            (await db.AuditEntries.CountAsync(a => a.Action == "development.admit" && a.EntityId == memberId.ToString())).ShouldBe(1);
        }
        var registry = await client.GetJsonAsync($"/api/v1/members/{memberId}");
        registry.GetProperty("stateName").GetString().ShouldBe("预备党员");

        await OkStepAsync(client, id, new { kind = "AdmissionFiling", occurredOn = vote.AddDays(40) });
        await OkStepAsync(client, id, new { kind = "GroupPlacement", occurredOn = vote.AddDays(40) });
        await OkStepAsync(client, id, new { kind = "Oath", occurredOn = vote.AddDays(45) });
        await OkStepAsync(client, id, new { kind = "ProbationAssessment", occurredOn = vote.AddMonths(6) });
        await OkStepAsync(client, id, new { kind = "ConfirmationApplication", occurredOn = end.AddDays(-7), documents = "转正申请书" });
        await OkStepAsync(client, id, new { kind = "ConfirmationVote", occurredOn = end, decision = "Approved", entitled = 9, attending = 8, votesFor = 8 });
        var full = await OkStepAsync(client, id, new { kind = "ConfirmationApproval", occurredOn = end.AddDays(20), decision = "Approved" });
        full.GetProperty("stage").GetString().ShouldBe("Full");
        var done = await OkStepAsync(client, id, new { kind = "Archiving", occurredOn = end.AddDays(25) });
        done.GetProperty("status").GetString().ShouldBe("Completed");
        done.GetProperty("timeline").EnumerateArray().ShouldAllBe(t => t.GetProperty("state").GetString() == "done");
        (await client.GetJsonAsync($"/api/v1/development/{id}/check")).GetProperty("violations").GetArrayLength().ShouldBe(0);

        await using (var db = app.OpenDb())
        {
            var m = await db.Members.SingleAsync(x => x.Id == memberId);
            m.State.ShouldBe(MemberState.Full);
            m.JoinedOn.ShouldBe(vote);
            m.FullMemberOn.ShouldBe(end);
            (await db.AuditEntries.CountAsync(a => a.Action == "development.confirm" && a.EntityId == memberId.ToString())).ShouldBe(1);
        }
        // The same person cannot apply again: they are in the registry now.
        var again = await client.PostAsJsonAsync("/api/v1/development", new { name = "林晓岚", idNumber = "", organizationId = branch });
        await again.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_step_out_of_order_is_refused_in_Chinese_naming_the_rule_and_changes_nothing()
    {
        var client = await app.LoginAsync("demo-community");
        var branch = await BranchAsync(client);
        var id = (await ApplyAsync(client, branch, Today.AddDays(-3), "许文博")).Id();
        int steps;
        long audit;
        await using (var db = app.OpenDb()) (steps, audit) = (await db.DevelopmentSteps.CountAsync(), await db.AuditEntries.LongCountAsync());

        var response = await StepAsync(client, id, new { kind = "CandidateDetermination", occurredOn = Today, decision = "Approved" });
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("title").GetString().ShouldBe("不符合发展党员工作程序");
        problem.FieldError("kind").ShouldContain("须先完成第2步“党组织派人谈话”");
        problem.FieldError("kind").ShouldContain("《中国共产党发展党员工作细则》");
        var rule = problem.GetProperty("rules")[0];
        rule.GetProperty("code").GetString().ShouldBe(DevelopmentRules.StepOrder.Code);
        rule.GetProperty("article").GetString().ShouldNotBeNullOrEmpty();

        // Under 18 on the application date: refused with the age article.
        var young = await client.PostAsJsonAsync("/api/v1/development", new
        {
            name = "少年", idNumber = NewIdNumber(Today.AddYears(-17)), occupation = "Student", organizationId = branch, appliedOn = Today,
        });
        var youngProblem = await young.ProblemAsync(HttpStatusCode.BadRequest);
        youngProblem.FieldError("appliedOn").ShouldContain("第五条");

        await using (var db = app.OpenDb())
        {
            (await db.DevelopmentSteps.CountAsync()).ShouldBe(steps);
            (await db.AuditEntries.LongCountAsync()).ShouldBe(audit);
        }
    }

    [Fact]
    public async Task A_missed_talk_raises_an_alert_that_clears_when_the_talk_is_recorded()
    {
        var client = await app.LoginAsync("demo-community");
        var system = await app.LoginAsync("demo-sysadmin");
        var branch = await BranchAsync(client);
        var applied = Today.AddDays(-40);
        var id = (await ApplyAsync(client, branch, applied, "邵一鸣")).Id();
        var detail = await client.GetJsonAsync($"/api/v1/development/{id}");
        State(detail, 2).ShouldBe("overdue");

        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        var alerts = await client.GetJsonAsync($"/api/v1/alerts?orgId={branch}&pageSize=200");
        var alert = alerts.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("subjectId").GetString() == id.ToString());
        alert.GetProperty("ruleCode").GetString().ShouldBe(DevelopmentRules.TalkWithinOneMonth.Code);
        alert.GetProperty("severity").GetString().ShouldBe("Critical");
        alert.GetProperty("message").GetString()!.ShouldContain("邵一鸣");
        (await client.GetJsonAsync($"/api/v1/development/{id}/check")).GetProperty("violations")[0].GetProperty("code").GetString()
            .ShouldBe(DevelopmentRules.TalkWithinOneMonth.Code);

        // The talk was held late: recorded, the alert clears, and the procedure check keeps the late talk on record.
        await OkStepAsync(client, id, new { kind = "ApplicationTalk", occurredOn = Today, actor = "支部书记" });
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        (await client.GetJsonAsync($"/api/v1/alerts?orgId={branch}&pageSize=200")).GetProperty("items").EnumerateArray()
            .ShouldNotContain(a => a.GetProperty("subjectId").GetString() == id.ToString());
        var check = await client.GetJsonAsync($"/api/v1/development/{id}/check");
        check.GetProperty("violations").EnumerateArray().ShouldContain(v => v.GetProperty("message").GetString()!.Contains("实际"));

        // A fresh application is due soon, not overdue: a warning.
        var soon = (await ApplyAsync(client, branch, Today.AddMonths(-1).AddDays(5), "乔语桐")).Id();
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        (await client.GetJsonAsync($"/api/v1/alerts?orgId={branch}&pageSize=200")).GetProperty("items").EnumerateArray()
            .Single(a => a.GetProperty("subjectId").GetString() == soon.ToString()).GetProperty("severity").GetString().ShouldBe("Warning");
    }

    [Fact]
    public async Task Records_outside_the_scope_answer_404()
    {
        var client = await app.LoginAsync("demo-community");
        var community = (await client.GetJsonAsync("/api/v1/auth/me")).GetProperty("scopes")[0].GetProperty("organizationId").GetGuid();
        Guid other, otherOrg;
        await using (var db = app.OpenDb())
        {
            var path = await db.Organizations.Where(o => o.Id == community).Select(o => o.Path).SingleAsync();
            var r = await db.DevelopmentRecords.Where(x => !x.Organization!.Path.StartsWith(path)).OrderBy(x => x.Id).FirstAsync();
            (other, otherOrg) = (r.Id, r.OrganizationId);
        }
        await (await client.GetAsync($"/api/v1/development/{other}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/development/{other}/check")).ProblemAsync(HttpStatusCode.NotFound);
        await (await StepAsync(client, other, new { kind = "ActivistAssessment", occurredOn = Today })).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/orgs/{otherOrg}/development-check")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/development?orgId={otherOrg}")).ProblemAsync(HttpStatusCode.NotFound);
        var apply = await client.PostAsJsonAsync("/api/v1/development", new
        {
            name = "越界", idNumber = NewIdNumber(new DateOnly(1995, 1, 1)), occupation = "Employed", organizationId = otherOrg, appliedOn = Today,
        });
        (await apply.ProblemAsync(HttpStatusCode.BadRequest)).FieldError("organizationId").ShouldBe("党组织不存在");
        // A grid worker reads but does not record.
        var grid = await app.LoginAsync("demo-grid");
        (await grid.PostAsJsonAsync($"/api/v1/development/{other}/steps", new { kind = "ActivistAssessment", occurredOn = Today })).StatusCode
            .ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_board_counts_stages_from_the_records_and_the_organization_check_finds_the_missed_deadlines()
    {
        var street = await app.LoginAsync("demo-street");
        var streetId = (await street.GetJsonAsync("/api/v1/auth/me")).GetProperty("scopes")[0].GetProperty("organizationId").GetGuid();
        var board = await street.GetJsonAsync($"/api/v1/development?orgId={streetId}&pageSize=50");
        await using var db = app.OpenDb();
        var path = await db.Organizations.Where(o => o.Id == streetId).Select(o => o.Path).SingleAsync();
        var expected = await db.DevelopmentRecords.Where(r => r.Organization!.Path.StartsWith(path) && r.Status == DevelopmentStatus.Active)
            .GroupBy(r => r.Stage).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        foreach (var s in board.GetProperty("stages").EnumerateArray())
            s.GetProperty("count").GetInt32().ShouldBe(expected.GetValueOrDefault(Enum.Parse<DevelopmentStage>(s.GetProperty("stage").GetString()!)));
        expected.Keys.ShouldContain(DevelopmentStage.Activist);
        board.GetProperty("total").GetInt32().ShouldBe(expected.Values.Sum());
        // Records with a passed deadline come first.
        var items = board.GetProperty("items").EnumerateArray().ToList();
        items[0].GetProperty("urgency").GetString().ShouldBe("overdue");
        var dues = items.Select(i => i.GetProperty("nextDueOn").ValueKind == JsonValueKind.Null ? DateOnly.MaxValue : DateOnly.Parse(i.GetProperty("nextDueOn").GetString()!)).ToList();
        dues.ShouldBeInOrder();
        var activists = await street.GetJsonAsync($"/api/v1/development?orgId={streetId}&stage=Activist");
        activists.GetProperty("items").EnumerateArray().ShouldAllBe(i => i.GetProperty("stage").GetString() == "Activist");

        var check = await street.GetJsonAsync($"/api/v1/orgs/{streetId}/development-check");
        check.GetProperty("records").GetInt32().ShouldBeGreaterThan(0);
        var violations = check.GetProperty("findings").EnumerateArray().SelectMany(f => f.GetProperty("violations").EnumerateArray()).ToList();
        violations.ShouldContain(v => v.GetProperty("code").GetString() == DevelopmentRules.TalkWithinOneMonth.Code);
        violations.ShouldAllBe(v => v.GetProperty("text").GetString()!.Contains("依据"));
    }
}
