using Jiceng.Web.Infrastructure;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Domain.Security;
using Jiceng.Domain.Transfers;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jiceng.Web.Tests.Features.Transfers;

public sealed class TransferApiTests_Sqlite(SqliteApp app) : TransferApiTests(app), IClassFixture<SqliteApp>;

public sealed class TransferApiTests_Postgres(PostgresApp app) : TransferApiTests(app), IClassFixture<PostgresApp>;

public abstract class TransferApiTests(JicengApp app)
{
    private static DateOnly Today => TimeProvider.System.Today();

    private async Task<Guid> ScopeOrgAsync(HttpClient client) =>
        (await client.GetJsonAsync("/api/v1/auth/me")).GetProperty("scopes")[0].GetProperty("organizationId").GetGuid();

    private async Task<string> PathAsync(Guid orgId)
    {
        await using var db = app.OpenDb();
        return await db.Organizations.Where(o => o.Id == orgId).Select(o => o.Path).SingleAsync();
    }

    /// <summary>A normal member under <paramref name="underOrg"/> who has never been transferred, so each test has its own.</summary>
    private async Task<Member> FreshMemberAsync(Guid underOrg)
    {
        var path = await PathAsync(underOrg);
        await using var db = app.OpenDb();
        var used = db.Transfers.Where(t => t.MemberId != null).Select(t => t.MemberId!.Value);
        return await db.Members.Include(m => m.Organization)
            .Where(m => m.Organization!.Path.StartsWith(path) && m.Status == MemberStatus.Normal && !used.Contains(m.Id))
            .OrderBy(m => m.Id).FirstAsync();
    }

    /// <summary>An active branch under another street than demo-street's, and that street.</summary>
    private async Task<(Guid Branch, Guid Street)> BranchInOtherStreetAsync(Guid ownStreet)
    {
        await using var db = app.OpenDb();
        var street = await db.Organizations.Where(o => o.Kind == OrganizationKind.StreetWorkingCommittee && o.Id != ownStreet)
            .OrderBy(o => o.SortOrder).FirstAsync();
        var branch = await db.Organizations
            .Where(o => o.Path.StartsWith(street.Path) && o.Kind == OrganizationKind.GridBranch && o.Status == OrganizationStatus.Active)
            .OrderBy(o => o.Path).FirstAsync();
        return (branch.Id, street.Id);
    }

    /// <summary>An account holding only the other street, as its street administrator: the in-side alone.</summary>
    private async Task<HttpClient> StreetAdminOfAsync(Guid street)
    {
        var userName = "street-" + street.ToString("N")[..8];
        await using (var db = app.OpenDb())
        {
            if (!await db.Users.AnyAsync(u => u.UserName == userName))
            {
                var sec = await app.LoginAsync("demo-secadmin");
                await sec.PostJsonAsync("/api/v1/users", new
                {
                    userName, displayName = "转入街道管理员", password = JicengApp.DemoPassword,
                    roles = new[] { new { role = "StreetAdmin", organizationId = street } },
                });
            }
        }
        return await app.LoginAsync(userName);
    }

    private static object Internal(Guid memberId, Guid to, string reason = "工作调动") =>
        new { kind = "Internal", memberId, toOrganizationId = to, reason, paidThrough = "2026-10" };

    private async Task<(int Transfers, int Steps, long Audit)> CountsAsync()
    {
        await using var db = app.OpenDb();
        return (await db.Transfers.CountAsync(), await db.TransferSteps.CountAsync(), await db.AuditEntries.LongCountAsync());
    }

