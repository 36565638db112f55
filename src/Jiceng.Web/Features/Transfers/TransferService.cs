using Jiceng.Data.Scope;
using Jiceng.Data;
using Jiceng.Data.Configurations;
using Jiceng.Data.Protection;
using Jiceng.Domain.Security;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Domain.Settings;
using Jiceng.Domain.Transfers;
using Jiceng.Web.Features.Members;
using Jiceng.Web.Features.Settings;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Jiceng.Domain.Transfers.TransferRules;

namespace Jiceng.Web.Features.Transfers;

/// <summary>
/// 组织关系转接 (rules.md §5): request by the member's organization, approval by the out-side committee (the
/// letter is issued), approval by the in-side committee, receipt by the in-side, when the member moves.
/// A transfer is shared by its two organizations: the context shows and lets write it to a caller holding
/// either; which side may take which step is decided here, from the organizations the caller's scope holds.
/// </summary>
/// <remarks>
/// Expiry: a letter past its last valid day (Asia/Shanghai) reads as Expired everywhere (<see cref="TransferRules.EffectiveStatus"/>),
/// so nothing depends on a job having run. The stored status becomes Expired, with a timeline step, when
/// someone tries to act on such a letter: then the record and its audit trail say who found it expired and
/// when. The alert rules only read; they never change records behind the users' backs.
/// </remarks>
public sealed class TransferService(ScopedDbFactory dbs, CurrentUser user, MemberService members, TimeProvider clock, FieldProtector protector)
{
    public const string Noun = "组织关系转接";

    // ---------------------------------------------------------------- reads

    public async Task<TransferOutcome<PagedList<TransferSummary>>> ListAsync(TransferQuery f, CancellationToken ct = default)
    {
        var errors = Paging.Check(f.Page, f.PageSize);
        if (f.Status is { } st && !Enum.IsDefined(st)) errors.Add("status", "状态无效");
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var today = clock.Today();
        var q = db.Transfers.AsNoTracking();
        if (f.OrgId is { } orgId)
        {
            var path = await db.Organizations.Where(o => o.Id == orgId).Select(o => o.Path).FirstOrDefaultAsync(ct);
            if (path is null) return TransferOutcome<PagedList<TransferSummary>>.Missing;
            q = q.InSubtree(path, t => t.FromOrganization!.Path, t => t.ToOrganization!.Path);
        }
        if (f.MemberId is { } memberId) q = q.Where(t => t.MemberId == memberId);
        if (f.Status is { } status) q = WhereEffectiveStatus(q, status, today);
        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(t => t.RequestedAt).ThenByDescending(t => t.Id)
            .Skip((f.Page - 1) * f.PageSize).Take(f.PageSize).ToListAsync(ct);
        var views = await ViewsAsync(db, rows, today, withSteps: false, ct);
        return new PagedList<TransferSummary>(views, total, f.Page, f.PageSize);
    }

