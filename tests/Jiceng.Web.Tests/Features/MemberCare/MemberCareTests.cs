using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jiceng.Data.Protection;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Domain.Security;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jiceng.Web.Tests.Features.MemberCare;

public sealed class MemberCareTests_Sqlite(MemberCareSqliteApp app) : MemberCareTests(app), IClassFixture<MemberCareSqliteApp>;

public sealed class MemberCareTests_Postgres(MemberCarePostgresApp app) : MemberCareTests(app), IClassFixture<MemberCarePostgresApp>;

public abstract class MemberCareTests(MemberCareApp app)
{
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd");

    /// <summary>A new, empty grid branch under demo-community's community, so lists can be compared exactly.</summary>
    private async Task<Guid> NewBranchAsync(HttpClient community, string name)
    {
        var parent = await app.OrgOfAsync("demo-community");
        return (await community.PostJsonAsync("/api/v1/orgs", new { name, kind = "GridBranch", parentId = parent }, HttpStatusCode.Created)).Id();
    }

    /// <summary>A member in normal status of another street than demo-street's (so outside demo-community's scope).</summary>
    private async Task<Member> MemberOfAnotherStreetAsync(Occupation occupation = Occupation.Employed)
    {
        var street = await app.OrgOfAsync("demo-street");
        await using var db = app.OpenDb();
        var path = await db.Organizations.Where(o => o.Id == street).Select(o => o.Path).SingleAsync();
        return await db.Members.AsNoTracking()
            .Where(m => !m.Organization!.Path.StartsWith(path) && m.Status == MemberStatus.Normal && m.Occupation == occupation && m.PhoneHash != null)
            .OrderBy(m => m.Id).FirstAsync();
    }

    // ------------------------------------------------------------------ mobile members

