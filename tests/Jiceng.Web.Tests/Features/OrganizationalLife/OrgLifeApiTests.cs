using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jiceng.Domain.Members;
using Jiceng.Web.Tests.Features.MemberCare;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Tests.Features.OrganizationalLife;

// The member-care fixture: the demo district on a clock fixed at 2026-12-20 (Asia/Shanghai), so the third quarter is
// closed and the fourth is still open.
public sealed class OrgLifeApiTests_Sqlite(MemberCareSqliteApp app) : OrgLifeApiTests(app), IClassFixture<MemberCareSqliteApp>;

public sealed class OrgLifeApiTests_Postgres(MemberCarePostgresApp app) : OrgLifeApiTests(app), IClassFixture<MemberCarePostgresApp>;

public abstract class OrgLifeApiTests(MemberCareApp app)
{
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd");

    /// <summary>A new grid branch under demo-community's community, set up on 1 July 2026, with members of its own.</summary>
    private async Task<(Guid Branch, List<Member> Members)> BranchAsync(HttpClient community, string name, int members, bool hasCommittee = true)
    {
        var parent = await app.OrgOfAsync("demo-community");
        var branch = (await community.PostJsonAsync("/api/v1/orgs", new { name, kind = "GridBranch", parentId = parent, establishedOn = "2026-07-01", hasCommittee },
            HttpStatusCode.Created)).Id();
        var list = new List<Member>();
        for (var i = 0; i < members; i++) list.Add(await app.AddMemberAsync(branch, $"{name[..2]}党员{(char)('甲' + i)}", new DateOnly(2005 + i, 7, 1)));
        return (branch, list);
    }

    private static object Activity(Guid org, string kind, DateOnly date, IEnumerable<(Guid Id, string Status)> attendance, string? lecturer = null, decimal? hours = null) => new
    {
        organizationId = org, kind, date = D(date), place = "社区党群服务中心", topic = "学习党的二十届四中全会精神", host = "王书记", lecturer, trainingHours = hours,
        minutes = "会议传达学习了有关精神，讨论了下季度工作。",
        attendance = attendance.Select(a => new { memberId = a.Id, status = a.Status, reason = a.Status == "Excused" ? "外出就医" : null }).ToArray(),
    };

    private static async Task<List<JsonElement>> OpenAlertsAsync(HttpClient client, Guid org, string rule) =>
        (await client.GetJsonAsync($"/api/v1/alerts?orgId={org}&pageSize=200")).GetProperty("items").EnumerateArray()
            .Where(a => a.GetProperty("ruleCode").GetString() == rule).ToList();

    [Fact]
    public async Task A_missed_quarter_raises_the_alert_and_recording_the_assembly_clears_it()
    {
        var community = await app.LoginAsync("demo-community");
        var system = await app.LoginAsync("demo-sysadmin");
        var (branch, members) = await BranchAsync(community, "季度测试网格党支部", 3);

        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        var missed = await OpenAlertsAsync(community, branch, "life.missed-activity");
        var assembly = missed.Single(a => a.GetProperty("message").GetString()!.Contains("支部党员大会"));
        assembly.GetProperty("message").GetString().ShouldBe("季度测试网格党支部2026年第3季度未开展支部党员大会（要求每年4次），请补充记录或按要求开展");
        assembly.GetProperty("dueOn").GetString().ShouldBe("2026-09-30");
        // Monthly theme days of July to November are missed too; December is still open.
        missed.Single(a => a.GetProperty("message").GetString()!.Contains("主题党日")).GetProperty("message").GetString()!
            .ShouldContain("2026年7月、2026年8月、2026年9月、2026年10月、2026年11月未开展主题党日");

        var calendar = await community.GetJsonAsync($"/api/v1/orgs/{branch}/activity-calendar?year=2026");
        string[] States(JsonElement cal) => cal.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("kind").GetString() == "BranchAssembly")
            .GetProperty("periods").EnumerateArray().Select(p => p.GetProperty("state").GetString()!).ToArray();
        States(calendar).ShouldBe(["NotDue", "NotDue", "Missed", "Due"]);