    public async Task<TransferDetail?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var t = await db.Transfers.AsNoTracking().Include(x => x.Steps).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (t is null) return null;
        return (TransferDetail)(await ViewsAsync(db, [t], clock.Today(), withSteps: true, ct))[0];
    }

    /// <summary>The member's transfers visible to the caller, newest first, each with its timeline.</summary>
    public async Task<List<TransferDetail>> ForMemberAsync(Guid memberId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var rows = await db.Transfers.AsNoTracking().Include(x => x.Steps).Where(t => t.MemberId == memberId)
            .OrderByDescending(t => t.RequestedAt).Take(50).ToListAsync(ct);
        return (await ViewsAsync(db, rows, clock.Today(), withSteps: true, ct)).Cast<TransferDetail>().ToList();
    }

    public async Task<TransferLetter?> LetterAsync(Guid id, CancellationToken ct = default)
    {
        var detail = await GetAsync(id, ct);
        if (detail is null) return null;
        if (detail.MemberId is not { } memberId) return new TransferLetter(detail, null, null, null, null, null);
        await using var db = await dbs.CreateAsync(ct);
        // Through the member filter: the particulars show only to a caller who may see the member record.
        var m = await db.Members.AsNoTracking().Where(x => x.Id == memberId)
            .Select(x => new { x.Gender, x.BirthDate, x.IdNumberMasked, x.Ethnicity, x.State }).FirstOrDefaultAsync(ct);
        if (m is null) return new TransferLetter(detail, null, null, null, null, null);
        var on = detail.LetterIssuedOn ?? clock.Today();
        return new TransferLetter(detail, m.Gender.ToChinese(), MemberRules.Age(m.BirthDate, on), m.IdNumberMasked, m.Ethnicity, m.State.ToChinese());
    }

    private static IQueryable<Transfer> WhereEffectiveStatus(IQueryable<Transfer> q, TransferStatus s, DateOnly today) => s switch
    {
        TransferStatus.Expired => q.Where(t => t.Status == TransferStatus.Expired
            || ((t.Status == TransferStatus.OutApproved || t.Status == TransferStatus.InApproved) && t.ValidUntil != null && t.ValidUntil < today)),
        TransferStatus.OutApproved or TransferStatus.InApproved => q.Where(t => t.Status == s && (t.ValidUntil == null || t.ValidUntil >= today)),
        _ => q.Where(t => t.Status == s),
    };

    /// <summary>Builds the views of a page of transfers with a fixed number of queries: organization names,
    /// the caller's sides and the approving committees.</summary>
    private async Task<List<TransferSummary>> ViewsAsync(JicengDbContext db, List<Transfer> rows, DateOnly today, bool withSteps, CancellationToken ct)
    {
        var orgIds = rows.SelectMany(t => t.ScopeOrganizationIds).Distinct().ToList();
        // A transfer is shared by two organizations and names both, as the paper letter does; the other side's
        // name is read past the scope filter for that (as the breadcrumb shows ancestors above the scope), and
        // nothing else of that organization is.
        var names = await db.Organizations.IgnoreQueryFilters().AsNoTracking().Where(o => orgIds.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var held = await HeldAsync(db, orgIds, ct);
        var pendingApproval = rows.Where(t => AfterApproval(t.Kind, EffectiveStatus(t.Status, t.ValidUntil, today)) is not null)
            .Select(t => SideOrg(t, NextSide(t.Kind, t.Status))).OfType<Guid>().Distinct().ToList();
        var committees = await CommitteesAsync(db, pendingApproval, ct);
        var result = new List<TransferSummary>(rows.Count);
        foreach (var t in rows)
        {
            var status = EffectiveStatus(t.Status, t.ValidUntil, today);
            var actions = ActionsFor(t, status, held, committees);
            string? N(Guid? id) => id is { } g ? names.GetValueOrDefault(g) : null;
            var next = NextSide(t.Kind, status);
            var steps = withSteps
                ? t.Steps.OrderBy(s => s.At).ThenBy(s => s.Id).Select(s => new TransferStepView(s.Id, s.Action, StepName(s.Action), s.Note, s.ByUser, s.At)).ToList()
                : null;
            TransferSummary v = steps is null ? new TransferSummary() : new TransferDetail { Steps = steps };
            result.Add(Fill(v, t, status, next, N(t.FromOrganizationId), N(t.ToOrganizationId), actions));
        }
        return result;
    }

    private static TransferSummary Fill(TransferSummary v, Transfer t, TransferStatus status, TransferSide next, string? from, string? to, List<string> actions) =>
        v switch
        {
            TransferDetail d => new TransferDetail
            {
                Steps = d.Steps, Id = t.Id, Kind = t.Kind, KindName = t.Kind.ToChinese(), Status = status, StatusName = status.ToChinese(), MemberId = t.MemberId,
                MemberName = t.MemberName, FromOrganizationId = t.FromOrganizationId, FromOrganizationName = from, ToOrganizationId = t.ToOrganizationId,
                ToOrganizationName = to, ExternalOrganization = t.ExternalOrganization, Reason = t.Reason, PaidThrough = t.PaidThrough?.ToString("yyyy-MM"),
                LetterNumber = t.LetterNumber, LetterIssuedOn = t.LetterIssuedOn, ValidUntil = t.ValidUntil, RejectionReason = t.RejectionReason,
                RequestedAt = t.RequestedAt, CompletedAt = t.CompletedAt, NextSide = next, NextSideName = next.ToChinese(), Actions = actions,
            },
            _ => new TransferSummary
            {
                Id = t.Id, Kind = t.Kind, KindName = t.Kind.ToChinese(), Status = status, StatusName = status.ToChinese(), MemberId = t.MemberId,
                MemberName = t.MemberName, FromOrganizationId = t.FromOrganizationId, FromOrganizationName = from, ToOrganizationId = t.ToOrganizationId,
                ToOrganizationName = to, ExternalOrganization = t.ExternalOrganization, Reason = t.Reason, PaidThrough = t.PaidThrough?.ToString("yyyy-MM"),
                LetterNumber = t.LetterNumber, LetterIssuedOn = t.LetterIssuedOn, ValidUntil = t.ValidUntil, RejectionReason = t.RejectionReason,
                RequestedAt = t.RequestedAt, CompletedAt = t.CompletedAt, NextSide = next, NextSideName = next.ToChinese(), Actions = actions,
            },
        };

    /// <summary>What the caller may do, by the same rules the actions enforce.</summary>
    private static List<string> ActionsFor(Transfer t, TransferStatus status, HashSet<Guid> held, Dictionary<Guid, Committee> committees)
    {
        var actions = new List<string>();
        if (IsUnresolved(status) && SideOrg(t, RequestingSide(t.Kind)) is { } requester && held.Contains(requester))
            actions.Add(TransferActions.Cancel);
        // A receipt from outside may come back after the letter ran out (it is judged by its own date).
        if (t.Kind == TransferKind.ToExternal && t.Status is TransferStatus.OutApproved or TransferStatus.Expired
            && t.FromOrganizationId is { } from && held.Contains(from))
        {
            actions.Add(TransferActions.Receive);
            if (IsOpen(status)) actions.Add(TransferActions.Reject);
            return actions;
        }
        if (!IsOpen(status)) return actions;
        var sideOrg = SideOrg(t, NextSide(t.Kind, status));
        if (sideOrg is not { } org) return actions;
        if (AwaitsReceipt(t.Kind, status))
        {
            if (held.Contains(org)) actions.AddRange([TransferActions.Receive, TransferActions.Reject]);
        }
        else if (committees.TryGetValue(org, out var c) && c.Held)
        {
            actions.AddRange([TransferActions.Approve, TransferActions.Reject]);
        }
        return actions;
    }

    private static Guid? SideOrg(Transfer t, TransferSide side) => side switch
    {
        TransferSide.Out => t.FromOrganizationId,
        TransferSide.In => t.ToOrganizationId,
        _ => null,
    };

    /// <summary>Those of the organizations the caller's scope holds (through the context's filter).</summary>
    private static async Task<HashSet<Guid>> HeldAsync(JicengDbContext db, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        ids.Count == 0 ? [] : (await db.Organizations.AsNoTracking().Where(o => ids.Contains(o.Id)).Select(o => o.Id).ToListAsync(ct)).ToHashSet();

    private sealed record Committee(Guid Id, string Name, bool Held);

    /// <summary>For each organization, the committee that approves its members' transfers (branch → its committee):
    /// the nearest committee-level organization at or above it, or the organization itself when there is none.</summary>
    private static async Task<Dictionary<Guid, Committee>> CommitteesAsync(JicengDbContext db, List<Guid> orgIds, CancellationToken ct)
    {
        if (orgIds.Count == 0) return [];
        // Finding the committee needs the kinds of ancestors that may lie above the caller's scope; they are
        // read past the filter only for that, and only the committee's name is ever shown (in a refusal).
        var paths = await db.Organizations.IgnoreQueryFilters().AsNoTracking().Where(o => orgIds.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, o => o.Path, ct);
        var chainIds = paths.Values.SelectMany(OrgPath.Ids).Distinct().ToList();
        var chain = await db.Organizations.IgnoreQueryFilters().AsNoTracking().Where(o => chainIds.Contains(o.Id))
            .Select(o => new { o.Id, o.Kind, o.Name }).ToDictionaryAsync(o => o.Id, ct);
        var found = new Dictionary<Guid, (Guid Id, string Name)>();
        foreach (var (id, path) in paths)
        {
            var committee = OrgPath.Ids(path).Reverse().Where(chain.ContainsKey).Select(a => chain[a]).FirstOrDefault(a => a.Kind.IsCommitteeLevel());
            found[id] = committee is null ? (id, chain.TryGetValue(id, out var self) ? self.Name : "") : (committee.Id, committee.Name);
        }
        var held = await HeldAsync(db, found.Values.Select(c => c.Id).Distinct().ToList(), ct);
        return found.ToDictionary(kv => kv.Key, kv => new Committee(kv.Value.Id, kv.Value.Name, held.Contains(kv.Value.Id)));
    }

    // ---------------------------------------------------------------- writes

    public async Task<TransferOutcome<TransferDetail>> CreateAsync(TransferInput input, CancellationToken ct = default)
    {
        var e = new FieldErrors();
        if (input.Kind is not { } kind || !Enum.IsDefined(kind)) return e.Add("kind", "请选择转接类型");
        e.Required("reason", input.Reason, "转接原因").MaxLength("reason", input.Reason?.Trim(), 200, "转接原因");
        var today = clock.Today();
        // 党费交至 comes from the dues records when the member has any (entered once); typed only otherwise.
        if (string.IsNullOrWhiteSpace(input.PaidThrough) && kind != TransferKind.FromExternal && input.MemberId is { } duesMember)
        {
            await using var duesDb = await dbs.CreateAsync(ct);
            if (await Dues.DuesPaidThrough.ForMemberAsync(duesDb, duesMember, ct) is { } known) input.PaidThrough = Domain.Dues.DuesMonth.Format(known);
        }
        var paid = ParsePaidThrough(input.PaidThrough);
        if (string.IsNullOrWhiteSpace(input.PaidThrough)) e.Add("paidThrough", "请填写党费交至年月");
        else if (paid is null) e.Add("paidThrough", "党费交至年月格式应为“2026-05”");
        else if (CheckPaidThrough(paid.Value, today) is { } pe) e.Add("paidThrough", pe);
        if (kind != TransferKind.Internal)
        {
            e.Required("externalOrganization", input.ExternalOrganization, kind == TransferKind.ToExternal ? "转入党组织（系统外）名称" : "转出党组织（系统外）名称")
                .MaxLength("externalOrganization", input.ExternalOrganization?.Trim(), 100, "党组织名称");
        }

        await using var db = await dbs.CreateAsync(ct);
        var now = clock.GetUtcNow();
        var t = new Transfer
        {
            Id = Guid.CreateVersion7(now), Kind = kind, MemberName = "", Reason = input.Reason?.Trim() ?? "", PaidThrough = paid, RequestedAt = now,
            ExternalOrganization = kind == TransferKind.Internal ? null : input.ExternalOrganization?.Trim(),
        };
        if (kind == TransferKind.FromExternal)
        {
            await CheckIncomingLetterAsync(db, input, t, e, today, ct);
            if (e.Any) return e;
            t.Status = TransferStatus.OutApproved;
            t.Steps.Add(await StepAsync(Steps.RecordIncoming, $"介绍信编号{t.LetterNumber}，{t.ExternalOrganization}开具", now));
        }
        else
        {
            if (input.MemberId is not { } memberId) return e.Add("memberId", "请选择要转接的党员");
            var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.Id == memberId, ct);
            if (member is null) return TransferOutcome<TransferDetail>.Missing;
            if (!PartyMembership.IsCurrent(member.Status))
                e.Add("memberId", NotCurrentMessage(member.Status));
            // The member's own organization holds every transfer of theirs, so the scoped query sees them all.
            else if (await db.Transfers.AnyAsync(x => x.MemberId == memberId && (x.Status == TransferStatus.Requested
                         || x.Status == TransferStatus.OutApproved || x.Status == TransferStatus.InApproved || x.Status == TransferStatus.Expired), ct))
                e.Add("memberId", "该党员已有尚未办结的组织关系转接，请先办结或撤回");
            if (kind == TransferKind.Internal) await CheckTargetAsync(db, input.ToOrganizationId, member.OrganizationId, e, ct);
            if (e.Any) return e;
            t.MemberId = member.Id;
            t.MemberName = member.Name;
            t.FromOrganizationId = member.OrganizationId;
            t.ToOrganizationId = kind == TransferKind.Internal ? input.ToOrganizationId : null;
            t.Status = TransferStatus.Requested;
            t.Steps.Add(await StepAsync(Steps.Request, t.Reason, now));
        }
        db.Transfers.Add(t);
        db.AuditAs(t, "transfer.request");
        await db.SaveChangesAsync(ct);
        return (await GetAsync(t.Id, ct))!;
    }

    private static string NotCurrentMessage(MemberStatus status) => $"该党员状态为“{status.ToChinese()}”，不能办理组织关系转接";

    /// <summary>Why a transfer of a member in the registry cannot go on: the member left the roll after it was requested (已故,
    /// 出党, 取消预备党员资格 ...). The status is read past the filter, because the in-side does not hold the member's
    /// organization; only the refusal is shown. Null for a current member or a letter from outside (no member yet).</summary>
    private static async Task<string?> NotCurrentAsync(JicengDbContext db, Transfer t, CancellationToken ct)
    {
        if (t.Kind == TransferKind.FromExternal || t.MemberId is not { } memberId) return null;
        var status = await db.Members.IgnoreQueryFilters().Where(m => m.Id == memberId).Select(m => (MemberStatus?)m.Status).FirstOrDefaultAsync(ct);
        return status is { } st && !PartyMembership.IsCurrent(st)
            ? $"{NotCurrentMessage(st)}（{PartyMembership.RefusalFor(st)}），请退回或撤回" : null;
    }

    private static async Task CheckTargetAsync(JicengDbContext db, Guid? toId, Guid fromId, FieldErrors e, CancellationToken ct)
    {
        if (toId is not { } to) { e.Add("toOrganizationId", "请选择转入党组织"); return; }
        if (to == fromId) { e.Add("toOrganizationId", "转入党组织不能是党员当前所在的党组织"); return; }
        // A member may move to any organization of the deployment, usually one outside the requester's scope:
        // this checks that it exists and can take members, and shows nothing of it.
        var target = await db.Organizations.IgnoreQueryFilters().AsNoTracking().Where(o => o.Id == to)
            .Select(o => new { o.Kind, o.Status }).FirstOrDefaultAsync(ct);
        if (target is null) e.Add("toOrganizationId", "转入党组织不存在");
        else if (target.Status == OrganizationStatus.Archived) e.Add("toOrganizationId", "转入党组织已撤销");
        else if (!MemberService.CanHoldMembers(target.Kind)) e.Add("toOrganizationId", "转入党组织应为党支部或党小组");
    }

    private async Task CheckIncomingLetterAsync(JicengDbContext db, TransferInput input, Transfer t, FieldErrors e, DateOnly today, CancellationToken ct)
    {
        e.Required("memberName", input.MemberName, "党员姓名").MaxLength("memberName", input.MemberName?.Trim(), MemberConfiguration.NameMaxLength, "党员姓名")
            .Required("letterNumber", input.LetterNumber, "介绍信编号").MaxLength("letterNumber", input.LetterNumber?.Trim(), 40, "介绍信编号");
        if (input.LetterIssuedOn is not { } issued) e.Add("letterIssuedOn", "请填写介绍信开具日期");
        else if (issued > today) e.Add("letterIssuedOn", "介绍信开具日期不能晚于今天");
        else
        {
            var settings = await SettingsService.LoadAsync(db, ct);
            var until = input.ValidUntil ?? ValidUntil(issued, settings.Get(SettingDefinitions.TransferLetterValidMonths));
            if (until < issued) e.Add("validUntil", "有效期不能早于开具日期");
            else if (until < today) e.Add("validUntil", $"介绍信已于{until:yyyy年M月d日}过期，请转出方重新开具");
            t.LetterIssuedOn = issued;
            t.ValidUntil = until;
        }
        if (input.ToOrganizationId is not { } to) e.Add("toOrganizationId", "请选择转入党组织");
        else
        {
            // The receiving organization records the letter, so it must be one the caller holds.
            var target = await db.Organizations.AsNoTracking().Where(o => o.Id == to).Select(o => new { o.Kind, o.Status }).FirstOrDefaultAsync(ct);
            if (target is null) e.Add("toOrganizationId", "转入党组织不存在，或不在您的管理范围内");
            else if (target.Status == OrganizationStatus.Archived) e.Add("toOrganizationId", "转入党组织已撤销");
            else if (!MemberService.CanHoldMembers(target.Kind)) e.Add("toOrganizationId", "转入党组织应为党支部或党小组");
        }
        var number = input.LetterNumber?.Trim();
        if (!string.IsNullOrEmpty(number) && await db.Transfers.AnyAsync(x => x.Kind == TransferKind.FromExternal && x.LetterNumber == number
                && x.ExternalOrganization == t.ExternalOrganization && x.Status != TransferStatus.Cancelled && x.Status != TransferStatus.Rejected, ct))
            e.Add("letterNumber", "该介绍信已登记");
        t.MemberName = input.MemberName?.Trim() ?? "";
        t.LetterNumber = number;
        t.ToOrganizationId = input.ToOrganizationId;
    }

    public async Task<TransferOutcome<TransferDetail>> ApproveAsync(Guid id, ApproveInput? input, CancellationToken ct = default)
    {
        var note = input?.Note?.Trim();
        if (note is { Length: > 200 }) return new FieldErrors().Add("note", "审批意见不能超过200个字符");
        await using var db = await dbs.CreateAsync(ct);
        var t = await db.Transfers.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (t is null) return TransferOutcome<TransferDetail>.Missing;
        var today = clock.Today();
        if (t.Status == TransferStatus.Expired) return new FieldErrors().Add("validUntil", ExpiredMessage(t));
        if (AfterApproval(t.Kind, t.Status) is not { } next)
            return new FieldErrors().Add("status", t.Kind == TransferKind.ToExternal && t.Status == TransferStatus.OutApproved
                ? "转往系统外的介绍信由对方党组织接收，请登记回执" : $"当前状态为“{t.Status.ToChinese()}”，不能审批");
        if (await RefuseApproverAsync(db, t, ct) is { } refusal) return TransferOutcome<TransferDetail>.Denied(refusal);
        if (IsOverdue(t.Status, t.ValidUntil, today)) return await ExpireAsync(db, t, ct);
        if (await NotCurrentAsync(db, t, ct) is { } notCurrent) return new FieldErrors().Add("memberId", notCurrent);

        var now = clock.GetUtcNow();
        if (next == TransferStatus.OutApproved)
        {
            var settings = await SettingsService.LoadAsync(db, ct);
            t.LetterIssuedOn = today;
            t.ValidUntil = ValidUntil(today, settings.Get(SettingDefinitions.TransferLetterValidMonths));
            t.LetterNumber = LetterNumber(today, t.Id);
        }
        t.Status = next;
        db.TransferSteps.Add(await StepAsync(next == TransferStatus.OutApproved ? Steps.OutApprove : Steps.InApprove, t.Id,
            note is { Length: > 0 } ? note : next == TransferStatus.OutApproved ? $"介绍信编号{t.LetterNumber}，有效期至{t.ValidUntil:yyyy年M月d日}" : null, now));
        db.AuditAs(t, "transfer.approve");
        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct))!;
    }

    public async Task<TransferOutcome<TransferDetail>> RejectAsync(Guid id, RejectInput? input, CancellationToken ct = default)
    {
        var reason = input?.Reason?.Trim();
        var e = new FieldErrors().Required("reason", reason, "退回原因").MaxLength("reason", reason, 200, "退回原因");
        if (e.Any) return e;
        await using var db = await dbs.CreateAsync(ct);
        var t = await db.Transfers.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (t is null) return TransferOutcome<TransferDetail>.Missing;
        if (t.Status == TransferStatus.Expired) return e.Add("validUntil", ExpiredMessage(t));
        if (!IsOpen(t.Status)) return e.Add("status", $"当前状态为“{t.Status.ToChinese()}”，不能退回");
        // At the approval steps the committee decides; at receipt the receiving organization may refuse.
        var refusal = AwaitsReceipt(t.Kind, t.Status) ? await RefuseSideAsync(db, t, ct) : await RefuseApproverAsync(db, t, ct);
        if (refusal is not null) return TransferOutcome<TransferDetail>.Denied(refusal);
        if (IsOverdue(t.Status, t.ValidUntil, clock.Today())) return await ExpireAsync(db, t, ct);

        t.Status = TransferStatus.Rejected;
        t.RejectionReason = reason;
        db.TransferSteps.Add(await StepAsync(Steps.Reject, t.Id, reason, clock.GetUtcNow()));
        db.AuditAs(t, "transfer.reject");
        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct))!;
    }

    public async Task<TransferOutcome<TransferDetail>> CancelAsync(Guid id, CancelInput? input, CancellationToken ct = default)
    {
        var reason = input?.Reason?.Trim();
        if (reason is { Length: > 200 }) return new FieldErrors().Add("reason", "撤回原因不能超过200个字符");
        await using var db = await dbs.CreateAsync(ct);
        var t = await db.Transfers.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (t is null) return TransferOutcome<TransferDetail>.Missing;
        var status = EffectiveStatus(t.Status, t.ValidUntil, clock.Today());
        if (!IsUnresolved(status)) return new FieldErrors().Add("status", $"当前状态为“{status.ToChinese()}”，不能撤回");
        var requester = SideOrg(t, RequestingSide(t.Kind));
        if (requester is not { } org || !(await HeldAsync(db, [org], ct)).Contains(org))
            return TransferOutcome<TransferDetail>.Denied($"只有发起方（{await NameAsync(db, requester, ct)}）可以撤回");
        t.Status = TransferStatus.Cancelled;
        db.TransferSteps.Add(await StepAsync(Steps.Cancel, t.Id,
            reason is { Length: > 0 } ? reason : status == TransferStatus.Expired ? "介绍信已过期" : null, clock.GetUtcNow()));
        db.AuditAs(t, "transfer.cancel");
        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct))!;
    }

    public async Task<TransferOutcome<TransferDetail>> ReceiveAsync(Guid id, ReceiveInput? input, CancellationToken ct = default)
    {
        input ??= new ReceiveInput();
        var note = input.Note?.Trim();
        if (note is { Length: > 200 }) return new FieldErrors().Add("note", "备注不能超过200个字符");
        await using var db = await dbs.CreateAsync(ct);
        var t = await db.Transfers.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (t is null) return TransferOutcome<TransferDetail>.Missing;
        var today = clock.Today();
        // A letter to outside is judged by the date on the receipt that came back: it may arrive after the letter
        // ran out although the other side accepted the letter in time.
        var receivedOn = t.Kind == TransferKind.ToExternal ? input.ReceivedOn ?? today : today;
        var receivable = AwaitsReceipt(t.Kind, t.Status) || t.Kind == TransferKind.ToExternal && t.Status == TransferStatus.Expired;
        if (!receivable)
            return t.Status == TransferStatus.Expired ? new FieldErrors().Add("validUntil", ExpiredMessage(t))
                : new FieldErrors().Add("status", IsOpen(t.Status) ? "尚未经转入方审批同意，不能确认接收" : $"当前状态为“{t.Status.ToChinese()}”，不能确认接收");
        if (await RefuseSideAsync(db, t, ct) is { } refusal) return TransferOutcome<TransferDetail>.Denied(refusal);
        if (t.Kind == TransferKind.ToExternal)
        {
            if (receivedOn > today) return new FieldErrors().Add("receivedOn", "回执日期不能晚于今天");
            if (t.LetterIssuedOn is { } issued && receivedOn < issued) return new FieldErrors().Add("receivedOn", "回执日期不能早于介绍信开具日期");
        }
        if (t.ValidUntil is { } v && receivedOn > v) return await ExpireAsync(db, t, ct);
        if (await NotCurrentAsync(db, t, ct) is { } notCurrent) return new FieldErrors().Add("memberId", notCurrent);

        var now = clock.GetUtcNow();
        return t.Kind switch
        {
            TransferKind.Internal => await MoveMemberAsync(t.Id, note, now, ct),
            TransferKind.ToExternal => await RecordReceiptOutAsync(db, t, receivedOn, note, now, ct),
            _ => await AdmitMemberAsync(db, t, input.Member, note, today, now, ct),
        };
    }

    /// <summary>Receipt of an internal transfer: the member moves to the receiving organization, the transfer
    /// completes and the step is recorded, in one SaveChanges (one transaction with its audit records).</summary>
    private async Task<TransferOutcome<TransferDetail>> MoveMemberAsync(Guid id, string? note, DateTimeOffset now, CancellationToken ct)
    {
        // The member leaves an organization the receiving side usually does not hold, and the context's write
        // check wants both the old and the new organization of a member in scope. The transfer is what authorizes
        // this move: the caller's own scoped context has just found it and confirmed they hold the receiving
        // organization. So the move itself is written without the scope limit, but as the caller (audit actor).
        await using var db = await dbs.CreateUnrestrictedAsync(ct);
        db.Actor = await user.GetActorAsync();
        var t = await db.Transfers.SingleAsync(x => x.Id == id, ct);
        if (t.Status != TransferStatus.InApproved) return new FieldErrors().Add("status", "该转接已由他人办理，请刷新后查看");
        var member = await db.Members.SingleAsync(m => m.Id == t.MemberId, ct);
        if (member.OrganizationId != t.FromOrganizationId) return new FieldErrors().Add("memberId", "党员所在党组织已变化，请撤回后重新办理");
        var target = await db.Organizations.AsNoTracking().Where(o => o.Id == t.ToOrganizationId).Select(o => new { o.Status, o.Kind }).SingleAsync(ct);
        if (target.Status == OrganizationStatus.Archived || !MemberService.CanHoldMembers(target.Kind))
            return new FieldErrors().Add("toOrganizationId", "转入党组织已撤销或不能编入党员，请退回");
        var from = member.OrganizationId;
        member.OrganizationId = t.ToOrganizationId!.Value;
        member.UpdatedAt = now;
        await CloseTiesAsync(db, member, from, clock.Today(), ct);
        Complete(db, t, member, note, now);
        db.TransferSteps.Add(await StepAsync(Steps.Receive, t.Id, note, now));
        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct))!;
    }

    /// <summary>A letter to outside: the receipt came back by post; the member is now 转出 and no longer counted.</summary>
    private async Task<TransferOutcome<TransferDetail>> RecordReceiptOutAsync(JicengDbContext db, Transfer t, DateOnly receivedOn, string? note, DateTimeOffset now, CancellationToken ct)
    {
        var member = await db.Members.FirstOrDefaultAsync(m => m.Id == t.MemberId, ct);
        if (member is null || member.OrganizationId != t.FromOrganizationId)
            return new FieldErrors().Add("memberId", "党员所在党组织已变化，请撤回后重新办理");
        // The member leaves this deployment's roll: the mobile registration, committee seats and alerts end with it.
        await MembershipChanges.LeaveRollAsync(db, member, MemberStatus.TransferredOut, receivedOn, auditAction: null, ct);
        Complete(db, t, member, note, now);
        db.TransferSteps.Add(await StepAsync(Steps.Receive, t.Id, $"回执日期{receivedOn:yyyy年M月d日}" + (note is { Length: > 0 } ? $"；{note}" : ""), now));
        await db.SaveChangesAsync(ct);
        return (await GetAsync(t.Id, ct))!;
    }

    /// <summary>A letter from outside: on receipt the member is registered in the receiving organization, with
    /// the registry's own validation.</summary>
    private async Task<TransferOutcome<TransferDetail>> AdmitMemberAsync(JicengDbContext db, Transfer t, MemberInput? input, string? note, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        if (input is null) return new FieldErrors().Add("member", "请填写转入党员的信息");
        input.OrganizationId = t.ToOrganizationId;
        input.Name = string.IsNullOrWhiteSpace(input.Name) ? t.MemberName : input.Name;
        input.Status = MemberStatus.Normal;
        // A person who left this deployment earlier (转出) and comes back on a letter keeps their registry row
        // (PartyMembership.MayTransferInAgain); one still on the roll here, suspended or deceased is refused by name.
        Member? former = null;
        if (IdCardNumber.Validate(input.IdNumber, today) is null)
        {
            var hash = protector.Hash(IdCardNumber.Normalize(input.IdNumber!), ProtectedKind.IdNumber);
            former = await MemberService.FindByIdNumberHashAsync(db, hash, ct);
            if (former is not null && PartyMembership.TransferInRefusal(former.Status) is { } refused)
                return new FieldErrors().Add("member.idNumber", refused);
        }
        var memberErrors = former is not null ? await members.ReturnAsync(db, input, former, today, ct) : await members.ValidateAsync(db, input, null, today, ct);
        var e = new FieldErrors();
        foreach (var (field, messages) in memberErrors.All)
            foreach (var message in messages) e.Add("member." + field, message);
        if (input.Name.Trim() != t.MemberName) e.Add("member.name", $"姓名应与介绍信一致（{t.MemberName}）");
        if (e.Any) return e;
        Member member;
        if (former is not null)
        {
            member = former;
            db.AuditAs(member, "transfer.return");
        }
        else
        {
            member = new Member { Id = Guid.CreateVersion7(now), Name = "", CreatedAt = now };
            members.Apply(member, input, now);
            db.Members.Add(member);
        }
        t.MemberId = member.Id;
        Complete(db, t, member, note, now);
        db.TransferSteps.Add(await StepAsync(Steps.Receive, t.Id, note, now));
        await db.SaveChangesAsync(ct);
        return (await GetAsync(t.Id, ct))!;
    }

    /// <summary>A formal transfer settles what the old organization kept for the member, on the receipt date: an open
    /// mobile registration ends, committee seats in the old organization (and any above it that the new one is not under)
    /// end, and open correction requests follow the member to the new organization.</summary>
    /// <remarks>
    /// The mobile registration ends rather than moving to the new organization. It records that the member is away from the
    /// organization that holds it (that organization keeps in touch, 流动党员活动证); 中组发〔2004〕10号 has a member settled
    /// at a fixed place for 6 months or more transfer formally instead of staying 流动, and the receiving organization is then
    /// where they live their organizational life. So what it described is over; if the member is still away from the new
    /// organization, that organization registers them with its own place, contact person and expected return. A seat is a
    /// post of the old organization's committee (书记/委员), which a member who left it no longer holds.
    /// </remarks>
    private static async Task CloseTiesAsync(JicengDbContext db, Member member, Guid fromOrganization, DateOnly today, CancellationToken ct)
    {
        foreach (var r in await db.MobileRegistrations.Where(r => r.MemberId == member.Id && r.EndedOn == null).ToListAsync(ct))
            r.EndedOn = today < r.Since ? r.Since : today;
        if (member.Status == MemberStatus.Mobile) member.Status = MemberStatus.Normal;
        if (member.OrganizationId != fromOrganization)
        {
            var newPath = await db.Organizations.Where(o => o.Id == member.OrganizationId).Select(o => o.Path).SingleAsync(ct);
            var seats = await db.CommitteeSeats.Where(s => s.MemberId == member.Id && s.From <= today && (s.Until == null || s.Until > today))
                .Select(s => new { Seat = s, s.Organization!.Path }).ToListAsync(ct);
            foreach (var s in seats.Where(s => !newPath.StartsWith(s.Path, StringComparison.Ordinal))) s.Seat.Until = today;
        }
        if (member.OrganizationId != fromOrganization)
            foreach (var c in await db.CorrectionRequests.Where(c => c.MemberId == member.Id && c.Status == CorrectionStatus.Open).ToListAsync(ct))
                c.OrganizationId = member.OrganizationId;
    }

    private static void Complete(JicengDbContext db, Transfer t, Member member, string? note, DateTimeOffset now)
    {
        t.Status = TransferStatus.Completed;
        t.CompletedAt = now;
        db.AuditAs(t, "transfer.receive");
        if (db.Entry(member).State != EntityState.Added && !db.HasAuditAction(member)) db.AuditAs(member, "transfer.receive");
    }

    /// <summary>Records that the letter ran out (status and a timeline step) and refuses the action.</summary>
    private async Task<TransferOutcome<TransferDetail>> ExpireAsync(JicengDbContext db, Transfer t, CancellationToken ct)
    {
        var message = ExpiredMessage(t);
        if (t.Status != TransferStatus.Expired)
        {
            t.Status = TransferStatus.Expired;
            db.TransferSteps.Add(await StepAsync(Steps.Expire, t.Id, $"有效期至{t.ValidUntil:yyyy年M月d日}", clock.GetUtcNow()));
            db.AuditAs(t, "transfer.expire");
            await db.SaveChangesAsync(ct);
        }
        return new FieldErrors().Add("validUntil", message);
    }

    private static string ExpiredMessage(Transfer t) =>
        $"介绍信已于{t.ValidUntil:yyyy年M月d日}过期，不能再办理；请发起方撤回后重新办理";

    /// <summary>Null when the caller holds the organization of the side that acts next; otherwise why not.</summary>
    private static async Task<string?> RefuseSideAsync(JicengDbContext db, Transfer t, CancellationToken ct)
    {
        // An expired letter to outside may still get its receipt recorded (see ReceiveAsync): by the out-side.
        var side = NextSide(t.Kind, t.Status == TransferStatus.Expired ? TransferStatus.OutApproved : t.Status);
        var org = SideOrg(t, side);
        if (org is { } id && (await HeldAsync(db, [id], ct)).Contains(id)) return null;
        return $"该步骤应由{side.ToChinese()}（{await NameAsync(db, org, ct)}）办理";
    }

    /// <summary>Null when the caller holds the committee that approves for the side that acts next.</summary>
    private static async Task<string?> RefuseApproverAsync(JicengDbContext db, Transfer t, CancellationToken ct)
    {
        var side = NextSide(t.Kind, t.Status);
        if (SideOrg(t, side) is not { } org) return $"该步骤应由{side.ToChinese()}办理";
        if (!(await HeldAsync(db, [org], ct)).Contains(org)) return $"该步骤应由{side.ToChinese()}（{await NameAsync(db, org, ct)}）办理";
        var committee = (await CommitteesAsync(db, [org], ct))[org];
        return committee.Held ? null : $"{(side == TransferSide.Out ? "转出" : "转入")}审批应由{committee.Name}办理";
    }

    private static async Task<string> NameAsync(JicengDbContext db, Guid? id, CancellationToken ct) =>
        id is { } g
            // The other side's name, as on the letter (see ViewsAsync).
            ? await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == g).Select(o => o.Name).FirstOrDefaultAsync(ct) ?? ""
            : "系统外党组织";

    private Task<TransferStep> StepAsync(string action, string? note, DateTimeOffset now) => StepAsync(action, Guid.Empty, note, now);

    private async Task<TransferStep> StepAsync(string action, Guid transferId, string? note, DateTimeOffset now)
    {
        var p = await user.GetPrincipalAsync();
        var by = p.FindFirst("display_name")?.Value ?? p.Identity?.Name;
        return new TransferStep { Id = Guid.CreateVersion7(now), TransferId = transferId, Action = action, Note = note, ByUser = by, At = now };
    }
}