    [Fact]
    public async Task Mobile_member_is_registered_alerted_after_six_months_and_resolved_by_a_contact()
    {
        var community = await app.LoginAsync("demo-community");
        var system = await app.LoginAsync("demo-sysadmin");
        var branch = await NewBranchAsync(community, "流动党员测试网格党支部");
        var member = await app.AddMemberAsync(branch, "流动测试甲", new DateOnly(2010, 7, 1));
        var today = app.Today;

        var reg = await community.PostJsonAsync("/api/v1/mobile-members", new
        {
            memberId = member.Id, location = "广东省深圳市南山区", since = D(today.AddDays(-10)), contactPerson = "王书记", expectedReturn = D(today.AddMonths(8)),
        }, HttpStatusCode.Created);
        reg.GetProperty("memberName").GetString().ShouldBe("流动测试甲");
        reg.GetProperty("lastContactOn").GetString().ShouldBe(D(today));
        reg.GetProperty("contactState").GetString().ShouldBe("联系正常");
        var regId = reg.Id();
        await using (var db = app.OpenDb())
        {
            (await db.Members.SingleAsync(m => m.Id == member.Id)).Status.ShouldBe(MemberStatus.Mobile);
            (await db.MobileRegistrations.SingleAsync(r => r.MemberId == member.Id)).OrganizationId.ShouldBe(branch);
        }

        // A second open registration is refused.
        var again = await (await community.PostAsJsonAsync("/api/v1/mobile-members", new
        {
            memberId = member.Id, location = "上海", since = D(today), contactPerson = "王书记",
        })).ProblemAsync(HttpStatusCode.BadRequest);
        again.FieldError("memberId").ShouldBe("该党员已有未结束的流动登记");

        // Five months without contact: a warning; six: critical — one alert for the member, on the member's branch.
        await SetLastContactAsync(regId, today.AddMonths(-5));
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        var warning = await MobileAlertAsync(community, branch, member.Id);
        warning.GetProperty("severity").GetString().ShouldBe("Warning");
        (await community.GetJsonAsync($"/api/v1/mobile-members/{regId}")).GetProperty("contactState").GetString().ShouldBe("即将满6个月未联系");

        var lastContact = today.AddMonths(-6);
        await SetLastContactAsync(regId, lastContact);
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        var critical = await MobileAlertAsync(community, branch, member.Id);
        critical.GetProperty("severity").GetString().ShouldBe("Critical");
        critical.GetProperty("message").GetString().ShouldBe(
            $"流动党员流动测试甲（广东省深圳市南山区）自{lastContact:yyyy年M月d日}以来已满6个月未与党组织联系，请立即联系并了解情况");
        critical.GetProperty("dueOn").GetString().ShouldBe(D(today));
        var list = await community.GetJsonAsync($"/api/v1/mobile-members?orgId={branch}");
        list.GetProperty("total").GetInt32().ShouldBe(1);
        list.GetProperty("items")[0].GetProperty("monthsWithoutContact").GetInt32().ShouldBe(6);

        // A contact is recorded: the next evaluation resolves the alert.
        var bad = await (await community.PostAsJsonAsync($"/api/v1/mobile-members/{regId}/contacts", new { contactOn = D(today.AddDays(1)) }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        bad.FieldError("contactOn").ShouldBe("联系日期不能晚于今天");
        var contacted = await community.PostJsonAsync($"/api/v1/mobile-members/{regId}/contacts", new { contactOn = D(today) });
        contacted.GetProperty("lastContactOn").GetString().ShouldBe(D(today));
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        (await community.GetJsonAsync($"/api/v1/alerts?orgId={branch}")).GetProperty("items").EnumerateArray()
            .ShouldNotContain(a => a.GetProperty("ruleCode").GetString() == "member.mobile-no-contact");
        await using (var db = app.OpenDb())
        {
            (await db.Alerts.SingleAsync(a => a.RuleCode == "member.mobile-no-contact" && a.SubjectId == member.Id.ToString())).ResolvedAt.ShouldNotBeNull();
            (await db.AuditEntries.CountAsync(a => a.Action == "mobile.contact" && a.EntityId == regId.ToString())).ShouldBe(1);
        }

        // The member comes back: registration ended, status normal again.
        var ended = await community.PostJsonAsync($"/api/v1/mobile-members/{regId}/end", new { });
        ended.GetProperty("endedOn").GetString().ShouldBe(D(today));
        await using (var db = app.OpenDb())
            (await db.Members.SingleAsync(m => m.Id == member.Id)).Status.ShouldBe(MemberStatus.Normal);
        (await community.GetJsonAsync($"/api/v1/mobile-members?orgId={branch}")).GetProperty("total").GetInt32().ShouldBe(0);
        (await community.GetJsonAsync($"/api/v1/mobile-members?orgId={branch}&includeEnded=true")).GetProperty("total").GetInt32().ShouldBe(1);
    }

    private async Task SetLastContactAsync(Guid regId, DateOnly on)
    {
        await using var db = app.OpenDb();
        await db.MobileRegistrations.Where(r => r.Id == regId).ExecuteUpdateAsync(s => s.SetProperty(r => r.LastContactOn, on));
    }

    private static async Task<JsonElement> MobileAlertAsync(HttpClient client, Guid orgId, Guid memberId)
    {
        var alerts = await client.GetJsonAsync($"/api/v1/alerts?orgId={orgId}");
        return alerts.GetProperty("items").EnumerateArray()
            .Single(a => a.GetProperty("ruleCode").GetString() == "member.mobile-no-contact" && a.GetProperty("subjectId").GetString() == memberId.ToString());
    }

    [Fact]
    public async Task Mobile_registration_outside_scope_or_incomplete_writes_nothing()
    {
        var community = await app.LoginAsync("demo-community");
        var outsider = await MemberOfAnotherStreetAsync();
        var today = app.Today;
        await using var before = app.OpenDb();
        var count = await before.MobileRegistrations.CountAsync();

        var problem = await (await community.PostAsJsonAsync("/api/v1/mobile-members", new
        {
            memberId = outsider.Id, location = "北京", since = D(today), contactPerson = "王书记",
        })).ProblemAsync(HttpStatusCode.BadRequest);
        problem.FieldError("memberId").ShouldBe("党员不存在或不在您的管理范围内");

        var incomplete = await (await community.PostAsJsonAsync("/api/v1/mobile-members", new { since = D(today.AddDays(3)) }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        incomplete.FieldError("location").ShouldBe("流动去向不能为空");
        incomplete.FieldError("contactPerson").ShouldBe("联系人不能为空");
        incomplete.FieldError("since").ShouldBe("外出日期不能晚于今天");
        incomplete.FieldError("memberId").ShouldBe("请选择党员");

        await using var after = app.OpenDb();
        (await after.MobileRegistrations.CountAsync()).ShouldBe(count);
        (await after.Members.SingleAsync(m => m.Id == outsider.Id)).Status.ShouldBe(MemberStatus.Normal);
        // The grid worker reads but does not register.
        var grid = await app.LoginAsync("demo-grid");
        await (await grid.PostAsJsonAsync("/api/v1/mobile-members", new { memberId = outsider.Id })).ProblemAsync(HttpStatusCode.Forbidden);
    }

    // ------------------------------------------------------------------ points

    [Fact]
    public async Task Point_items_that_reward_app_activity_are_refused_and_nothing_is_written()
    {
        var community = await app.LoginAsync("demo-community");
        var branch = await NewBranchAsync(community, "积分禁止项测试网格党支部");
        await using var before = app.OpenDb();
        var items = await before.PointItems.CountAsync();
        var audit = await before.AuditEntries.CountAsync();

        foreach (var (name, word) in new[] { ("每日登录", "登录"), ("学习时长达标", "学习时长"), ("在线时长", "在线"), ("文章点赞", "点赞"), ("转发文章", "转发"), ("分享活动", "分享"), ("每日打卡", "打卡"), ("会议签到", "签到") })
        {
            var p = await (await community.PostAsJsonAsync("/api/v1/points/items", new { organizationId = branch, name, points = 1 })).ProblemAsync(HttpStatusCode.BadRequest);
            var message = p.FieldError("name");
            message.ShouldContain($"“{word}”");
            message.ShouldContain("国办函〔2026〕12号");
        }
        var range = await (await community.PostAsJsonAsync("/api/v1/points/items", new { organizationId = branch, name = "志愿服务", points = 101 })).ProblemAsync(HttpStatusCode.BadRequest);
        range.FieldError("points").ShouldBe("分值须在1到100之间");

        await using var after = app.OpenDb();
        (await after.PointItems.CountAsync()).ShouldBe(items);
        (await after.AuditEntries.CountAsync()).ShouldBe(audit);
    }

    [Fact]
    public async Task Points_need_evidence_stay_in_scope_and_total_per_member_by_year_sorted_by_name()
    {
        var community = await app.LoginAsync("demo-community");
        var branch = await NewBranchAsync(community, "积分测试网格党支部");
        var other = await NewBranchAsync(community, "积分测试另一网格党支部");
        var zhang = await app.AddMemberAsync(branch, "张积分", new DateOnly(2005, 5, 5));
        var li = await app.AddMemberAsync(branch, "李积分", new DateOnly(2006, 6, 6));
        var wang = await app.AddMemberAsync(other, "王积分", new DateOnly(2007, 7, 7));
        var today = app.Today;
        var thisYear = new DateOnly(today.Year, 1, 1);
        var lastYear = new DateOnly(today.Year - 1, 6, 1);

        var volunteer = (await community.PostJsonAsync("/api/v1/points/items", new { organizationId = branch, name = "志愿服务", points = 2 }, HttpStatusCode.Created)).Id();
        var themeDay = (await community.PostJsonAsync("/api/v1/points/items", new { organizationId = branch, name = "参加主题党日", points = 1 }, HttpStatusCode.Created)).Id();
        var staff = await app.UserAsync("demo-community");

        var first = await community.PostJsonAsync("/api/v1/points/records", new
        {
            memberId = zhang.Id, pointItemId = volunteer, date = D(thisYear), evidence = "社区环境整治志愿服务2小时", confirmedBy = "冒名",
        }, HttpStatusCode.Created);
        first.GetProperty("points").GetInt32().ShouldBe(2);
        first.GetProperty("confirmedBy").GetString().ShouldBe(staff.DisplayName);
        await community.PostJsonAsync("/api/v1/points/records", new { memberId = zhang.Id, pointItemId = themeDay, date = D(thisYear), evidence = "参加12月主题党日" }, HttpStatusCode.Created);
        await community.PostJsonAsync("/api/v1/points/records", new { memberId = li.Id, pointItemId = volunteer, date = D(thisYear), evidence = "帮扶困难群众" }, HttpStatusCode.Created);
        await community.PostJsonAsync("/api/v1/points/records", new { memberId = zhang.Id, pointItemId = volunteer, date = D(lastYear), evidence = "去年的志愿服务" }, HttpStatusCode.Created);

        await using (var before = app.OpenDb())
        {
            var count = await before.PointRecords.CountAsync();
            var noEvidence = await (await community.PostAsJsonAsync("/api/v1/points/records", new { memberId = zhang.Id, pointItemId = volunteer, date = D(thisYear), evidence = " " }))
                .ProblemAsync(HttpStatusCode.BadRequest);
            noEvidence.FieldError("evidence").ShouldBe("佐证说明不能为空");
            // A member outside the caller's scope does not exist for the caller.
            var outsider = await MemberOfAnotherStreetAsync();
            var outside = await (await community.PostAsJsonAsync("/api/v1/points/records", new { memberId = outsider.Id, pointItemId = volunteer, date = D(thisYear), evidence = "x" }))
                .ProblemAsync(HttpStatusCode.BadRequest);
            outside.FieldError("memberId").ShouldBe("党员不存在或不在您的管理范围内");
            // A member in scope but outside the branch that defined the item.
            var notHere = await (await community.PostAsJsonAsync("/api/v1/points/records", new { memberId = wang.Id, pointItemId = volunteer, date = D(thisYear), evidence = "x" }))
                .ProblemAsync(HttpStatusCode.BadRequest);
            notHere.FieldError("pointItemId").ShouldBe("该积分项目不适用于该党员所在的党组织");
            var future = await (await community.PostAsJsonAsync("/api/v1/points/records", new { memberId = li.Id, pointItemId = volunteer, date = D(today.AddDays(1)), evidence = "x" }))
                .ProblemAsync(HttpStatusCode.BadRequest);
            future.FieldError("date").ShouldBe("日期不能晚于今天");
            await using var after = app.OpenDb();
            (await after.PointRecords.CountAsync()).ShouldBe(count);
        }

        var totals = await community.GetJsonAsync($"/api/v1/points/totals?orgId={branch}&year={today.Year}");
        var rows = totals.GetProperty("items").EnumerateArray().ToList();
        rows.Select(r => r.GetProperty("memberName").GetString()).ShouldBe(new[] { "张积分", "李积分" }.OrderBy(n => n, StringComparer.Ordinal).ToList());
        rows.Single(r => r.GetProperty("memberId").GetGuid() == zhang.Id).GetProperty("total").GetInt32().ShouldBe(3);
        rows.Single(r => r.GetProperty("memberId").GetGuid() == li.Id).GetProperty("total").GetInt32().ShouldBe(2);
        rows.ShouldAllBe(r => r.EnumerateObject().All(p => p.Name != "rank"));
        var previous = await community.GetJsonAsync($"/api/v1/points/totals?orgId={branch}&year={today.Year - 1}");
        previous.GetProperty("items").EnumerateArray().Single().GetProperty("total").GetInt32().ShouldBe(2);
        (await community.GetJsonAsync($"/api/v1/points/records?memberId={zhang.Id}&year={today.Year}")).GetProperty("total").GetInt32().ShouldBe(2);

        // Another street's staff see none of it.
        var grid = await app.LoginAsync("demo-grid");
        await (await grid.GetAsync($"/api/v1/points/totals?orgId={branch}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    // ------------------------------------------------------------------ anniversaries

    [Fact]
    public async Task Anniversaries_wrap_from_december_to_january_and_feb_29_falls_on_feb_28_in_a_common_year()
    {
        app.Today.ShouldBe(new DateOnly(2026, 12, 20), "this test sets the clock forward itself and must start at the fixture's start");
        var community = await app.LoginAsync("demo-community");
        var branch = await NewBranchAsync(community, "政治生日测试网格党支部");
        var leap = await app.AddMemberAsync(branch, "闰日入党", new DateOnly(2004, 2, 29));
        var january = await app.AddMemberAsync(branch, "一月入党", new DateOnly(1999, 1, 5));
        var december = await app.AddMemberAsync(branch, "十二月入党", new DateOnly(2010, 12, 25));
        var march = await app.AddMemberAsync(branch, "三月入党", new DateOnly(2015, 3, 5));
        await app.AddMemberAsync(branch, "六月入党", new DateOnly(2001, 6, 1));

        // 2026-12-20 + 60 days = 2027-02-18: December, then January; Feb 28 not yet.
        var winter = await community.GetJsonAsync($"/api/v1/members/anniversaries?orgId={branch}&days=60");
        winter.GetProperty("to").GetString().ShouldBe("2027-02-18");
        var items = winter.GetProperty("items").EnumerateArray().ToList();
        items.Select(i => i.GetProperty("memberId").GetGuid()).ShouldBe([december.Id, january.Id]);
        items[0].GetProperty("anniversary").GetString().ShouldBe("2026-12-25");
        items[0].GetProperty("years").GetInt32().ShouldBe(16);
        items[1].GetProperty("anniversary").GetString().ShouldBe("2027-01-05");
        items[1].GetProperty("years").GetInt32().ShouldBe(28);
        items[1].GetProperty("partyAge").GetInt32().ShouldBe(26);

        // 2027 is a common year: the Feb 29 joiner is listed on Feb 28.
        app.Time.SetUtcNow(new DateTimeOffset(2027, 2, 10, 2, 0, 0, TimeSpan.Zero));
        community = await app.LoginAsync("demo-community");
        var spring = await community.GetJsonAsync($"/api/v1/members/anniversaries?orgId={branch}&days=30");
        var springItems = spring.GetProperty("items").EnumerateArray().ToList();
        springItems.Select(i => i.GetProperty("memberId").GetGuid()).ShouldBe([leap.Id, march.Id]);
        springItems[0].GetProperty("anniversary").GetString().ShouldBe("2027-02-28");
        springItems[0].GetProperty("years").GetInt32().ShouldBe(23);
        springItems[1].GetProperty("anniversary").GetString().ShouldBe("2027-03-05");
        // A window ending on Feb 28 still holds it.
        (await community.GetJsonAsync($"/api/v1/members/anniversaries?orgId={branch}&days=18")).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("memberId").GetGuid()).ShouldBe([leap.Id]);

        var tooMany = await (await community.GetAsync($"/api/v1/members/anniversaries?orgId={branch}&days=61")).ProblemAsync(HttpStatusCode.BadRequest);
        tooMany.FieldError("days").ShouldBe("天数须在1到60之间");
        var member = await app.LoginAsync("demo-member");
        await (await member.GetAsync($"/api/v1/members/anniversaries?orgId={branch}")).ProblemAsync(HttpStatusCode.Forbidden);
    }

    // ------------------------------------------------------------------ self-service and corrections

    [Fact]
    public async Task Member_sees_only_the_own_masked_record_and_requests_a_correction_the_branch_resolves()
    {
        var member = await app.LoginAsync("demo-member");
        var account = await app.UserAsync("demo-member");
        var protector = app.Services.GetRequiredService<FieldProtector>();
        Member own;
        await using (var db = app.OpenDb())
            own = await db.Members.AsNoTracking().Include(m => m.Organization).SingleAsync(m => m.Id == account.MemberId);

        var response = await member.GetAsync("/api/v1/me/member");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var me = JsonDocument.Parse(body).RootElement;
        me.Id().ShouldBe(own.Id);
        me.GetProperty("name").GetString().ShouldBe(own.Name);
        me.GetProperty("organizationName").GetString().ShouldBe(own.Organization!.Name);
        me.GetProperty("idNumberMasked").GetString().ShouldBe(own.IdNumberMasked);
        me.GetProperty("idNumberMasked").GetString()!.ShouldContain("*");
        me.GetProperty("phoneMasked").GetString().ShouldBe(own.PhoneMasked);
        body.ShouldNotContain(protector.Decrypt(own.IdNumberCipher));
        body.ShouldNotContain(protector.Decrypt(own.PhoneCipher!));
        me.TryGetProperty("idNumber", out _).ShouldBeFalse();
        me.GetProperty("joinedOn").GetString().ShouldBe(D(own.JoinedOn));

        // The member reads nothing of the registry beyond the own record; staff have no "me".
        await (await member.GetAsync("/api/v1/members")).ProblemAsync(HttpStatusCode.Forbidden);
        await (await member.GetAsync("/api/v1/corrections")).ProblemAsync(HttpStatusCode.Forbidden);
        var community = await app.LoginAsync("demo-community");
        await (await community.GetAsync("/api/v1/me/member")).ProblemAsync(HttpStatusCode.Forbidden);

        var empty = await (await member.PostAsJsonAsync("/api/v1/me/corrections", new { content = "" })).ProblemAsync(HttpStatusCode.BadRequest);
        empty.FieldError("content").ShouldBe("更正内容不能为空");
        var created = await member.PostJsonAsync("/api/v1/me/corrections", new { content = "我的转正日期有误，应为2002年7月1日" }, HttpStatusCode.Created);
        var requestId = created.Id();
        await using (var db = app.OpenDb())
        {
            var row = await db.CorrectionRequests.SingleAsync(c => c.Id == requestId);
            row.OrganizationId.ShouldBe(own.OrganizationId);
            row.MemberId.ShouldBe(own.Id);
            row.Status.ShouldBe(CorrectionStatus.Open);
            var audit = await db.AuditEntries.SingleAsync(a => a.EntityType == "CorrectionRequest" && a.EntityId == requestId.ToString());
            audit.UserName.ShouldBe("demo-member");
            audit.Action.ShouldBe("create");
        }

        var communityOrg = await app.OrgOfAsync("demo-community");
        var open = await community.GetJsonAsync($"/api/v1/corrections?orgId={communityOrg}&status=Open");
        var item = open.GetProperty("items").EnumerateArray().Single(c => c.Id() == requestId);
        item.GetProperty("memberName").GetString().ShouldBe(own.Name);
        item.GetProperty("statusName").GetString().ShouldBe("待处理");
        var grid = await app.LoginAsync("demo-grid");
        await (await grid.GetAsync("/api/v1/corrections")).ProblemAsync(HttpStatusCode.Forbidden);

        var noReply = await (await community.PostAsJsonAsync($"/api/v1/corrections/{requestId}/resolve", new { status = "Done" })).ProblemAsync(HttpStatusCode.BadRequest);
        noReply.FieldError("reply").ShouldBe("答复不能为空");
        var resolved = await community.PostJsonAsync($"/api/v1/corrections/{requestId}/resolve", new { status = "Done", reply = "已核实并更正转正日期" });
        resolved.GetProperty("status").GetString().ShouldBe("Done");
        var twice = await (await community.PostAsJsonAsync($"/api/v1/corrections/{requestId}/resolve", new { status = "Declined", reply = "x" })).ProblemAsync(HttpStatusCode.BadRequest);
        twice.FieldError("status").ShouldBe("该申请已处理");

        var after = await member.GetJsonAsync("/api/v1/me/member");
        var mine = after.GetProperty("corrections").EnumerateArray().Single(c => c.Id() == requestId);
        mine.GetProperty("statusName").GetString().ShouldBe("已更正");
        mine.GetProperty("reply").GetString().ShouldBe("已核实并更正转正日期");
        await using (var db = app.OpenDb())
            (await db.AuditEntries.CountAsync(a => a.Action == "correction.resolve" && a.EntityId == requestId.ToString())).ShouldBe(1);
    }

    [Fact]
    public async Task Member_sees_own_points_of_this_year()
    {
        var community = await app.LoginAsync("demo-community");
        var account = await app.UserAsync("demo-member");
        Guid orgId;
        await using (var db = app.OpenDb())
            orgId = await db.Members.Where(m => m.Id == account.MemberId).Select(m => m.OrganizationId).SingleAsync();
        var item = (await community.PostJsonAsync("/api/v1/points/items", new { organizationId = orgId, name = "楼栋议事服务", points = 3 }, HttpStatusCode.Created)).Id();
        await community.PostJsonAsync("/api/v1/points/records", new { memberId = account.MemberId, pointItemId = item, date = D(app.Today), evidence = "主持楼栋议事会" }, HttpStatusCode.Created);

        var member = await app.LoginAsync("demo-member");
        var me = await member.GetJsonAsync("/api/v1/me/member");
        var points = me.GetProperty("points");
        points.GetProperty("year").GetInt32().ShouldBe(app.Today.Year);
        points.GetProperty("records").EnumerateArray().ShouldContain(r => r.GetProperty("itemName").GetString() == "楼栋议事服务" && r.GetProperty("points").GetInt32() == 3);
        points.GetProperty("total").GetInt32().ShouldBe(points.GetProperty("records").EnumerateArray().Sum(r => r.GetProperty("points").GetInt32()));
    }

    // ------------------------------------------------------------------ dual registration

    [Fact]
    public async Task Community_registers_an_in_service_member_of_another_street_and_sees_them_and_their_services()
    {
        var community = await app.LoginAsync("demo-community");
        var communityOrg = await app.OrgOfAsync("demo-community");
        var staff = await app.UserAsync("demo-community");
        var protector = app.Services.GetRequiredService<FieldProtector>();
        var employed = await MemberOfAnotherStreetAsync();
        var idNumber = protector.Decrypt(employed.IdNumberCipher);
        var phone = protector.Decrypt(employed.PhoneCipher!);

        // The member is outside the community's scope: the registry does not show them.
        await (await community.GetAsync($"/api/v1/members/{employed.Id}")).ProblemAsync(HttpStatusCode.NotFound);

        var response = await community.PostAsJsonAsync("/api/v1/dual-registrations/lookup", new { idNumber });
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        body.ShouldNotContain(idNumber);
        body.ShouldNotContain(phone);
        var found = JsonDocument.Parse(body).RootElement;
        found.GetProperty("memberId").GetGuid().ShouldBe(employed.Id);
        found.GetProperty("name").GetString().ShouldBe(employed.Name);
        found.GetProperty("idNumberMasked").GetString().ShouldBe(employed.IdNumberMasked);
        found.GetProperty("alreadyRegistered").GetBoolean().ShouldBeFalse();
        (await community.PostJsonAsync("/api/v1/dual-registrations/lookup", new { name = employed.Name, phone })).GetProperty("memberId").GetGuid().ShouldBe(employed.Id);

        // Unknown or not in service: the same answer, and the attempt is audited.
        var unknown = await (await community.PostAsJsonAsync("/api/v1/dual-registrations/lookup", new { idNumber = IdCardNumber.Complete("11010519800101999") }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        unknown.FieldError("idNumber").ShouldBe("未找到该在职党员，请核对身份证号或姓名和手机号");
        var retired = await MemberOfAnotherStreetAsync(Occupation.Retired);
        var notInService = await (await community.PostAsJsonAsync("/api/v1/dual-registrations/lookup", new { idNumber = protector.Decrypt(retired.IdNumberCipher) }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        notInService.FieldError("idNumber").ShouldBe(unknown.FieldError("idNumber"));
        await using (var db = app.OpenDb())
        {
            (await db.AuditEntries.CountAsync(a => a.Action == "member.lookup" && a.EntityId == employed.Id.ToString() && a.Success && a.UserName == "demo-community")).ShouldBe(2);
            (await db.AuditEntries.CountAsync(a => a.Action == "member.lookup" && !a.Success && a.UserName == "demo-community")).ShouldBeGreaterThanOrEqualTo(2);
        }

        // Registering with something that is not a community is refused.
        var gridBranch = await app.OrgOfAsync("demo-grid");
        var wrong = await (await community.PostAsJsonAsync("/api/v1/dual-registrations", new { memberId = employed.Id, communityId = gridBranch }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        wrong.FieldError("communityId").ShouldBe("双报到应登记在社区党委或社区党总支");

        var reg = await community.PostJsonAsync("/api/v1/dual-registrations", new { memberId = employed.Id, communityId = communityOrg, serviceIntent = "环境整治、政策宣讲" }, HttpStatusCode.Created);
        var regId = reg.Id();
        reg.GetProperty("memberName").GetString().ShouldBe(employed.Name);
        reg.GetProperty("workUnit").GetString().ShouldBe(employed.WorkUnit);
        await using (var db = app.OpenDb())
            (await db.DualRegistrations.SingleAsync(r => r.Id == regId)).OrganizationId.ShouldBe(communityOrg);
        var twice = await (await community.PostAsJsonAsync("/api/v1/dual-registrations", new { memberId = employed.Id, communityId = communityOrg }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        twice.FieldError("memberId").ShouldBe("该党员已在社区报到，请先由原报到社区结束报到");

        var service = await community.PostJsonAsync("/api/v1/service-records", new { dualRegistrationId = regId, date = D(app.Today), content = "参加社区环境整治" }, HttpStatusCode.Created);
        service.GetProperty("confirmedBy").GetString().ShouldBe(staff.DisplayName);
        service.GetProperty("memberName").GetString().ShouldBe(employed.Name);

        var list = await community.GetJsonAsync($"/api/v1/dual-registrations?orgId={communityOrg}");
        var row = list.GetProperty("items").EnumerateArray().Single(r => r.Id() == regId);
        row.GetProperty("serviceCount").GetInt32().ShouldBe(1);
        row.GetProperty("phoneMasked").GetString().ShouldBe(employed.PhoneMasked);
        var services = await community.GetJsonAsync($"/api/v1/service-records?orgId={communityOrg}&memberId={employed.Id}");
        services.GetProperty("items")[0].GetProperty("content").GetString().ShouldBe("参加社区环境整治");
        // Still no access to the member record itself.
        await (await community.GetAsync($"/api/v1/members/{employed.Id}")).ProblemAsync(HttpStatusCode.NotFound);

        // The grid worker's scope is one grid: the community's registrations are not theirs.
        var grid = await app.LoginAsync("demo-grid");
        (await grid.GetJsonAsync("/api/v1/dual-registrations?pageSize=200")).GetProperty("items").EnumerateArray().ShouldNotContain(r => r.Id() == regId);
        await (await grid.GetAsync($"/api/v1/dual-registrations/{regId}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Unit_registration_keeps_the_contact_phone_encrypted_and_masked()
    {
        var community = await app.LoginAsync("demo-community");
        var communityOrg = await app.OrgOfAsync("demo-community");
        var unit = await community.PostJsonAsync("/api/v1/unit-registrations", new
        {
            communityId = communityOrg, unitName = "云湖区税务局机关党支部", contactPerson = "赵主任", contactPhone = "13812345678", resourcesOffered = "政策宣讲、志愿者10名",
        }, HttpStatusCode.Created);
        unit.GetProperty("contactPhoneMasked").GetString().ShouldBe("138****5678");
        var id = unit.Id();
        await using (var db = app.OpenDb())
        {
            var row = await db.UnitRegistrations.SingleAsync(u => u.Id == id);
            row.ContactPhoneCipher.ShouldNotBeNull().ShouldStartWith("sm4gcm:");
            row.ContactPhoneCipher.ShouldNotContain("13812345678");
            var audit = await db.AuditEntries.SingleAsync(a => a.EntityType == "UnitRegistration" && a.EntityId == id.ToString() && a.Action == "create");
            audit.Changes.ShouldNotBeNull().ShouldNotContain("13812345678");
        }
        (await community.GetJsonAsync($"/api/v1/unit-registrations?orgId={communityOrg}")).GetProperty("items").EnumerateArray()
            .ShouldContain(u => u.Id() == id && u.GetProperty("contactPhoneMasked").GetString() == "138****5678");

        var revealed = await community.PostJsonAsync($"/api/v1/unit-registrations/{id}/reveal", new { });
        revealed.GetProperty("contactPhone").GetString().ShouldBe("13812345678");
        await using (var db = app.OpenDb())
            (await db.AuditEntries.CountAsync(a => a.Action == "reveal" && a.EntityId == id.ToString())).ShouldBe(1);
        var grid = await app.LoginAsync("demo-grid");
        await (await grid.PostAsync($"/api/v1/unit-registrations/{id}/reveal", null)).ProblemAsync(HttpStatusCode.NotFound);

        var bad = await (await community.PostAsJsonAsync("/api/v1/unit-registrations", new { communityId = communityOrg, unitName = "某单位", contactPerson = "赵", contactPhone = "12345", resourcesOffered = "x" }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        bad.FieldError("contactPhone").ShouldBe("联系电话应为11位手机号，或带区号的固定电话");
    }
}