        // Recording the third-quarter assembly (one member excused, one absent) clears that alert at once.
        var created = await community.PostJsonAsync("/api/v1/activities",
            Activity(branch, "BranchAssembly", new DateOnly(2026, 8, 20), [(members[0].Id, "Present"), (members[1].Id, "Excused"), (members[2].Id, "Absent")]),
            HttpStatusCode.Created);
        created.GetProperty("presentCount").GetInt32().ShouldBe(1);
        created.GetProperty("excusedCount").GetInt32().ShouldBe(1);
        created.GetProperty("absentCount").GetInt32().ShouldBe(1);
        created.GetProperty("kindName").GetString().ShouldBe("支部党员大会");
        created.GetProperty("attendance").EnumerateArray().Single(a => a.GetProperty("status").GetString() == "Excused").GetProperty("reason").GetString().ShouldBe("外出就医");
        (await OpenAlertsAsync(community, branch, "life.missed-activity")).ShouldNotContain(a => a.GetProperty("message").GetString()!.Contains("支部党员大会"));
        (await OpenAlertsAsync(community, branch, "life.missed-activity")).ShouldContain(a => a.GetProperty("message").GetString()!.Contains("主题党日"));
        States(await community.GetJsonAsync($"/api/v1/orgs/{branch}/activity-calendar?year=2026")).ShouldBe(["NotDue", "NotDue", "Done", "Due"]);

        // The daily evaluation agrees.
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        (await OpenAlertsAsync(community, branch, "life.missed-activity")).ShouldNotContain(a => a.GetProperty("message").GetString()!.Contains("支部党员大会"));

