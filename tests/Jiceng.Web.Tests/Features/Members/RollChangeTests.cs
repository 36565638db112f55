using Jiceng.Web.Infrastructure;
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
    private static DateOnly Today => TimeProvider.System.Today();

    private static async Task<Guid> ScopeOrgAsync(HttpClient client) =>
        (await client.GetJsonAsync("/api/v1/auth/me")).GetProperty("scopes")[0].GetProperty("organizationId").GetGuid();

    /// <summary>A normal, employed member (joined before the date given) of a branch under the caller's community with a dues base, never
    /// suspended, with no mobile registration, 双报到 or transfer: each test changes the one it takes, so the next call finds another.</summary>
    private Task<Member> MemberAsync(HttpClient client, DateOnly? joinedBefore = null) => PickAsync(client, joinedBefore ?? DateOnly.MaxValue, employed: true);

    /// <summary>A normal member who is not employed (so never one <see cref="MemberAsync"/> would give: its pool is small), never
    /// suspended, with no mobile registration or transfer, for the tests that need any member on the roll.</summary>
    private Task<Member> OtherMemberAsync(HttpClient client, DateOnly joinedBefore) => PickAsync(client, joinedBefore, employed: false);

    private async Task<Member> PickAsync(HttpClient client, DateOnly joinedBefore, bool employed)
    {
        var community = await ScopeOrgAsync(client);
        await using var db = app.OpenDb();
        var path = await db.Organizations.Where(o => o.Id == community).Select(o => o.Path).SingleAsync();
        var q = db.Members.Where(m => m.Organization!.Path.StartsWith(path) && m.Organization.Kind != OrganizationKind.PartyGroup
            && m.Status == MemberStatus.Normal && m.JoinedOn < joinedBefore && (m.Occupation == Occupation.Employed) == employed
            && !db.MemberSuspensions.Any(x => x.MemberId == m.Id) && !db.MobileRegistrations.Any(r => r.MemberId == m.Id)
            && !db.Transfers.Any(t => t.MemberId == m.Id));
        return employed
            ? await q.Where(m => db.DuesBases.Any(b => b.MemberId == m.Id) && !db.DualRegistrations.Any(r => r.MemberId == m.Id)).OrderByDescending(m => m.Id).FirstAsync()
            : await q.OrderBy(m => m.Id).FirstAsync();
    }

    private static object Input(Member m, string status) => new
    {
        name = m.Name, ethnicity = m.Ethnicity, education = m.Education.ToString(), occupation = m.Occupation.ToString(), organizationId = m.OrganizationId,
        state = m.State.ToString(), joinedOn = m.JoinedOn, fullMemberOn = m.FullMemberOn, status,
    };

    /// <summary>停止党籍 through its endpoint: lost contact 7 months before the decision.</summary>
    private static Task<System.Text.Json.JsonElement> SuspendAsync(HttpClient client, Member m, DateOnly? on = null) =>
        client.PostJsonAsync($"/api/v1/members/{m.Id}/suspend", new
        {
            lostContactSince = (on ?? Today).AddMonths(-7), decidedOn = on ?? Today, reason = "与党组织失去联系超过6个月，经多方寻找仍无法取得联系",
        });

    private string IdNumberOf(Member m) => app.Services.GetRequiredService<FieldProtector>().Decrypt(m.IdNumberCipher);

    [Fact]
    public async Task A_suspended_member_cannot_apply_again_and_is_restored_by_the_organizations_review()
    {
        var client = await app.LoginAsync("demo-community");
        var member = await MemberAsync(client);
        var suspended = await SuspendAsync(client, member);
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
        await SuspendAsync(client, due);
        var notYet = await MemberAsync(client);
        await SuspendAsync(client, notYet);
        await using (var db = app.OpenDb())
        {
            // Suspended exactly 2 years ago, and one day short of it.
            foreach (var (id, on) in new[] { (due.Id, Today.AddYears(-2)), (notYet.Id, Today.AddYears(-2).AddDays(1)) })
            {
                await db.Members.Where(m => m.Id == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.SuspendedOn, on));
                await db.MemberSuspensions.Where(x => x.MemberId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.SuspendedOn, on));
            }
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

        // Suspended a month ago (after the three absences), restored ten days ago.
        await SuspendAsync(client, member, Today.AddDays(-30));
        await using (var db = app.OpenDb())
            (await db.AbsenceStreaks.SingleAsync(s => s.MemberId == member.Id)).Count.ShouldBe(0);
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

    private async Task<(string Status, int Suspensions, int Audits)> StateAsync(Guid memberId)
    {
        await using var db = app.OpenDb();
        var id = memberId.ToString();
        return ((await db.Members.SingleAsync(m => m.Id == memberId)).Status.ToString(), await db.MemberSuspensions.CountAsync(x => x.MemberId == memberId),
            await db.AuditEntries.CountAsync(a => a.EntityId == id));
    }

    [Fact]
    public async Task Suspension_needs_more_than_six_months_without_contact_on_the_decision_date()
    {
        var client = await app.LoginAsync("demo-community");
        var member = await MemberAsync(client, Today.AddYears(-3));
        var before = await StateAsync(member.Id);
        // 31 Aug + 6 months = 28 Feb (2026 is no leap year): a decision on 28 Feb is exactly 6 months, refused, with the rule's source.
        var exactly = await client.PostAsJsonAsync($"/api/v1/members/{member.Id}/suspend",
            new { lostContactSince = "2025-08-31", decidedOn = "2026-02-28", reason = "失去联系，多方寻找未果" });
        var message = (await exactly.ProblemAsync(HttpStatusCode.BadRequest)).FieldError("lostContactSince");
        message.ShouldContain("超过6个月");
        message.ShouldContain("2026年3月1日起方可决定");
        message.ShouldContain(SuspensionRule.Source);
        (await StateAsync(member.Id)).ShouldBe(before);

        var suspended = await client.PostJsonAsync($"/api/v1/members/{member.Id}/suspend",
            new { lostContactSince = "2025-08-31", decidedOn = "2026-03-01", reason = "失去联系，多方寻找未果" });
        suspended.GetProperty("statusName").GetString().ShouldBe("停止党籍");
        suspended.GetProperty("suspendedOn").GetString().ShouldBe("2026-03-01");
        suspended.GetProperty("suspensionDecisionDueOn").GetString().ShouldBe("2028-03-01");
        await using var db = app.OpenDb();
        var row = await db.MemberSuspensions.SingleAsync(x => x.MemberId == member.Id);
        (row.LostContactSince, row.SuspendedOn, row.OrganizationId, row.Outcome, row.RecordedBy)
            .ShouldBe((new DateOnly(2025, 8, 31), new DateOnly(2026, 3, 1), member.OrganizationId, (SuspensionOutcome?)null, "demo-community"));
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == "member.suspend" && a.EntityId == member.Id.ToString());
        audit.UserName.ShouldBe("demo-community");
        // Leaving the roll on the decision date: the dues base ends from the month after.
        (await db.DuesBases.AnyAsync(b => b.MemberId == member.Id && b.Ended)).ShouldBeTrue();
    }

    [Fact]
    public async Task Bad_input_generic_edits_and_later_recorded_contacts_are_refused_and_change_nothing()
    {
        var client = await app.LoginAsync("demo-community");
        var member = await MemberAsync(client);
        var before = await StateAsync(member.Id);
        async Task<Dictionary<string, string[]>> RefusedAsync(object body)
        {
            var r = await client.PostAsJsonAsync($"/api/v1/members/{member.Id}/suspend", body);
            var problem = await r.ProblemAsync(HttpStatusCode.BadRequest);
            return problem.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetString()!).ToArray());
        }
        var empty = await RefusedAsync(new { });
        empty.Keys.Order().ShouldBe(new[] { "decidedOn", "lostContactSince", "reason" });
        (await RefusedAsync(new { lostContactSince = Today.AddMonths(-8), decidedOn = Today.AddDays(1), reason = "x" }))["decidedOn"].ShouldBe(["决定日期不能晚于今天"]);
        (await RefusedAsync(new { lostContactSince = Today.AddMonths(-8), decidedOn = Today, reason = new string('理', 501) }))["reason"].ShouldBe(["理由不能超过500个字符"]);
        (await RefusedAsync(new { lostContactSince = Today.AddDays(1), decidedOn = Today, reason = "x" }))["lostContactSince"].ShouldBe(["失去联系的日期不能晚于今天"]);
        // The generic edit does not set the status: one checked path.
        var edit = await client.PutAsJsonAsync($"/api/v1/members/{member.Id}", Input(member, "Suspended"));
        (await edit.ProblemAsync(HttpStatusCode.BadRequest)).FieldError("status").ShouldContain("“停止党籍”办理");
        (await StateAsync(member.Id)).ShouldBe(before);

        // A mobile registration records a later contact than the date given: refused, naming it (the page offers that date).
        await using (var db = app.OpenDb())
        {
            db.MobileRegistrations.Add(new MobileRegistration
            {
                Id = Guid.NewGuid(), MemberId = member.Id, OrganizationId = member.OrganizationId, Location = "广东省深圳市", ContactPerson = "支部书记",
                Since = Today.AddMonths(-12), LastContactOn = Today.AddMonths(-7), EndedOn = Today.AddMonths(-6), CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        before = await StateAsync(member.Id);
        (await RefusedAsync(new { lostContactSince = Today.AddMonths(-9), decidedOn = Today, reason = "失去联系" }))["lostContactSince"].Single()
            .ShouldBe($"流动党员登记记录该党员最近一次联系是{Today.AddMonths(-7):yyyy年M月d日}，晚于所填日期；失去联系应从最近一次联系起算");
        (await StateAsync(member.Id)).ShouldBe(before);
        await SuspendAsync(client, member);
        // Twice is refused; so is a member who is not on the roll.
        (await RefusedAsync(new { lostContactSince = Today.AddMonths(-8), decidedOn = Today, reason = "x" }))["status"].Single().ShouldContain("不能重复办理");
        var other = await MemberAsync(client);
        await client.PutJsonAsync($"/api/v1/members/{other.Id}", Input(other, "Deceased"));
        var deceased = await client.PostAsJsonAsync($"/api/v1/members/{other.Id}/suspend", new { lostContactSince = Today.AddMonths(-8), decidedOn = Today, reason = "x" });
        (await deceased.ProblemAsync(HttpStatusCode.BadRequest)).FieldError("status").ShouldBe("只有在册党员才能停止党籍（该党员已故）");
    }

    [Fact]
    public async Task Months_paid_in_advance_past_a_suspension_are_flagged_until_the_branch_refunds_them()
    {
        var client = await app.LoginAsync("demo-community");
        var system = await app.LoginAsync("demo-sysadmin");
        var member = await MemberAsync(client);
        // A year paid at once, then the 停止党籍 decision: the dues end from the next month, the months after it stay paid.
        var pay = await client.PostJsonAsync("/api/v1/dues/payments", new { memberId = member.Id, months = 12, method = "Cash" }, HttpStatusCode.Created);
        await SuspendAsync(client, member);
        DateOnly end;
        List<DuesPaymentMonth> after;
        await using (var db = app.OpenDb())
        {
            end = (await db.DuesBases.Where(b => b.MemberId == member.Id && b.Ended).SingleAsync()).EffectiveMonth;
            after = await db.DuesPaymentMonths.Where(p => p.MemberId == member.Id && p.Month >= end).OrderBy(p => p.Month).ToListAsync();
        }
        after.ShouldNotBeEmpty();
        after.ShouldAllBe(p => p.PaymentId == pay.Id());
        async Task<Jiceng.Data.Alerts.Alert?> AlertAsync()
        {
            await using var db = app.OpenDb();
            return await db.Alerts.SingleOrDefaultAsync(a => a.RuleCode == DuesPaidAfterEndRule.Code && a.SubjectId == member.Id.ToString());
        }
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        var alert = (await AlertAsync())!;
        (alert.ResolvedAt, alert.OrganizationId).ShouldBe((null, member.OrganizationId));
        alert.Message.ShouldContain($"{member.Name}（停止党籍）自{end:yyyy年M月}起停止计收党费，但{after[0].Month:yyyy年M月}");
        alert.Message.ShouldContain($"共{after.Count}个月已交党费{after.Sum(p => p.AmountFen) / 100m:0.00}元");

        // The branch refunds those months: the alert clears at the next evaluation; the months before the end stay paid.
        await client.PostJsonAsync($"/api/v1/dues/payments/{pay.Id()}/refunds", new { months = after.Count, reason = "停止党籍后预交的党费", approvedBy = "支委会" });
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        (await AlertAsync())!.ResolvedAt.ShouldNotBeNull();
        await using (var db = app.OpenDb())
            (await db.DuesPaymentMonths.CountAsync(p => p.MemberId == member.Id && p.Month >= end)).ShouldBe(0);
    }

    [Fact]
    public async Task A_suspended_member_recorded_as_deceased_ends_the_suspension_in_the_history_and_its_alerts()
    {
        var client = await app.LoginAsync("demo-community");
        var member = await OtherMemberAsync(client, Today.AddYears(-3));
        await SuspendAsync(client, member, Today.AddYears(-2).AddDays(-1));
        await (await app.LoginAsync("demo-sysadmin")).PostJsonAsync("/api/v1/alerts/evaluate", new { });
        await using (var db = app.OpenDb())
            (await db.Alerts.CountAsync(a => a.RuleCode == SuspensionRule.AlertCode && a.SubjectId == member.Id.ToString() && a.ResolvedAt == null)).ShouldBe(1);

        var deceased = await client.PutJsonAsync($"/api/v1/members/{member.Id}", Input(member, "Deceased"));
        deceased.GetProperty("statusName").GetString().ShouldBe("已故");
        var row = deceased.GetProperty("suspensions").EnumerateArray().Single();
        row.GetProperty("outcomeName").GetString().ShouldBe("已故（停止党籍终止）");
        (!deceased.TryGetProperty("suspendedOn", out var since) || since.ValueKind == System.Text.Json.JsonValueKind.Null).ShouldBeTrue();
        var timeline = await client.GetJsonAsync($"/api/v1/members/{member.Id}/timeline?pageSize=100");
        timeline.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("title").GetString()).ShouldContain("停止党籍终止（已故）");
        await using (var db = app.OpenDb())
        {
            (await db.MemberSuspensions.CountAsync(x => x.MemberId == member.Id && x.Outcome == null)).ShouldBe(0);
            (await db.Alerts.CountAsync(a => a.SubjectId == member.Id.ToString() && a.ResolvedAt == null
                && (a.RuleCode == SuspensionRule.AlertCode || a.RuleCode == SuspensionDateMissingRule.AlertCode))).ShouldBe(0);
        }
    }

    [Fact]
    public async Task Two_suspensions_at_once_leave_one_open_suspension_and_the_other_is_told_so()
    {
        var client = await app.LoginAsync("demo-community");
        var member = await OtherMemberAsync(client, Today.AddMonths(-8));
        object Body() => new { lostContactSince = Today.AddMonths(-7), decidedOn = Today, reason = "与党组织失去联系超过6个月" };
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.PostAsJsonAsync($"/api/v1/members/{member.Id}/suspend", Body())));
        // One lands; the others see it (400, already suspended) or lose the race at the unique index (409), never a 500.
        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        answers.Select(a => a.StatusCode).ShouldAllBe(c => c == HttpStatusCode.OK || c == HttpStatusCode.BadRequest || c == HttpStatusCode.Conflict);
        await using var db = app.OpenDb();
        (await db.MemberSuspensions.CountAsync(x => x.MemberId == member.Id && x.Outcome == null)).ShouldBe(1);
        // The database itself refuses a second open suspension, and says so in a way the error handler reads on both providers.
        var open = await db.MemberSuspensions.AsNoTracking().SingleAsync(x => x.MemberId == member.Id);
        db.MemberSuspensions.Add(new MemberSuspension
        {
            Id = Guid.NewGuid(), MemberId = open.MemberId, OrganizationId = open.OrganizationId, SuspendedOn = open.SuspendedOn,
            CreatedAt = open.CreatedAt, UpdatedAt = open.UpdatedAt,
        });
        var refused = await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Jiceng.Data.DbErrors.IsUniqueViolation(refused).ShouldBeTrue();
    }

    [Fact]
    public async Task Suspend_restore_and_suspend_again_keeps_both_suspensions_and_both_decisions()
    {
        var client = await app.LoginAsync("demo-community");
        var member = await MemberAsync(client, Today.AddYears(-3));
        var first = Today.AddYears(-2);
        var restoredOn = Today.AddYears(-1);
        await SuspendAsync(client, member, first);
        await client.PostJsonAsync($"/api/v1/members/{member.Id}/restore", new { decidedOn = restoredOn, review = "本人返回，审查后恢复党籍" });
        // The restoration is a contact on record: lost contact cannot count from before it.
        var early = await client.PostAsJsonAsync($"/api/v1/members/{member.Id}/suspend", new { lostContactSince = restoredOn.AddDays(-1), decidedOn = Today, reason = "再次失联" });
        (await early.ProblemAsync(HttpStatusCode.BadRequest)).FieldError("lostContactSince").ShouldStartWith($"恢复党籍的决定记录该党员最近一次联系是{restoredOn:yyyy年M月d日}");
        var again = await client.PostJsonAsync($"/api/v1/members/{member.Id}/suspend", new { lostContactSince = restoredOn, decidedOn = Today, reason = "恢复后再次失去联系" });
        again.GetProperty("suspendedOn").GetString().ShouldBe(Today.ToString("yyyy-MM-dd"));
        again.GetProperty("suspensionOutcome").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        again.GetProperty("suspensions").GetArrayLength().ShouldBe(2);
        var removed = await client.PostJsonAsync($"/api/v1/members/{member.Id}/removal", new { decidedOn = Today, review = "经审查不再具备党员条件，予以除名" });
        removed.GetProperty("suspensionOutcomeName").GetString().ShouldBe("除名");
        removed.GetProperty("suspendedOn").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);

        await using (var db = app.OpenDb())
        {
            var rows = await db.MemberSuspensions.Where(x => x.MemberId == member.Id).OrderBy(x => x.SuspendedOn).ToListAsync();
            rows.Select(x => (x.SuspendedOn, x.Outcome, x.DecidedOn)).ShouldBe([
                (first, SuspensionOutcome.Restored, restoredOn), (Today, SuspensionOutcome.Removed, Today)]);
            rows[0].Review.ShouldBe("本人返回，审查后恢复党籍");
            rows[1].LostContactSince.ShouldBe(restoredOn);
            rows.ShouldAllBe(x => x.DecidedBy == "demo-community");
        }
        var timeline = await client.GetJsonAsync($"/api/v1/members/{member.Id}/timeline?pageSize=100");
        var events = timeline.GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString()!.StartsWith("member.") && e.GetProperty("kind").GetString() is not ("member.joined" or "member.full"))
            .Select(e => (e.GetProperty("date").GetString(), e.GetProperty("kind").GetString())).ToList();
        events.ShouldBe([
            (Today.ToString("yyyy-MM-dd"), "member.suspend"), (Today.ToString("yyyy-MM-dd"), "member.remove"),
            (restoredOn.ToString("yyyy-MM-dd"), "member.restore"), (first.ToString("yyyy-MM-dd"), "member.suspend")], ignoreOrder: true);
    }

    [Fact]
    public async Task A_suspended_member_without_a_date_raises_an_alert_until_the_date_is_recorded()
    {
        var client = await app.LoginAsync("demo-community");
        var system = await app.LoginAsync("demo-sysadmin");
        var member = await MemberAsync(client, Today.AddYears(-3));
        // As imported or entered before the date existed: suspended, no date, no history.
        await using (var db = app.OpenDb())
            await db.Members.Where(m => m.Id == member.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MemberStatus.Suspended));
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        async Task<Jiceng.Data.Alerts.Alert?> AlertAsync()
        {
            await using var db = app.OpenDb();
            return await db.Alerts.SingleOrDefaultAsync(a => a.RuleCode == SuspensionDateMissingRule.AlertCode && a.SubjectId == member.Id.ToString());
        }
        var alert = (await AlertAsync())!;
        (alert.ResolvedAt, alert.OrganizationId).ShouldBe((null, member.OrganizationId));
        alert.Message.ShouldContain("未登记停止党籍日期");
        // No decision before the date is recorded.
        var restore = await client.PostAsJsonAsync($"/api/v1/members/{member.Id}/restore", new { decidedOn = Today, review = "审查" });
        (await restore.ProblemAsync(HttpStatusCode.BadRequest)).FieldError("status").ShouldContain("补录停止党籍日期");

        // 补录: the date alone (lost contact and reason unknown for an old decision); not before 入党.
        var tooEarly = await client.PostAsJsonAsync($"/api/v1/members/{member.Id}/suspend", new { decidedOn = member.JoinedOn.AddDays(-1) });
        (await tooEarly.ProblemAsync(HttpStatusCode.BadRequest)).FieldError("decidedOn").ShouldStartWith("停止党籍的日期不能早于入党日期");
        var recorded = await client.PostJsonAsync($"/api/v1/members/{member.Id}/suspend", new { decidedOn = Today.AddYears(-3) });
        recorded.GetProperty("suspendedOn").GetString().ShouldBe(Today.AddYears(-3).ToString("yyyy-MM-dd"));
        (await AlertAsync())!.ResolvedAt.ShouldNotBeNull();
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        (await AlertAsync())!.ResolvedAt.ShouldNotBeNull();
        await using (var db = app.OpenDb())
        {
            (await db.MemberSuspensions.SingleAsync(x => x.MemberId == member.Id)).LostContactSince.ShouldBeNull();
            (await db.AuditEntries.CountAsync(a => a.Action == "member.suspension-date" && a.EntityId == member.Id.ToString())).ShouldBe(1);
            // Three years suspended: now the 2-year decision alert comes; it clears with the restoration.
            (await db.Alerts.SingleAsync(a => a.RuleCode == SuspensionRule.AlertCode && a.SubjectId == member.Id.ToString())).ResolvedAt.ShouldBeNull();
        }
        await client.PostJsonAsync($"/api/v1/members/{member.Id}/restore", new { decidedOn = Today, review = "本人返回，审查后恢复党籍" });
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        await using (var db = app.OpenDb())
            (await db.Alerts.SingleAsync(a => a.RuleCode == SuspensionRule.AlertCode && a.SubjectId == member.Id.ToString())).ResolvedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task Suspending_a_member_outside_the_scope_answers_404_and_a_reader_gets_403()
    {
        var client = await app.LoginAsync("demo-community");
        var community = await ScopeOrgAsync(client);
        Guid outside;
        await using (var db = app.OpenDb())
        {
            var path = await db.Organizations.Where(o => o.Id == community).Select(o => o.Path).SingleAsync();
            outside = await db.Members.Where(x => !x.Organization!.Path.StartsWith(path) && x.Status == MemberStatus.Normal).OrderByDescending(x => x.Id).Select(x => x.Id).FirstAsync();
        }
        var before = await StateAsync(outside);
        var body = new { lostContactSince = Today.AddMonths(-8), decidedOn = Today, reason = "失去联系" };
        await (await client.PostAsJsonAsync($"/api/v1/members/{outside}/suspend", body)).ProblemAsync(HttpStatusCode.NotFound);
        var grid = await app.LoginAsync("demo-grid");
        (await grid.PostAsJsonAsync($"/api/v1/members/{outside}/suspend", body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await StateAsync(outside)).ShouldBe(before);
    }
}