    private static List<string> Steps(JsonElement t) =>
        t.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("action").GetString()!).ToList();

    private static List<string> Actions(JsonElement t) =>
        t.GetProperty("actions").EnumerateArray().Select(s => s.GetString()!).ToList();

    [Fact]
    public async Task Internal_transfer_runs_out_side_then_in_side_and_moves_the_member_on_receipt()
    {
        var community = await app.LoginAsync("demo-community");
        var street = await app.LoginAsync("demo-street");
        var streetId = await ScopeOrgAsync(street);
        var member = await FreshMemberAsync(await ScopeOrgAsync(community));
        var (target, otherStreet) = await BranchInOtherStreetAsync(streetId);
        var inSide = await StreetAdminOfAsync(otherStreet);

        var created = await community.PostJsonAsync("/api/v1/transfers", Internal(member.Id, target), HttpStatusCode.Created);
        var id = created.Id();
        created.GetProperty("status").GetString().ShouldBe("Requested");
        created.GetProperty("statusName").GetString().ShouldBe("待转出方党委审批");
        created.GetProperty("memberName").GetString().ShouldBe(member.Name);
        created.GetProperty("fromOrganizationId").GetGuid().ShouldBe(member.OrganizationId);
        created.GetProperty("paidThrough").GetString().ShouldBe("2026-10");
        Actions(created).ShouldContain("cancel");

        // The in-side sees the request (it names its organization) but cannot take the out-side's step.
        var seen = await inSide.GetJsonAsync($"/api/v1/transfers/{id}");
        seen.GetProperty("fromOrganizationName").GetString().ShouldNotBeNullOrEmpty();
        Actions(seen).ShouldBeEmpty();
        var wrongSide = await (await inSide.PostAsJsonAsync($"/api/v1/transfers/{id}/approve", new { })).ProblemAsync(HttpStatusCode.Forbidden);
        wrongSide.GetProperty("detail").GetString()!.ShouldStartWith("该步骤应由转出方");

        // The out-side committee approves: the letter is issued, valid for the setting's 3 months.
        var outApproved = await street.PostJsonAsync($"/api/v1/transfers/{id}/approve", new { note = "同意转出" });
        outApproved.GetProperty("status").GetString().ShouldBe("OutApproved");
        outApproved.GetProperty("letterNumber").GetString()!.ShouldStartWith($"{Today:yyyy}-");
        outApproved.GetProperty("letterIssuedOn").GetString().ShouldBe(Today.ToString("yyyy-MM-dd"));
        outApproved.GetProperty("validUntil").GetString().ShouldBe(TransferRules.ValidUntil(Today, 3).ToString("yyyy-MM-dd"));

        // Now the out-side cannot approve for the in-side.
        var community403 = await (await community.PostAsJsonAsync($"/api/v1/transfers/{id}/approve", new { })).ProblemAsync(HttpStatusCode.Forbidden);
        community403.GetProperty("detail").GetString()!.ShouldStartWith("该步骤应由转入方");
        await (await community.PostAsJsonAsync($"/api/v1/transfers/{id}/receive", new { })).ProblemAsync(HttpStatusCode.BadRequest);

        var inApproved = await inSide.PostJsonAsync($"/api/v1/transfers/{id}/approve", new { });
        inApproved.GetProperty("status").GetString().ShouldBe("InApproved");
        Actions(inApproved).ShouldBe(["receive", "reject"]);
        await (await community.PostAsJsonAsync($"/api/v1/transfers/{id}/receive", new { })).ProblemAsync(HttpStatusCode.Forbidden);

        // Receipt by the in-side, which does not hold the member's old organization: the member moves.
        var done = await inSide.PostJsonAsync($"/api/v1/transfers/{id}/receive", new { note = "已报到" });
        done.GetProperty("status").GetString().ShouldBe("Completed");
        Steps(done).ShouldBe(["request", "out-approve", "in-approve", "receive"]);
        done.GetProperty("steps")[3].GetProperty("byUser").GetString().ShouldBe("转入街道管理员");

        await using var db = app.OpenDb();
        var moved = await db.Members.SingleAsync(m => m.Id == member.Id);
        moved.OrganizationId.ShouldBe(target);
        moved.Status.ShouldBe(MemberStatus.Normal);
        var stored = await db.Transfers.Include(t => t.Steps).SingleAsync(t => t.Id == id);
        stored.Status.ShouldBe(TransferStatus.Completed);
        stored.CompletedAt.ShouldNotBeNull();
        stored.Steps.Count.ShouldBe(4);

        var audit = await db.AuditEntries.Where(a => a.EntityId == id.ToString() || a.EntityId == member.Id.ToString()).OrderBy(a => a.At).ThenBy(a => a.Sequence).ToListAsync();
        audit.Where(a => a.EntityType == "Transfer").Select(a => a.Action)
            .ShouldBe(["transfer.request", "transfer.approve", "transfer.approve", "transfer.receive"]);
        var memberAudit = audit.Single(a => a.EntityType == "Member");
        memberAudit.Action.ShouldBe("transfer.receive");
        memberAudit.UserName.ShouldBe("street-" + otherStreet.ToString("N")[..8]);
        memberAudit.Changes!.ShouldContain(target.ToString());
        var receipt = audit.Single(a => a.EntityType == "Transfer" && a.Action == "transfer.receive");
        // One SaveChanges: the member, the transfer and the step are recorded together, in one transaction.
        receipt.At.ShouldBe(memberAudit.At);
        Math.Abs(receipt.Sequence - memberAudit.Sequence).ShouldBeLessThanOrEqualTo(2);

        // The member now belongs to the in-side: the out-side no longer sees the record; both still see the transfer.
        (await community.GetAsync($"/api/v1/members/{member.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await inSide.GetJsonAsync($"/api/v1/members/{member.Id}")).GetProperty("organizationId").GetGuid().ShouldBe(target);
        (await community.GetJsonAsync($"/api/v1/transfers/{id}")).GetProperty("status").GetString().ShouldBe("Completed");
        var inList = await inSide.GetJsonAsync($"/api/v1/transfers?orgId={otherStreet}&status=Completed");
        inList.GetProperty("items").EnumerateArray().ShouldContain(t => t.Id() == id);
    }

    [Fact]
    public async Task A_formal_transfer_ends_the_mobile_registration_and_takes_open_corrections_along()
    {
        var community = await app.LoginAsync("demo-community");
        var street = await app.LoginAsync("demo-street");
        var member = await FreshMemberAsync(await ScopeOrgAsync(community));
        var (target, otherStreet) = await BranchInOtherStreetAsync(await ScopeOrgAsync(street));
        var inSide = await StreetAdminOfAsync(otherStreet);
        await community.PostJsonAsync("/api/v1/mobile-members", new
        {
            memberId = member.Id, location = "广东省深圳市", since = Today.AddMonths(-8).ToString("yyyy-MM-dd"), contactPerson = "支部书记",
        }, HttpStatusCode.Created);
        await using (var db0 = app.OpenDb())
        {
            (await db0.Members.SingleAsync(m => m.Id == member.Id)).Status.ShouldBe(MemberStatus.Mobile);
            db0.CorrectionRequests.Add(new CorrectionRequest
            {
                Id = Guid.NewGuid(), MemberId = member.Id, OrganizationId = member.OrganizationId, Content = "学历应为本科", CreatedAt = DateTimeOffset.UtcNow,
            });
            await db0.SaveChangesAsync();
        }

        var id = (await community.PostJsonAsync("/api/v1/transfers", Internal(member.Id, target, "到深圳定居"), HttpStatusCode.Created)).Id();
        await street.PostJsonAsync($"/api/v1/transfers/{id}/approve", new { });
        await inSide.PostJsonAsync($"/api/v1/transfers/{id}/approve", new { });
        await inSide.PostJsonAsync($"/api/v1/transfers/{id}/receive", new { });

        await using var db = app.OpenDb();
        var moved = await db.Members.SingleAsync(m => m.Id == member.Id);
        moved.OrganizationId.ShouldBe(target);
        moved.Status.ShouldBe(MemberStatus.Normal);
        (await db.MobileRegistrations.SingleAsync(r => r.MemberId == member.Id)).EndedOn.ShouldBe(Today);
        (await db.CorrectionRequests.SingleAsync(c => c.MemberId == member.Id)).OrganizationId.ShouldBe(target);
    }

    [Fact]
    public async Task A_branch_requests_but_approval_belongs_to_the_committee_above_it()
    {
        var community = await app.LoginAsync("demo-community");
        var member = await FreshMemberAsync(await ScopeOrgAsync(community));
        var (target, _) = await BranchInOtherStreetAsync(await ScopeOrgAsync(await app.LoginAsync("demo-street")));
        var userName = "branch-" + member.OrganizationId.ToString("N")[..8];
        await (await app.LoginAsync("demo-secadmin")).PostJsonAsync("/api/v1/users", new
        {
            userName, displayName = "支部工作人员", password = JicengApp.DemoPassword,
            roles = new[] { new { role = "CommunityWorker", organizationId = member.OrganizationId } },
        });
        var branch = await app.LoginAsync(userName);
        string committee;
        await using (var db = app.OpenDb())
        {
            var path = await PathAsync(member.OrganizationId);
            var chain = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).ToList();
            var orgs = await db.Organizations.Where(o => chain.Contains(o.Id)).ToListAsync();
            committee = chain.AsEnumerable().Reverse().Select(id => orgs.Single(o => o.Id == id)).First(o => o.Kind.IsCommitteeLevel()).Name;
        }

        var created = await branch.PostJsonAsync("/api/v1/transfers", Internal(member.Id, target), HttpStatusCode.Created);
        Actions(created).ShouldBe(["cancel"]);
        var before = await CountsAsync();
        var refused = await (await branch.PostAsJsonAsync($"/api/v1/transfers/{created.Id()}/approve", new { })).ProblemAsync(HttpStatusCode.Forbidden);
        refused.GetProperty("detail").GetString().ShouldBe($"转出审批应由{committee}办理");
        await (await branch.PostAsJsonAsync($"/api/v1/transfers/{created.Id()}/reject", new { reason = "自行退回" })).ProblemAsync(HttpStatusCode.Forbidden);
        (await CountsAsync()).ShouldBe(before);

        // The requesting branch may withdraw its own request.
        (await branch.PostJsonAsync($"/api/v1/transfers/{created.Id()}/cancel", new { reason = "党员暂缓迁移" })).GetProperty("status").GetString().ShouldBe("Cancelled");
    }

    [Fact]
    public async Task The_out_side_committee_rejects_with_a_reason_and_the_member_may_start_again()
    {
        var community = await app.LoginAsync("demo-community");
        var street = await app.LoginAsync("demo-street");
        var member = await FreshMemberAsync(await ScopeOrgAsync(community));
        var (target, _) = await BranchInOtherStreetAsync(await ScopeOrgAsync(street));
        var id = (await community.PostJsonAsync("/api/v1/transfers", Internal(member.Id, target), HttpStatusCode.Created)).Id();

        var rejected = await street.PostJsonAsync($"/api/v1/transfers/{id}/reject", new { reason = "党费未交清" });
        rejected.GetProperty("status").GetString().ShouldBe("Rejected");
        rejected.GetProperty("statusName").GetString().ShouldBe("已退回");
        rejected.GetProperty("rejectionReason").GetString().ShouldBe("党费未交清");
        Steps(rejected).ShouldBe(["request", "reject"]);
        rejected.GetProperty("steps")[1].GetProperty("note").GetString().ShouldBe("党费未交清");

        // A closed transfer takes no more steps; the member stays put and may start a new transfer.
        (await (await street.PostAsJsonAsync($"/api/v1/transfers/{id}/approve", new { })).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("status").ShouldBe("当前状态为“已退回”，不能审批");
        await using (var db = app.OpenDb())
        {
            (await db.Members.SingleAsync(m => m.Id == member.Id)).OrganizationId.ShouldBe(member.OrganizationId);
            (await db.AuditEntries.CountAsync(a => a.EntityId == id.ToString() && a.Action == "transfer.reject")).ShouldBe(1);
        }
        await community.PostJsonAsync("/api/v1/transfers", Internal(member.Id, target, "再次申请"), HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_in_side_rejects_after_the_letter_is_issued()
    {
        var community = await app.LoginAsync("demo-community");
        var street = await app.LoginAsync("demo-street");
        var district = await app.LoginAsync("demo-district");
        var member = await FreshMemberAsync(await ScopeOrgAsync(community));
        var (target, _) = await BranchInOtherStreetAsync(await ScopeOrgAsync(street));
        var id = (await community.PostJsonAsync("/api/v1/transfers", Internal(member.Id, target), HttpStatusCode.Created)).Id();
        await street.PostJsonAsync($"/api/v1/transfers/{id}/approve", new { });

        var rejected = await district.PostJsonAsync($"/api/v1/transfers/{id}/reject", new { reason = "转入支部信息有误，请核实" });
        rejected.GetProperty("status").GetString().ShouldBe("Rejected");
        Steps(rejected).ShouldBe(["request", "out-approve", "reject"]);
        await using var db = app.OpenDb();
        (await db.Transfers.SingleAsync(t => t.Id == id)).RejectionReason.ShouldBe("转入支部信息有误，请核实");
        (await db.Members.SingleAsync(m => m.Id == member.Id)).OrganizationId.ShouldBe(member.OrganizationId);
    }

    [Fact]
    public async Task Rejecting_without_a_reason_is_refused_and_writes_nothing()
    {
        var community = await app.LoginAsync("demo-community");
        var street = await app.LoginAsync("demo-street");
        var member = await FreshMemberAsync(await ScopeOrgAsync(community));
        var (target, _) = await BranchInOtherStreetAsync(await ScopeOrgAsync(street));
        var id = (await community.PostJsonAsync("/api/v1/transfers", Internal(member.Id, target), HttpStatusCode.Created)).Id();
        var before = await CountsAsync();

        var problem = await (await street.PostAsJsonAsync($"/api/v1/transfers/{id}/reject", new { reason = "  " })).ProblemAsync(HttpStatusCode.BadRequest);
        problem.FieldError("reason").ShouldBe("退回原因不能为空");
        (await (await street.PostAsJsonAsync($"/api/v1/transfers/{id}/reject", new { })).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("reason").ShouldBe("退回原因不能为空");

        (await CountsAsync()).ShouldBe(before);
        await using var db = app.OpenDb();
        (await db.Transfers.SingleAsync(t => t.Id == id)).Status.ShouldBe(TransferStatus.Requested);
    }

    [Fact]
    public async Task An_expired_letter_cannot_be_received_and_raises_alerts_on_both_sides()
    {
        var community = await app.LoginAsync("demo-community");
        var street = await app.LoginAsync("demo-street");
        var district = await app.LoginAsync("demo-district");
        var system = await app.LoginAsync("demo-sysadmin");
        var member = await FreshMemberAsync(await ScopeOrgAsync(community));
        var (target, _) = await BranchInOtherStreetAsync(await ScopeOrgAsync(street));
        var id = (await community.PostJsonAsync("/api/v1/transfers", Internal(member.Id, target), HttpStatusCode.Created)).Id();
        await street.PostJsonAsync($"/api/v1/transfers/{id}/approve", new { });
        await district.PostJsonAsync($"/api/v1/transfers/{id}/approve", new { });

        // A second member's letter runs out in three days: a warning, not yet critical.
        var soon = await FreshMemberAsync(await ScopeOrgAsync(community));
        var soonId = (await community.PostJsonAsync("/api/v1/transfers", Internal(soon.Id, target), HttpStatusCode.Created)).Id();
        await street.PostJsonAsync($"/api/v1/transfers/{soonId}/approve", new { });

        var yesterday = Today.AddDays(-1);
        await using (var db = app.OpenDb())
        {
            await db.Transfers.Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.ValidUntil, yesterday));
            await db.Transfers.Where(t => t.Id == soonId).ExecuteUpdateAsync(s => s.SetProperty(t => t.ValidUntil, Today.AddDays(3)));
        }

        // Read as expired before anyone acts; the receipt is refused and the expiry recorded.
        var read = await district.GetJsonAsync($"/api/v1/transfers/{id}");
        read.GetProperty("status").GetString().ShouldBe("Expired");
        read.GetProperty("statusName").GetString().ShouldBe("介绍信已过期");
        Actions(read).ShouldBe(["cancel"]);
        (await district.GetJsonAsync($"/api/v1/transfers?orgId={member.OrganizationId}&status=Expired"))
            .GetProperty("items").EnumerateArray().Select(t => t.Id()).ShouldBe([id]);
        var refused = await (await district.PostAsJsonAsync($"/api/v1/transfers/{id}/receive", new { })).ProblemAsync(HttpStatusCode.BadRequest);
        refused.FieldError("validUntil").ShouldBe($"介绍信已于{yesterday:yyyy年M月d日}过期，不能再办理；请发起方撤回后重新办理");
        await using (var db = app.OpenDb())
        {
            var stored = await db.Transfers.Include(t => t.Steps).SingleAsync(t => t.Id == id);
            stored.Status.ShouldBe(TransferStatus.Expired);
            stored.Steps.Select(s => s.Action).ShouldContain("expire");
            (await db.Members.SingleAsync(m => m.Id == member.Id)).OrganizationId.ShouldBe(member.OrganizationId);
            (await db.AuditEntries.CountAsync(a => a.EntityId == id.ToString() && a.Action == "transfer.expire")).ShouldBe(1);
        }
        // Still unresolved: no second transfer for the member until it is withdrawn.
        (await (await community.PostAsJsonAsync("/api/v1/transfers", Internal(member.Id, target))).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("memberId").ShouldBe("该党员已有尚未办结的组织关系转接，请先办结或撤回");

        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        await using (var db = app.OpenDb())
        {
            var alerts = await db.Alerts.Where(a => a.RuleCode == "transfer.letter-expiry" && a.ResolvedAt == null).ToListAsync();
            var expired = alerts.Where(a => a.SubjectId == id.ToString()).ToList();
            expired.Select(a => a.OrganizationId).OrderBy(x => x).ShouldBe(new[] { member.OrganizationId, target }.OrderBy(x => x));
            expired.ShouldAllBe(a => a.Severity == Domain.Alerts.AlertSeverity.Critical);
            expired[0].Message.ShouldBe($"{member.Name}的组织关系介绍信（{read.GetProperty("letterNumber").GetString()}）已于{yesterday:yyyy年M月d日}过期，不能再办理接收，请撤回后重新办理");
            var warned = alerts.Where(a => a.SubjectId == soonId.ToString()).ToList();
            warned.Count.ShouldBe(2);
            warned.ShouldAllBe(a => a.Severity == Domain.Alerts.AlertSeverity.Warning);
        }
        // The out-side sees its alert through its own scope.
        (await community.GetJsonAsync($"/api/v1/alerts?orgId={member.OrganizationId}&pageSize=200")).GetProperty("items").EnumerateArray()
            .ShouldContain(a => a.GetProperty("subjectId").GetString() == id.ToString() && a.GetProperty("severity").GetString() == "Critical");

        // Withdrawn by the requesting side: the alert resolves at the next evaluation and the member is free again.
        var cancelled = await community.PostJsonAsync($"/api/v1/transfers/{id}/cancel", new { });
        cancelled.GetProperty("status").GetString().ShouldBe("Cancelled");
        Steps(cancelled).ShouldBe(["request", "out-approve", "in-approve", "expire", "cancel"]);
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        await using (var db = app.OpenDb())
            (await db.Alerts.Where(a => a.SubjectId == id.ToString()).ToListAsync()).ShouldAllBe(a => a.ResolvedAt != null);
        await community.PostJsonAsync("/api/v1/transfers", Internal(member.Id, target, "重新办理"), HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_member_outside_the_scope_cannot_be_transferred_and_foreign_transfers_are_invisible()
    {
        var community = await app.LoginAsync("demo-community");
        var district = await app.LoginAsync("demo-district");
        var streetId = await ScopeOrgAsync(await app.LoginAsync("demo-street"));
        var (_, otherStreet) = await BranchInOtherStreetAsync(streetId);
        var outsider = await FreshMemberAsync(otherStreet);
        var before = await CountsAsync();

        await (await community.PostAsJsonAsync("/api/v1/transfers", Internal(outsider.Id, await ScopeOrgAsync(community)))).ProblemAsync(HttpStatusCode.NotFound);
        (await CountsAsync()).ShouldBe(before);

        // A transfer between two organizations of another street: not listed, not readable, not actionable.
        var other = await FreshMemberAsync(otherStreet);
        Guid elsewhere;
        await using (var db = app.OpenDb())
        {
            var path = await PathAsync(otherStreet);
            elsewhere = await db.Organizations.Where(o => o.Path.StartsWith(path) && o.Kind == OrganizationKind.GridBranch
                && o.Status == OrganizationStatus.Active && o.Id != other.OrganizationId).Select(o => o.Id).FirstAsync();
        }
        var id = (await district.PostJsonAsync("/api/v1/transfers", Internal(other.Id, elsewhere), HttpStatusCode.Created)).Id();
        await (await community.GetAsync($"/api/v1/transfers/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await community.PostAsJsonAsync($"/api/v1/transfers/{id}/approve", new { })).ProblemAsync(HttpStatusCode.NotFound);
        await (await community.PostAsJsonAsync($"/api/v1/transfers/{id}/reject", new { reason = "试探" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await community.PostAsJsonAsync($"/api/v1/transfers/{id}/cancel", new { })).ProblemAsync(HttpStatusCode.NotFound);
        (await community.GetJsonAsync("/api/v1/transfers?pageSize=200")).GetProperty("items").EnumerateArray().ShouldNotContain(t => t.Id() == id);
        await (await community.GetAsync($"/api/v1/transfers?orgId={otherStreet}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_member_has_one_open_transfer_and_targets_must_take_members()
    {
        var community = await app.LoginAsync("demo-community");
        var communityId = await ScopeOrgAsync(community);
        var member = await FreshMemberAsync(communityId);
        var (target, otherStreet) = await BranchInOtherStreetAsync(await ScopeOrgAsync(await app.LoginAsync("demo-street")));
        await community.PostJsonAsync("/api/v1/transfers", Internal(member.Id, target), HttpStatusCode.Created);
        var before = await CountsAsync();

        (await (await community.PostAsJsonAsync("/api/v1/transfers", Internal(member.Id, target))).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("memberId").ShouldBe("该党员已有尚未办结的组织关系转接，请先办结或撤回");

        var second = await FreshMemberAsync(communityId);
        (await (await community.PostAsJsonAsync("/api/v1/transfers", Internal(second.Id, second.OrganizationId))).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("toOrganizationId").ShouldBe("转入党组织不能是党员当前所在的党组织");
        (await (await community.PostAsJsonAsync("/api/v1/transfers", Internal(second.Id, otherStreet))).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("toOrganizationId").ShouldBe("转入党组织应为党支部或党小组");
        (await (await community.PostAsJsonAsync("/api/v1/transfers", Internal(second.Id, Guid.NewGuid()))).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("toOrganizationId").ShouldBe("转入党组织不存在");
        var missing = await (await community.PostAsJsonAsync("/api/v1/transfers", new { kind = "Internal", memberId = second.Id, toOrganizationId = target, paidThrough = "2026年10月" }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        missing.FieldError("reason").ShouldBe("转接原因不能为空");
        missing.FieldError("paidThrough").ShouldBe("党费交至年月格式应为“2026-05”");
        (await CountsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_transfer_to_outside_completes_with_a_manual_receipt_and_the_member_transferred_out()
    {
        var community = await app.LoginAsync("demo-community");
        var street = await app.LoginAsync("demo-street");
        var member = await FreshMemberAsync(await ScopeOrgAsync(community));
        var created = await community.PostJsonAsync("/api/v1/transfers", new
        {
            kind = "ToExternal", memberId = member.Id, externalOrganization = "某省某市某区某街道党工委", reason = "户籍迁出", paidThrough = "2026-09-15",
        }, HttpStatusCode.Created);
        var id = created.Id();
        created.GetProperty("toDisplay").GetString().ShouldBe("某省某市某区某街道党工委");
        created.GetProperty("paidThrough").GetString().ShouldBe("2026-09");

        var issued = await street.PostJsonAsync($"/api/v1/transfers/{id}/approve", new { });
        issued.GetProperty("status").GetString().ShouldBe("OutApproved");
        Actions(issued).ShouldContain("receive");
        // No in-side in the deployment: there is nothing more to approve, only the receipt to record.
        (await (await street.PostAsJsonAsync($"/api/v1/transfers/{id}/approve", new { })).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("status").ShouldBe("转往系统外的介绍信由对方党组织接收，请登记回执");
        (await (await community.PostAsJsonAsync($"/api/v1/transfers/{id}/receive", new { receivedOn = Today.AddDays(1) })).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("receivedOn").ShouldBe("回执日期不能晚于今天");

        var done = await community.PostJsonAsync($"/api/v1/transfers/{id}/receive", new { receivedOn = Today });
        done.GetProperty("status").GetString().ShouldBe("Completed");
        Steps(done).ShouldBe(["request", "out-approve", "receive"]);
        done.GetProperty("steps")[2].GetProperty("note").GetString().ShouldBe($"回执日期{Today:yyyy年M月d日}");

        await using var db = app.OpenDb();
        var m = await db.Members.SingleAsync(x => x.Id == member.Id);
        m.Status.ShouldBe(MemberStatus.TransferredOut);
        m.OrganizationId.ShouldBe(member.OrganizationId);
        (await db.AuditEntries.SingleAsync(a => a.EntityType == "Member" && a.EntityId == member.Id.ToString() && a.Action == "transfer.receive"))
            .Changes!.ShouldContain($"\"Status\":[{(int)MemberStatus.Normal},{(int)MemberStatus.TransferredOut}]");
        // A transferred-out member cannot be transferred again.
        (await (await community.PostAsJsonAsync("/api/v1/transfers", Internal(member.Id, Guid.NewGuid()))).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("memberId").ShouldBe("该党员状态为“转出”，不能办理组织关系转接");
    }

    [Fact]
    public async Task A_letter_from_outside_is_recorded_and_creates_the_member_on_receipt()
    {
        var community = await app.LoginAsync("demo-community");
        var street = await app.LoginAsync("demo-street");
        var communityId = await ScopeOrgAsync(community);
        var target = (await FreshMemberAsync(communityId)).OrganizationId;
        var created = await community.PostJsonAsync("/api/v1/transfers", new
        {
            kind = "FromExternal", memberName = "林外来", externalOrganization = "外省某县某乡党委", toOrganizationId = target,
            letterNumber = "外字第0012号", letterIssuedOn = Today.AddDays(-10), reason = "随配偶迁入", paidThrough = "2026-08",
        }, HttpStatusCode.Created);
        var id = created.Id();
        created.GetProperty("status").GetString().ShouldBe("OutApproved");
        created.GetProperty("validUntil").GetString().ShouldBe(TransferRules.ValidUntil(Today.AddDays(-10), 3).ToString("yyyy-MM-dd"));
        created.GetProperty("fromDisplay").GetString().ShouldBe("外省某县某乡党委");
        Steps(created).ShouldBe(["record-incoming"]);

        await street.PostJsonAsync($"/api/v1/transfers/{id}/approve", new { });
        var bad = await (await community.PostAsJsonAsync($"/api/v1/transfers/{id}/receive", new { member = new { name = "林外来", idNumber = "123" } }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        bad.FieldError("member.occupation").ShouldBe("请选择职业类别");
        bad.GetProperty("errors").TryGetProperty("member.idNumber", out _).ShouldBeTrue();

        var idNumber = IdCardNumber.Complete($"11010519850612{Random.Shared.Next(100, 999)}");
        var done = await community.PostJsonAsync($"/api/v1/transfers/{id}/receive", new
        {
            member = new { idNumber, occupation = "Employed", state = "Full", joinedOn = "2010-07-01", fullMemberOn = "2011-07-01", education = "Bachelor" },
        });
        done.GetProperty("status").GetString().ShouldBe("Completed");
        var memberId = done.GetProperty("memberId").GetGuid();
        var m = await community.GetJsonAsync($"/api/v1/members/{memberId}");
        m.GetProperty("name").GetString().ShouldBe("林外来");
        m.GetProperty("organizationId").GetGuid().ShouldBe(target);
        m.GetProperty("idNumberMasked").GetString().ShouldBe(Masking.IdNumber(idNumber));
        await using var db = app.OpenDb();
        (await db.AuditEntries.CountAsync(a => a.EntityType == "Member" && a.EntityId == memberId.ToString() && a.Action == "create")).ShouldBe(1);
    }

    [Fact]
    public async Task Receipt_of_an_internal_transfer_ends_the_old_branchs_committee_seats_and_the_mobile_registration_on_the_receipt_date()
    {
        var community = await app.LoginAsync("demo-community");
        var street = await app.LoginAsync("demo-street");
        var member = await FreshMemberAsync(await ScopeOrgAsync(community));
        var (target, otherStreet) = await BranchInOtherStreetAsync(await ScopeOrgAsync(street));
        var inSide = await StreetAdminOfAsync(otherStreet);
        var mobile = await community.PostJsonAsync("/api/v1/mobile-members", new
        {
            memberId = member.Id, location = "广东省深圳市", since = Today.AddMonths(-8).ToString("yyyy-MM-dd"),
            lastContactOn = Today.AddMonths(-1).ToString("yyyy-MM-dd"), contactPerson = "支部书记",
        }, HttpStatusCode.Created);
        Guid seatId, pastSeatId;
        await using (var db = app.OpenDb())
        {
            var seat = new Domain.OrganizationalLife.CommitteeSeat
            {
                Id = Guid.NewGuid(), OrganizationId = member.OrganizationId, MemberId = member.Id, Position = Domain.OrganizationalLife.CommitteePosition.Member,
                From = Today.AddYears(-2), CreatedAt = DateTimeOffset.UtcNow,
            };
            var past = new Domain.OrganizationalLife.CommitteeSeat
            {
                Id = Guid.NewGuid(), OrganizationId = member.OrganizationId, MemberId = member.Id, Position = Domain.OrganizationalLife.CommitteePosition.DeputySecretary,
                From = Today.AddYears(-5), Until = Today.AddYears(-2).AddDays(-1), CreatedAt = DateTimeOffset.UtcNow,
            };
            db.CommitteeSeats.AddRange(seat, past);
            await db.SaveChangesAsync();
            (seatId, pastSeatId) = (seat.Id, past.Id);
        }
        var id = (await community.PostJsonAsync("/api/v1/transfers", Internal(member.Id, target), HttpStatusCode.Created)).Id();
        await street.PostJsonAsync($"/api/v1/transfers/{id}/approve", new { });
        await inSide.PostJsonAsync($"/api/v1/transfers/{id}/approve", new { });
        await inSide.PostJsonAsync($"/api/v1/transfers/{id}/receive", new { });
        await using (var db = app.OpenDb())
        {
            (await db.CommitteeSeats.SingleAsync(s => s.Id == seatId)).Until.ShouldBe(Today);
            (await db.CommitteeSeats.SingleAsync(s => s.Id == pastSeatId)).Until.ShouldBe(Today.AddYears(-2).AddDays(-1)); // untouched
            // Ended, not moved: the old organization's record of the member being away is over (see TransferService.CloseTiesAsync).
            var reg = await db.MobileRegistrations.SingleAsync(r => r.Id == mobile.Id());
            reg.EndedOn.ShouldBe(Today);
            reg.OrganizationId.ShouldBe(member.OrganizationId);
            var moved = await db.Members.SingleAsync(m => m.Id == member.Id);
            moved.OrganizationId.ShouldBe(target);
            moved.Status.ShouldBe(MemberStatus.Normal);
            // Audited with the receipt, as the receiving side's act.
            (await db.AuditEntries.SingleAsync(a => a.EntityId == seatId.ToString() && a.Action == "update")).UserName.ShouldStartWith("street-");
        }
    }

    private static object Status(Member m, string status) => new
    {
        name = m.Name, ethnicity = m.Ethnicity, education = m.Education.ToString(), occupation = m.Occupation.ToString(), organizationId = m.OrganizationId,
        state = m.State.ToString(), joinedOn = m.JoinedOn, fullMemberOn = m.FullMemberOn, status,
    };

    [Fact]
    public async Task A_transfer_stops_at_approval_and_receipt_once_the_member_left_the_roll()
    {
        var community = await app.LoginAsync("demo-community");
        var street = await app.LoginAsync("demo-street");
        var member = await FreshMemberAsync(await ScopeOrgAsync(community));
        var (target, otherStreet) = await BranchInOtherStreetAsync(await ScopeOrgAsync(street));
        var inSide = await StreetAdminOfAsync(otherStreet);
        var id = (await community.PostJsonAsync("/api/v1/transfers", Internal(member.Id, target), HttpStatusCode.Created)).Id();
        await street.PostJsonAsync($"/api/v1/transfers/{id}/approve", new { });
        await inSide.PostJsonAsync($"/api/v1/transfers/{id}/approve", new { });
        // The member dies before the receiving side confirms: the receipt is refused in Chinese and nothing moves.
        await community.PutJsonAsync($"/api/v1/members/{member.Id}", Status(member, "Deceased"));
        var before = await CountsAsync();
        var receive = await (await inSide.PostAsJsonAsync($"/api/v1/transfers/{id}/receive", new { })).ProblemAsync(HttpStatusCode.BadRequest);
        receive.FieldError("memberId").ShouldContain("已故");
        (await CountsAsync()).ShouldBe(before);
        await using (var db = app.OpenDb())
            (await db.Members.SingleAsync(m => m.Id == member.Id)).OrganizationId.ShouldBe(member.OrganizationId);
        // The in-side may still refuse it with a reason.
        (await inSide.PostJsonAsync($"/api/v1/transfers/{id}/reject", new { reason = "党员已故" })).GetProperty("status").GetString().ShouldBe("Rejected");

        // Refused at the out-side approval just the same.
        var second = await FreshMemberAsync(await ScopeOrgAsync(community));
        var id2 = (await community.PostJsonAsync("/api/v1/transfers", Internal(second.Id, target), HttpStatusCode.Created)).Id();
        await community.PostJsonAsync($"/api/v1/members/{second.Id}/suspend", new { lostContactSince = Today.AddMonths(-7), decidedOn = Today, reason = "失去联系超过6个月，多方寻找未果" });
        var approve = await (await street.PostAsJsonAsync($"/api/v1/transfers/{id2}/approve", new { })).ProblemAsync(HttpStatusCode.BadRequest);
        approve.FieldError("memberId").ShouldBe("该党员状态为“停止党籍”，不能办理组织关系转接（该党员已停止党籍，不是在册党员），请退回或撤回");
    }

    [Fact]
    public async Task Transferred_out_to_outside_ends_the_mobile_registration_and_a_letter_back_reuses_the_registry_row()
    {
        var community = await app.LoginAsync("demo-community");
        var street = await app.LoginAsync("demo-street");
        var system = await app.LoginAsync("demo-sysadmin");
        var member = await FreshMemberAsync(await ScopeOrgAsync(community));
        await community.PostJsonAsync("/api/v1/mobile-members", new
        {
            memberId = member.Id, location = "四川省成都市", since = Today.AddMonths(-9).ToString("yyyy-MM-dd"),
            lastContactOn = Today.AddMonths(-7).ToString("yyyy-MM-dd"), contactPerson = "支部书记",
        }, HttpStatusCode.Created);
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        var subject = member.Id.ToString();
        await using (var db = app.OpenDb())
            (await db.Alerts.CountAsync(a => a.SubjectId == subject && a.RuleCode == MobileMemberContactRule.Code && a.ResolvedAt == null)).ShouldBe(1);

        // Three unexcused absences before leaving (the demo's recent attendance out of the way first).
        await using (var db = app.OpenDb())
            await db.ActivityAttendance.Where(a => a.MemberId == member.Id && a.Date >= Today.AddDays(-10)).ExecuteDeleteAsync();
        async Task AbsentAsync(Guid orgId, DateOnly date)
        {
            await using var db = app.OpenDb();
            var kind = await db.Organizations.Where(o => o.Id == orgId).Select(o => o.Kind).SingleAsync() == OrganizationKind.PartyGroup ? "GroupMeeting" : "ThemeDay";
            await community.PostJsonAsync("/api/v1/activities", new
            {
                organizationId = orgId, kind, date, place = "党群服务中心", host = "书记", topic = "组织生活",
                attendance = new[] { new { memberId = member.Id, status = "Absent" } },
            }, HttpStatusCode.Created);
        }
        for (var i = 3; i >= 1; i--) await AbsentAsync(member.OrganizationId, Today.AddDays(-i));

        var id = (await community.PostJsonAsync("/api/v1/transfers", new
        {
            kind = "ToExternal", memberId = member.Id, externalOrganization = "四川省某县某镇党委", reason = "在外定居", paidThrough = "2026-09",
        }, HttpStatusCode.Created)).Id();
        await street.PostJsonAsync($"/api/v1/transfers/{id}/approve", new { });
        await community.PostJsonAsync($"/api/v1/transfers/{id}/receive", new { receivedOn = Today });
        string idNumber;
        await using (var db = app.OpenDb())
        {
            var m = await db.Members.SingleAsync(x => x.Id == member.Id);
            m.Status.ShouldBe(MemberStatus.TransferredOut);
            (await db.MobileRegistrations.SingleAsync(r => r.MemberId == member.Id)).EndedOn.ShouldBe(Today);
            (await db.Alerts.CountAsync(a => a.SubjectId == subject && a.ResolvedAt == null)).ShouldBe(0);
            idNumber = app.Services.GetRequiredService<Jiceng.Data.Protection.FieldProtector>().Decrypt(m.IdNumberCipher);
        }
        // No longer on this roll: a mobile registration is refused.
        var mobile = await community.PostAsJsonAsync("/api/v1/mobile-members", new { memberId = member.Id, location = "x", since = Today, contactPerson = "x" });
        (await mobile.ProblemAsync(HttpStatusCode.BadRequest)).FieldError("memberId").ShouldBe("该党员的组织关系已转出，不在本系统在册，不能登记为流动党员");

        // Years later the member comes back on a letter from outside: the same registry row returns, nothing duplicated.
        var target = (await FreshMemberAsync(await ScopeOrgAsync(community))).OrganizationId;
        var letter = (await community.PostJsonAsync("/api/v1/transfers", new
        {
            kind = "FromExternal", memberName = member.Name, externalOrganization = "四川省某县某镇党委", toOrganizationId = target,
            letterNumber = $"川字{Random.Shared.Next(1000, 9999)}号", letterIssuedOn = Today.AddDays(-3), reason = "回原籍", paidThrough = "2026-10",
        }, HttpStatusCode.Created)).Id();
        await street.PostJsonAsync($"/api/v1/transfers/{letter}/approve", new { });
        var done = await community.PostJsonAsync($"/api/v1/transfers/{letter}/receive", new
        {
            member = new { idNumber, occupation = member.Occupation.ToString(), state = member.State.ToString(), joinedOn = member.JoinedOn, fullMemberOn = member.FullMemberOn, education = "Doctor" },
        });
        done.GetProperty("status").GetString().ShouldBe("Completed");
        done.GetProperty("memberId").GetGuid().ShouldBe(member.Id);
        await using (var db = app.OpenDb())
        {
            var back = await db.Members.SingleAsync(x => x.Id == member.Id);
            back.Status.ShouldBe(MemberStatus.Normal);
            back.OrganizationId.ShouldBe(target);
            back.Education.ShouldBe(Education.Doctor); // the receipt's particulars are applied to the row
            (await db.Members.CountAsync(x => x.IdNumberHash == back.IdNumberHash)).ShouldBe(1);
            (await db.AuditEntries.CountAsync(a => a.Action == "transfer.return" && a.EntityId == member.Id.ToString())).ShouldBe(1);
        }
        (await community.GetJsonAsync($"/api/v1/members/{member.Id}")).GetProperty("statusName").GetString().ShouldBe("正常");
        // Back on the roll from the receipt: the absences before leaving no longer count towards a streak.
        await AbsentAsync(target, Today);
        await using (var db = app.OpenDb())
            (await db.AbsenceStreaks.SingleAsync(s => s.MemberId == member.Id)).Count.ShouldBe(1);

        // A letter for someone on the roll here already is refused by name; so is one for a deceased person.
        var again = (await community.PostJsonAsync("/api/v1/transfers", new
        {
            kind = "FromExternal", memberName = member.Name, externalOrganization = "外省某党委", toOrganizationId = target,
            letterNumber = $"外字{Random.Shared.Next(1000, 9999)}号", letterIssuedOn = Today.AddDays(-1), reason = "重复", paidThrough = "2026-10",
        }, HttpStatusCode.Created)).Id();
        await street.PostJsonAsync($"/api/v1/transfers/{again}/approve", new { });
        var dup = await (await community.PostAsJsonAsync($"/api/v1/transfers/{again}/receive", new
        {
            member = new { idNumber, occupation = member.Occupation.ToString(), state = member.State.ToString(), joinedOn = member.JoinedOn, fullMemberOn = member.FullMemberOn },
        })).ProblemAsync(HttpStatusCode.BadRequest);
        dup.FieldError("member.idNumber").ShouldBe("该身份证号已登记为本系统在册党员，请办理系统内转接");
    }
}