        var list = await community.GetJsonAsync($"/api/v1/activities?orgId={branch}&kind=BranchAssembly&from=2026-07-01&to=2026-09-30");
        list.GetProperty("total").GetInt32().ShouldBe(1);
        list.GetProperty("items")[0].GetProperty("topic").GetString().ShouldBe("学习党的二十届四中全会精神");
    }

    [Fact]
    public async Task Out_of_scope_organizations_and_records_answer_404()
    {
        var community = await app.LoginAsync("demo-community");
        var street = await app.LoginAsync("demo-street");
        var (branch, members) = await BranchAsync(community, "范围测试网格党支部", 2);
        var created = await community.PostJsonAsync("/api/v1/activities",
            Activity(branch, "ThemeDay", new DateOnly(2026, 12, 1), [(members[0].Id, "Present"), (members[1].Id, "Present")]), HttpStatusCode.Created);

        // Another street's branch, seen from demo-community: 404 for writes and reads alike.
        await using var db = app.OpenDb();
        var communityPath = await db.Organizations.Where(o => o.Id == branch).Select(o => o.Path).SingleAsync();
        var streetId = await app.OrgOfAsync("demo-street");
        var streetPath = await db.Organizations.Where(o => o.Id == streetId).Select(o => o.Path).SingleAsync();
        var foreign = await db.Organizations.Where(o => o.Kind == Domain.Organizations.OrganizationKind.GridBranch && !o.Path.StartsWith(streetPath))
            .Select(o => o.Id).FirstAsync();
        var foreignMember = await db.Members.Where(m => m.OrganizationId == foreign && m.Status == MemberStatus.Normal).Select(m => m.Id).FirstOrDefaultAsync();
        var before = await db.Activities.CountAsync();

        await (await community.PostAsJsonAsync("/api/v1/activities", Activity(foreign, "ThemeDay", new DateOnly(2026, 12, 1), [(foreignMember, "Present")])))
            .ProblemAsync(HttpStatusCode.NotFound);
        await (await community.GetAsync($"/api/v1/orgs/{foreign}/activity-calendar?year=2026")).ProblemAsync(HttpStatusCode.NotFound);
        await (await community.GetAsync($"/api/v1/orgs/{foreign}/training-hours?year=2026")).ProblemAsync(HttpStatusCode.NotFound);
        await (await community.GetAsync($"/api/v1/activities?orgId={foreign}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await community.PostAsJsonAsync("/api/v1/appraisals", new { organizationId = foreign, year = 2026 })).ProblemAsync(HttpStatusCode.NotFound);
        await (await community.PutAsJsonAsync($"/api/v1/orgs/{foreign}/committee", new { seats = Array.Empty<object>() })).ProblemAsync(HttpStatusCode.NotFound);
        (await db.Activities.CountAsync()).ShouldBe(before);

        // A member of another organization cannot be put on the list.
        var problem = await (await community.PostAsJsonAsync("/api/v1/activities", Activity(branch, "ThemeDay", new DateOnly(2026, 12, 2), [(foreignMember, "Present")])))
            .ProblemAsync(HttpStatusCode.BadRequest);
        problem.FieldError("attendance[0].memberId").ShouldBe("该党员不是本组织的党员");

        // The street above sees the community's record; the grid worker of another grid does not get it through its id.
        (await street.GetJsonAsync($"/api/v1/activities/{created.Id()}")).GetProperty("organizationId").GetGuid().ShouldBe(branch);
        var grid = await app.LoginAsync("demo-grid");
        await (await grid.GetAsync($"/api/v1/activities/{created.Id()}")).ProblemAsync(HttpStatusCode.NotFound);
        communityPath.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Invalid_records_get_Chinese_field_errors_and_change_nothing()
    {
        var community = await app.LoginAsync("demo-community");
        var (branch, members) = await BranchAsync(community, "校验测试网格党支部", 2);
        await using var db = app.OpenDb();
        var before = await db.Activities.CountAsync();
        var beforeAttendance = await db.ActivityAttendance.CountAsync();

        var empty = await (await community.PostAsJsonAsync("/api/v1/activities", new { organizationId = branch })).ProblemAsync(HttpStatusCode.BadRequest);
        empty.FieldError("kind").ShouldBe("请选择活动类型");
        empty.FieldError("date").ShouldBe("请填写日期");
        empty.FieldError("place").ShouldBe("地点不能为空");
        empty.FieldError("topic").ShouldBe("主题不能为空");
        empty.FieldError("host").ShouldBe("主持人不能为空");
        empty.FieldError("attendance").ShouldBe("请从本组织党员中选择参加人员并标记到会、请假或缺席");

        var lesson = await (await community.PostAsJsonAsync("/api/v1/activities", new
        {
            organizationId = branch, kind = "PartyLesson", date = "2026-12-21", place = "党员活动室", topic = "党课", host = "王书记",
            attendance = new object[] { new { memberId = members[0].Id, status = "Excused" }, new { memberId = members[1].Id } },
        })).ProblemAsync(HttpStatusCode.BadRequest);
        lesson.FieldError("date").ShouldBe("日期不能晚于今天（记录已开展的活动）");
        lesson.FieldError("lecturer").ShouldBe("授课人不能为空");
        lesson.FieldError("trainingHours").ShouldBe("请填写党课学时");
        lesson.FieldError("attendance[0].reason").ShouldBe("请假须写明事由");
        lesson.FieldError("attendance[1].status").ShouldBe("请标记到会、请假或缺席");

        var wrongKind = await (await community.PostAsJsonAsync("/api/v1/activities",
            Activity(branch, "GroupMeeting", new DateOnly(2026, 12, 1), [(members[0].Id, "Present")], hours: 2))).ProblemAsync(HttpStatusCode.BadRequest);
        wrongKind.FieldError("kind").ShouldBe("党小组会由党小组记录，请选择党小组");
        wrongKind.FieldError("trainingHours").ShouldBe("只有党课和主题党日记学时");
        var duplicate = await (await community.PostAsJsonAsync("/api/v1/activities",
            Activity(branch, "ThemeDay", new DateOnly(2026, 12, 1), [(members[0].Id, "Present"), (members[0].Id, "Absent")], hours: 0.3m))).ProblemAsync(HttpStatusCode.BadRequest);
        duplicate.FieldError("attendance").ShouldBe("同一名党员只能出现一次");
        duplicate.FieldError("trainingHours").ShouldBe("学时须在0.5到40之间，以0.5为单位");

        (await db.Activities.CountAsync()).ShouldBe(before);
        (await db.ActivityAttendance.CountAsync()).ShouldBe(beforeAttendance);
    }

    [Fact]
    public async Task Committee_meetings_show_whether_half_of_the_committee_was_present()
    {
        var community = await app.LoginAsync("demo-community");
        var (branch, m) = await BranchAsync(community, "支委测试网格党支部", 5);
        var seats = await community.PutJsonAsync($"/api/v1/orgs/{branch}/committee", new
        {
            from = "2026-07-01",
            seats = new object[]
            {
                new { memberId = m[0].Id, position = "Secretary" }, new { memberId = m[1].Id, position = "DeputySecretary" },
                new { memberId = m[2].Id, position = "Member" }, new { memberId = m[3].Id, position = "Member" },
            },
        });
        seats.GetArrayLength().ShouldBe(4);
        seats[0].GetProperty("positionName").GetString().ShouldBe("书记");
        var twoSecretaries = await (await community.PutAsJsonAsync($"/api/v1/orgs/{branch}/committee", new
        {
            seats = new object[] { new { memberId = m[0].Id, position = "Secretary" }, new { memberId = m[1].Id, position = "Secretary" } },
        })).ProblemAsync(HttpStatusCode.BadRequest);
        twoSecretaries.FieldError("seats").ShouldBe("书记只能有一名");

        var low = await community.PostJsonAsync("/api/v1/activities", Activity(branch, "CommitteeMeeting", new DateOnly(2026, 12, 3),
            [(m[0].Id, "Present"), (m[1].Id, "Excused"), (m[2].Id, "Absent"), (m[3].Id, "Absent"), (m[4].Id, "Present")]), HttpStatusCode.Created);
        var q = low.GetProperty("quorum");
        q.GetProperty("met").GetBoolean().ShouldBeFalse(); // one committee member of four (the fifth attendee is not on the committee)
        q.GetProperty("committeePresent").GetInt32().ShouldBe(1);
        q.GetProperty("message").GetString().ShouldBe("支委4人，仅到会1人，不足半数（至少2人），会议不符合法定人数");

        var ok = await community.PostJsonAsync("/api/v1/activities", Activity(branch, "CommitteeMeeting", new DateOnly(2026, 12, 4),
            [(m[0].Id, "Present"), (m[1].Id, "Present"), (m[2].Id, "Absent"), (m[3].Id, "Excused")]), HttpStatusCode.Created);
        ok.GetProperty("quorum").GetProperty("met").GetBoolean().ShouldBeTrue();
        var listed = (await community.GetJsonAsync($"/api/v1/activities?orgId={branch}&kind=CommitteeMeeting")).GetProperty("items").EnumerateArray()
            .ToDictionary(a => a.Id(), a => a.GetProperty("quorumMet").GetBoolean());
        listed[low.Id()].ShouldBeFalse();
        listed[ok.Id()].ShouldBeTrue();
    }

    [Fact]
    public async Task Three_consecutive_unexcused_absences_raise_an_alert_that_attending_clears()
    {
        var community = await app.LoginAsync("demo-community");
        var system = await app.LoginAsync("demo-sysadmin");
        var (branch, m) = await BranchAsync(community, "缺席测试网格党支部", 2);
        // Recorded out of order: the streak is counted by date, an excused absence in between changes nothing.
        foreach (var (day, status) in new[] { (10, "Absent"), (2, "Absent"), (5, "Excused") })
            await community.PostJsonAsync("/api/v1/activities", Activity(branch, "ThemeDay", new DateOnly(2026, 11, day), [(m[0].Id, status), (m[1].Id, "Present")]), HttpStatusCode.Created);
        (await OpenAlertsAsync(community, branch, "life.absence-streak")).ShouldBeEmpty();

        await community.PostJsonAsync("/api/v1/activities", Activity(branch, "ThemeDay", new DateOnly(2026, 12, 1), [(m[0].Id, "Absent"), (m[1].Id, "Present")]), HttpStatusCode.Created);
        var alert = (await OpenAlertsAsync(community, branch, "life.absence-streak")).Single();
        alert.GetProperty("subjectId").GetString().ShouldBe(m[0].Id.ToString());
        alert.GetProperty("message").GetString().ShouldStartWith($"{m[0].Name}已连续3次无故缺席组织生活（最近一次2026年12月1日）");
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        (await OpenAlertsAsync(community, branch, "life.absence-streak")).Count.ShouldBe(1);

        await community.PostJsonAsync("/api/v1/activities", Activity(branch, "BranchAssembly", new DateOnly(2026, 12, 15), [(m[0].Id, "Present"), (m[1].Id, "Present")]), HttpStatusCode.Created);
        (await OpenAlertsAsync(community, branch, "life.absence-streak")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Training_hours_are_counted_from_the_lessons_attended()
    {
        var community = await app.LoginAsync("demo-community");
        var (branch, m) = await BranchAsync(community, "学时测试网格党支部", 2);
        await community.PutJsonAsync($"/api/v1/orgs/{branch}/committee", new { seats = new object[] { new { memberId = m[0].Id, position = "Secretary" } } });
        for (var i = 0; i < 8; i++)
            await community.PostJsonAsync("/api/v1/activities", Activity(branch, "PartyLesson", new DateOnly(2026, 7 + i % 5, 1 + i), [(m[0].Id, "Present"), (m[1].Id, i == 0 ? "Excused" : "Present")],
                lecturer: "区委党校李老师", hours: 4.5m), HttpStatusCode.Created);
        // A lesson of last year does not count for this one.
        var rows = (await community.GetJsonAsync($"/api/v1/orgs/{branch}/training-hours?year=2026")).GetProperty("members").EnumerateArray()
            .ToDictionary(r => r.GetProperty("memberId").GetGuid());
        rows[m[0].Id].GetProperty("hours").GetDecimal().ShouldBe(36m);
        rows[m[0].Id].GetProperty("isLeader").GetBoolean().ShouldBeTrue();
        rows[m[0].Id].GetProperty("required").GetDecimal().ShouldBe(56m);
        rows[m[0].Id].GetProperty("met").GetBoolean().ShouldBeFalse();
        rows[m[1].Id].GetProperty("hours").GetDecimal().ShouldBe(31.5m);
        rows[m[1].Id].GetProperty("required").GetDecimal().ShouldBe(32m);
        rows[m[1].Id].GetProperty("met").GetBoolean().ShouldBeFalse();
        await community.PostJsonAsync("/api/v1/activities", Activity(branch, "ThemeDay", new DateOnly(2026, 12, 2), [(m[1].Id, "Present")], hours: 0.5m), HttpStatusCode.Created);
        var after = (await community.GetJsonAsync($"/api/v1/orgs/{branch}/training-hours?year=2026")).GetProperty("members").EnumerateArray()
            .Single(r => r.GetProperty("memberId").GetGuid() == m[1].Id);
        after.GetProperty("hours").GetDecimal().ShouldBe(32m);
        after.GetProperty("met").GetBoolean().ShouldBeTrue();
        (await community.GetJsonAsync($"/api/v1/orgs/{branch}/training-hours?year=2025")).GetProperty("members").EnumerateArray()
            .All(r => r.GetProperty("hours").GetDecimal() == 0).ShouldBeTrue();
    }

    [Fact]
    public async Task Appraisal_limits_excellent_to_a_third_requires_reasons_and_starts_follow_ups()
    {
        var community = await app.LoginAsync("demo-community");
        var (branch, m) = await BranchAsync(community, "评议测试网格党支部", 3);
        var round = await community.PostJsonAsync("/api/v1/appraisals", new { organizationId = branch, year = 2026 }, HttpStatusCode.Created);
        round.GetProperty("appraised").GetInt32().ShouldBe(3);
        round.GetProperty("maxExcellent").GetInt32().ShouldBe(1);
        var id = round.Id();
        (await (await community.PostAsJsonAsync("/api/v1/appraisals", new { organizationId = branch, year = 2026 })).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("year").ShouldBe("本支部2026年度的民主评议已经建立");

        var tooMany = await (await community.PutAsJsonAsync($"/api/v1/appraisals/{id}/grades", new
        {
            grades = new object[] { new { memberId = m[0].Id, grade = "Excellent" }, new { memberId = m[1].Id, grade = "Excellent" } },
        })).ProblemAsync(HttpStatusCode.BadRequest);
        tooMany.FieldError("grades").ShouldBe("参评党员3人，优秀最多1人（不超过三分之一，向下取整），当前选了2人，请调整");
        var noReason = await (await community.PutAsJsonAsync($"/api/v1/appraisals/{id}/grades", new
        {
            grades = new object[] { new { memberId = m[2].Id, grade = "Unqualified" } },
        })).ProblemAsync(HttpStatusCode.BadRequest);
        noReason.FieldError("grades[0].reason").ShouldBe("评为不合格须写明理由");
        (await community.GetJsonAsync($"/api/v1/appraisals/{id}")).GetProperty("entries").EnumerateArray().All(e => e.GetProperty("grade").ValueKind == JsonValueKind.Null).ShouldBeTrue();

        var draft = await community.PutJsonAsync($"/api/v1/appraisals/{id}/grades", new
        {
            grades = new object[] { new { memberId = m[0].Id, grade = "Excellent" }, new { memberId = m[1].Id, grade = "Qualified" } },
        });
        draft.GetProperty("status").GetString().ShouldBe("Open");
        var incomplete = await (await community.PutAsJsonAsync($"/api/v1/appraisals/{id}/grades", new { grades = Array.Empty<object>(), submit = true }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        incomplete.FieldError("grades").ShouldBe("还有1名党员未评定等次，全部评定后才能提交");

        var submitted = await community.PutJsonAsync($"/api/v1/appraisals/{id}/grades", new
        {
            grades = new object[] { new { memberId = m[2].Id, grade = "Unqualified", reason = "全年无故不参加组织生活" } }, submit = true,
        });
        submitted.GetProperty("status").GetString().ShouldBe("Submitted");
        var followUp = submitted.GetProperty("followUps").EnumerateArray().Single();
        followUp.GetProperty("memberId").GetGuid().ShouldBe(m[2].Id);
        followUp.GetProperty("reason").GetString().ShouldBe("全年无故不参加组织生活");
        (await (await community.PutAsJsonAsync($"/api/v1/appraisals/{id}/grades", new { grades = new object[] { new { memberId = m[1].Id, grade = "Excellent" } } }))
            .ProblemAsync(HttpStatusCode.BadRequest)).FieldError("grades").ShouldBe("本次民主评议已提交，等次不能再修改");

        // The submitted round is the year's 民主评议 in the calendar.
        var row = (await community.GetJsonAsync($"/api/v1/orgs/{branch}/activity-calendar?year=2026")).GetProperty("rows").EnumerateArray()
            .Single(r => r.GetProperty("kind").GetString() == "MemberAppraisal");
        row.GetProperty("periods")[0].GetProperty("state").GetString().ShouldBe("Done");
    }

    [Fact]
    public async Task With_two_members_no_one_can_be_excellent()
    {
        var community = await app.LoginAsync("demo-community");
        var (branch, m) = await BranchAsync(community, "两人测试网格党支部", 2);
        var id = (await community.PostJsonAsync("/api/v1/appraisals", new { organizationId = branch, year = 2026 }, HttpStatusCode.Created)).Id();
        var problem = await (await community.PutAsJsonAsync($"/api/v1/appraisals/{id}/grades", new
        {
            grades = new object[] { new { memberId = m[0].Id, grade = "Excellent" }, new { memberId = m[1].Id, grade = "Qualified" } }, submit = true,
        })).ProblemAsync(HttpStatusCode.BadRequest);
        problem.FieldError("grades").ShouldBe("参评党员2人，按“优秀不超过参评党员的三分之一（向下取整）”，本次不能评定优秀等次（已选1人）");
        (await community.PutJsonAsync($"/api/v1/appraisals/{id}/grades", new
        {
            grades = new object[] { new { memberId = m[0].Id, grade = "Qualified" }, new { memberId = m[1].Id, grade = "BasicallyQualified" } }, submit = true,
        })).GetProperty("status").GetString().ShouldBe("Submitted");
    }
}
