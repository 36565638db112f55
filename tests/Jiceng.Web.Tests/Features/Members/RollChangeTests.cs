using System.Net;
using System.Net.Http.Json;
using Jiceng.Data.Protection;
using Jiceng.Domain.Dues;
using Jiceng.Domain.Members;
using Jiceng.Domain.OrganizationalLife;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jiceng.Web.Tests.Features.Members;

public sealed class RollChangeTests_Sqlite(SqliteApp app) : RollChangeTests(app), IClassFixture<SqliteApp>;

public sealed class RollChangeTests_Postgres(PostgresApp app) : RollChangeTests(app), IClassFixture<PostgresApp>;

/// <summary>What happens to a member's records when they leave the roll or come back: 停止党籍 → 恢复党籍 / 除名 (SuspensionRule),
/// a 双报到 held by a community outside the caller's scope, the dues base and the absence streak.</summary>
public abstract class RollChangeTests(JicengApp app)
{
    private static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, China).DateTime);

    private static async Task<Guid> ScopeOrgAsync(HttpClient client) =>
        (await client.GetJsonAsync("/api/v1/auth/me")).GetProperty("scopes")[0].GetProperty("organizationId").GetGuid();

    /// <summary>A normal, employed member of a branch under the caller's community with a dues base, never suspended, with no
    /// 双报到 or transfer: each test changes the one it takes, so the next call finds another.</summary>
    private async Task<Member> MemberAsync(HttpClient client)
    {
        var community = await ScopeOrgAsync(client);
        await using var db = app.OpenDb();
        var path = await db.Organizations.Where(o => o.Id == community).Select(o => o.Path).SingleAsync();
        return await db.Members.Where(m => m.Organization!.Path.StartsWith(path) && m.Organization.Kind != OrganizationKind.PartyGroup
                && m.Status == MemberStatus.Normal && m.Occupation == Occupation.Employed && m.SuspendedOn == null
                && db.DuesBases.Any(b => b.MemberId == m.Id) && !db.DualRegistrations.Any(r => r.MemberId == m.Id) && !db.Transfers.Any(t => t.MemberId == m.Id))
            .OrderByDescending(m => m.Id).FirstAsync();
    }

    private static object Input(Member m, string status) => new
    {
        name = m.Name, ethnicity = m.Ethnicity, education = m.Education.ToString(), occupation = m.Occupation.ToString(), organizationId = m.OrganizationId,
        state = m.State.ToString(), joinedOn = m.JoinedOn, fullMemberOn = m.FullMemberOn, status,
    };

    private string IdNumberOf(Member m) => app.Services.GetRequiredService<FieldProtector>().Decrypt(m.IdNumberCipher);

    [Fact]
    public async Task A_suspended_member_cannot_apply_again_and_is_restored_by_the_organizations_review()
    {
        var client = await app.LoginAsync("demo-community");
        var member = await MemberAsync(client);
        var suspended = await client.PutJsonAsync($"/api/v1/members/{member.Id}", Input(member, "Suspended"));
        suspended.GetProperty("statusName").GetString().ShouldBe("停止党籍");
        suspended.GetProperty("suspendedOn").GetString().ShouldBe(Today.ToString("yyyy-MM-dd"));
        suspended.GetProperty("suspensionDecisionDueOn").GetString().ShouldBe(Today.AddYears(2).ToString("yyyy-MM-dd"));

        // No new application: the membership is suspended, not over.
        var apply = await client.PostAsJsonAsync("/api/v1/development", new
        {
            name = member.Name, idNumber = IdNumberOf(member), occupation = "Employed", organizationId = member.OrganizationId, appliedOn = Today,
        });
        (await apply.ProblemAsync(HttpStatusCode.BadRequest)).FieldError("idNumber").ShouldContain("恢复党籍");
        // Nor back to 正常 by editing the record.
        var edit = await client.PutAsJsonAsync($"/api/v1/members/{member.Id}", Input(member, "Normal"));
        (await edit.ProblemAsync(HttpStatusCode.BadRequest)).FieldError("status").ShouldContain("恢复党籍");

        // The review: a date before the suspension or no text is refused, and nothing is written.
        var early = await client.PostAsJsonAsync($"/api/v1/members/{member.Id}/restore", new { decidedOn = Today.AddDays(-1), review = "审查合格" });
        (await early.ProblemAsync(HttpStatusCode.BadRequest)).FieldError("decidedOn").ShouldStartWith("决定日期不能早于停止党籍的日期");
        var empty = await client.PostAsJsonAsync($"/api/v1/members/{member.Id}/restore", new { decidedOn = Today });
        (await empty.ProblemAsync(HttpStatusCode.BadRequest)).FieldError("review").ShouldStartWith("请填写审查意见");
        await using (var db = app.OpenDb())
            (await db.Members.SingleAsync(m => m.Id == member.Id)).Status.ShouldBe(MemberStatus.Suspended);

        var restored = await client.PostJsonAsync($"/api/v1/members/{member.Id}/restore", new { decidedOn = Today, review = "本人主动联系，停止党籍期间表现良好，支部大会同意恢复党籍" });
        restored.GetProperty("statusName").GetString().ShouldBe("正常");
        restored.GetProperty("suspensionOutcomeName").GetString().ShouldBe("恢复党籍");
        restored.GetProperty("suspensionReview").GetString()!.ShouldContain("同意恢复党籍");
        restored.GetProperty("suspensionDecisionDueOn").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        await using (var db = app.OpenDb())
        {
            var audit = await db.AuditEntries.SingleAsync(a => a.Action == "member.restore" && a.EntityId == member.Id.ToString());
            audit.UserName.ShouldBe("demo-community");
            // The base ended with the suspension stays ended: the branch assesses the member anew.
            var last = await db.DuesBases.Where(b => b.MemberId == member.Id).OrderByDescending(b => b.EffectiveMonth).ThenByDescending(b => b.CreatedAt).FirstAsync();
            last.Ended.ShouldBeTrue();
            last.EffectiveMonth.ShouldBe(DuesMonth.Of(Today).AddMonths(1) > last.EffectiveMonth ? DuesMonth.Of(Today).AddMonths(1) : last.EffectiveMonth);
        }
        var timeline = await client.GetJsonAsync($"/api/v1/members/{member.Id}/timeline?pageSize=100");
        var kinds = timeline.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        kinds.ShouldContain("member.suspend");
        kinds.ShouldContain("member.restore");
        kinds.ShouldContain("dues.base.end");
        // Restoring twice is refused.
        var again = await client.PostAsJsonAsync($"/api/v1/members/{member.Id}/restore", new { decidedOn = Today, review = "再次" });
        (await again.ProblemAsync(HttpStatusCode.BadRequest)).FieldError("status").ShouldBe("只有停止党籍的党员才能恢复党籍");
    }

    [Fact]
    public async Task Two_years_after_the_suspension_an_alert_asks_for_a_decision_and_removal_takes_the_person_off_the_registry()
    {
        var client = await app.LoginAsync("demo-community");
        var system = await app.LoginAsync("demo-sysadmin");
        var due = await MemberAsync(client);
        await client.PutJsonAsync($"/api/v1/members/{due.Id}", Input(due, "Suspended"));
        var notYet = await MemberAsync(client);
        await client.PutJsonAsync($"/api/v1/members/{notYet.Id}", Input(notYet, "Suspended"));
        await using (var db = app.OpenDb())
        {
            // Suspended exactly 2 years ago, and one day short of it.
            await db.Members.Where(m => m.Id == due.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.SuspendedOn, Today.AddYears(-2)));
            await db.Members.Where(m => m.Id == notYet.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.SuspendedOn, Today.AddYears(-2).AddDays(1)));
        }
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        await using (var db = app.OpenDb())
        {
            var alert = await db.Alerts.SingleAsync(a => a.RuleCode == SuspensionRule.AlertCode && a.SubjectId == due.Id.ToString() && a.ResolvedAt == null);
            alert.OrganizationId.ShouldBe(due.OrganizationId);
            alert.Message.ShouldContain("除名");
            (await db.Alerts.AnyAsync(a => a.RuleCode == SuspensionRule.AlertCode && a.SubjectId == notYet.Id.ToString())).ShouldBeFalse();
        }

        var removed = await client.PostJsonAsync($"/api/v1/members/{due.Id}/removal", new { decidedOn = Today, review = "停止党籍满2年仍无法取得联系，支部大会决定除名，街道党工委批准" });
        removed.GetProperty("statusName").GetString().ShouldBe("出党");
        removed.GetProperty("suspensionOutcomeName").GetString().ShouldBe("除名");
        await using (var db = app.OpenDb())
        {
            (await db.AuditEntries.SingleAsync(a => a.Action == "member.remove" && a.EntityId == due.Id.ToString())).UserName.ShouldBe("demo-community");
            (await db.Alerts.SingleAsync(a => a.RuleCode == SuspensionRule.AlertCode && a.SubjectId == due.Id.ToString())).ResolvedAt.ShouldNotBeNull();
            // The base was ended once, at the suspension.
            (await db.DuesBases.CountAsync(b => b.MemberId == due.Id && b.Ended)).ShouldBe(1);
        }
        // After 出党 the person may apply again through the whole procedure.
        var apply = await client.PostAsJsonAsync("/api/v1/development", new
        {
            name = due.Name, idNumber = IdNumberOf(due), occupation = "Employed", organizationId = due.OrganizationId, appliedOn = Today,
        });
        apply.StatusCode.ShouldBe(HttpStatusCode.Created);
        // Removal is only for the suspended; the evaluation no longer finds the removed.
        var normal = await MemberAsync(client);
        var refused = await client.PostAsJsonAsync($"/api/v1/members/{normal.Id}/removal", new { decidedOn = Today, review = "x" });
        (await refused.ProblemAsync(HttpStatusCode.BadRequest)).FieldError("status").ShouldBe("只有停止党籍的人员才能按本程序除名");
    }

    [Fact]
    public async Task Restoring_or_removing_a_member_outside_the_scope_answers_404_and_a_reader_gets_403()
    {
        var client = await app.LoginAsync("demo-community");
        var community = await ScopeOrgAsync(client);
        Guid outside;
        await using (var db = app.OpenDb())
        {
            var path = await db.Organizations.Where(o => o.Id == community).Select(o => o.Path).SingleAsync();
            var m = await db.Members.Where(x => !x.Organization!.Path.StartsWith(path) && x.Status == MemberStatus.Normal).OrderBy(x => x.Id).FirstAsync();
            m.Status = MemberStatus.Suspended;
            m.SuspendedOn = Today.AddYears(-3);
            await db.SaveChangesAsync();
            outside = m.Id;
        }
        foreach (var action in new[] { "restore", "removal" })
            await (await client.PostAsJsonAsync($"/api/v1/members/{outside}/{action}", new { decidedOn = Today, review = "审查" })).ProblemAsync(HttpStatusCode.NotFound);
        var grid = await app.LoginAsync("demo-grid");
        (await grid.PostAsJsonAsync($"/api/v1/members/{outside}/restore", new { decidedOn = Today, review = "审查" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await using (var db = app.OpenDb())
            (await db.Members.SingleAsync(m => m.Id == outside)).Status.ShouldBe(MemberStatus.Suspended);
    }

    [Fact]
    public async Task Leaving_the_roll_ends_the_dual_registration_held_by_a_community_outside_the_scope_in_the_same_save()
    {
        var client = await app.LoginAsync("demo-community");
        var community = await ScopeOrgAsync(client);
        var member = await MemberAsync(client);
        Guid dualId, otherDualId, otherCommunity;
        var registeredOn = Today.AddMonths(-5);
        await using (var db = app.OpenDb())
        {
            var path = await db.Organizations.Where(o => o.Id == community).Select(o => o.Path).SingleAsync();
            otherCommunity = await db.Organizations.Where(o => o.Kind == OrganizationKind.CommunityCommittee && !o.Path.StartsWith(path) && o.Status == OrganizationStatus.Active)
                .OrderBy(o => o.Path).Select(o => o.Id).FirstAsync();
            var now = DateTimeOffset.UtcNow;
            var dual = new DualRegistration { Id = Guid.NewGuid(), MemberId = member.Id, OrganizationId = otherCommunity, RegisteredOn = registeredOn, CreatedAt = now };
            // Another member's registration with the same community, which must stay as it is.
            var otherMember = await db.Members.Where(m => m.Id != member.Id && m.Status == MemberStatus.Normal && !m.Organization!.Path.StartsWith(path)
                && !db.DualRegistrations.Any(r => r.MemberId == m.Id)).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync();
            var other = new DualRegistration { Id = Guid.NewGuid(), MemberId = otherMember, OrganizationId = otherCommunity, RegisteredOn = registeredOn, CreatedAt = now };
            db.DualRegistrations.AddRange(dual, other);
            await db.SaveChangesAsync();
            (dualId, otherDualId) = (dual.Id, other.Id);
        }
        // The caller cannot see or end that community's registrations itself.
        (await client.GetAsync($"/api/v1/dual-registrations/{dualId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.PostAsJsonAsync($"/api/v1/dual-registrations/{otherDualId}/end", new { })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        await client.PutJsonAsync($"/api/v1/members/{member.Id}", Input(member, "Deceased"));
        await using (var db = app.OpenDb())
        {
            var dual = await db.DualRegistrations.SingleAsync(r => r.Id == dualId);
            dual.EndedOn.ShouldBe(Today);
            dual.OrganizationId.ShouldBe(otherCommunity);
            dual.ServiceIntent.ShouldBeNull();
            (await db.DualRegistrations.SingleAsync(r => r.Id == otherDualId)).EndedOn.ShouldBeNull();
            var end = await db.AuditEntries.SingleAsync(a => a.Action == "dual.end" && a.EntityId == dualId.ToString());
            end.UserName.ShouldBe("demo-community");
            end.OrganizationId.ShouldBe(otherCommunity);
            var leave = await db.AuditEntries.SingleAsync(a => a.Action == "member.leave" && a.EntityId == member.Id.ToString());
            // One save: both records in the same transaction, next to each other in the lane or chained by time.
            (end.At - leave.At).Duration().ShouldBeLessThan(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task A_member_leaving_the_roll_loses_their_absence_streak_and_attendance_before_the_restoration_no_longer_counts()
    {
        var client = await app.LoginAsync("demo-community");
        var member = await MemberAsync(client);
        var branch = member.OrganizationId;
        async Task ActivityAsync(DateOnly date, string status) => await client.PostJsonAsync("/api/v1/activities", new
        {
            organizationId = branch, kind = "ThemeDay", date, place = "党群服务中心", host = "支部书记", topic = "主题党日" + date.ToString("MMdd"), trainingHours = 2,
            attendance = new[] { new { memberId = member.Id, status, reason = (string?)null } },
        }, HttpStatusCode.Created);
        var start = Today.AddDays(-40);
        // The demo's attendance of the last weeks out of the way, so the streak is the test's own.
        await using (var db = app.OpenDb())
            await db.ActivityAttendance.Where(a => a.MemberId == member.Id && a.Date >= start.AddDays(-5)).ExecuteDeleteAsync();
        for (var i = 0; i < 3; i++) await ActivityAsync(start.AddDays(i), "Absent");
        await using (var db = app.OpenDb())
            (await db.AbsenceStreaks.SingleAsync(s => s.MemberId == member.Id)).Count.ShouldBeGreaterThanOrEqualTo(3);

        await client.PutJsonAsync($"/api/v1/members/{member.Id}", Input(member, "Suspended"));
        await using (var db = app.OpenDb())
        {
            (await db.AbsenceStreaks.SingleAsync(s => s.MemberId == member.Id)).Count.ShouldBe(0);
            // Suspended a month ago (after the three absences), restored ten days ago.
            await db.Members.Where(m => m.Id == member.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.SuspendedOn, Today.AddDays(-30)));
        }
        await client.PostJsonAsync($"/api/v1/members/{member.Id}/restore", new { decidedOn = Today.AddDays(-10), review = "审查后恢复党籍" });

        // The next absence starts a new streak of one; the three before the restoration stay out.
        await ActivityAsync(Today.AddDays(-5), "Absent");
        await using (var db = app.OpenDb())
        {
            var streak = await db.AbsenceStreaks.SingleAsync(s => s.MemberId == member.Id);
            streak.Count.ShouldBe(1);
            streak.LastDate.ShouldBe(Today.AddDays(-5));
        }
    }
}
