using Jiceng.Data.Scope;
using Jiceng.Domain.Members;
using Jiceng.Domain.OrganizationalLife;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.MemberCare;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.OrganizationalLife;

public sealed class AppraisalRoundInput
{
    public Guid? OrganizationId { get; set; }
    public int? Year { get; set; }
}

public sealed class GradeInput
{
    public Guid? MemberId { get; set; }
    public AppraisalGrade? Grade { get; set; }
    public string? Reason { get; set; }
}

public sealed class GradesInput
{
    public List<GradeInput>? Grades { get; set; }
    /// <summary>Submit the round: every member graded, grades locked, follow-ups started for 不合格.</summary>
    public bool Submit { get; set; }
}

public sealed record AppraisalEntryView(Guid MemberId, string MemberName, AppraisalGrade? Grade, string? GradeName, string? Reason);

public sealed record FollowUpView(Guid Id, Guid MemberId, string MemberName, string Reason, FollowUpStatus Status, DateTimeOffset CreatedAt,
    FollowUpOutcome? Outcome = null, string? OutcomeName = null, DateOnly? DecidedOn = null, string? DecidedBy = null, string? ApprovedBy = null,
    string? Note = null, string? ClosedBy = null);

/// <summary>Closing a 不合格 follow-up: the outcome, the decision's date and body, the approval above (劝退, 除名) and a note.</summary>
public sealed class FollowUpCloseInput
{
    public FollowUpOutcome? Outcome { get; set; }
    public DateOnly? DecidedOn { get; set; }
    public string? DecidedBy { get; set; }
    public string? ApprovedBy { get; set; }
    public string? Note { get; set; }
}

public sealed record AppraisalView(Guid Id, Guid OrganizationId, string OrganizationName, int Year, AppraisalStatus Status, string StatusName,
    int Appraised, int MaxExcellent, string Rule, DateTimeOffset? SubmittedAt, string? SubmittedBy, IReadOnlyList<AppraisalEntryView> Entries, IReadOnlyList<FollowUpView> FollowUps);

public sealed record AppraisalSummary(Guid Id, Guid OrganizationId, string OrganizationName, int Year, AppraisalStatus Status, string StatusName, int Appraised);

/// <summary>
/// 民主评议党员: one round per branch and year over the branch's members; grades are saved with <c>PUT …/grades</c>, where the
/// one-third limit on 优秀 (<see cref="AppraisalRules"/>) is checked every time, and submission locks the round and starts a
/// follow-up record for each 不合格.
/// </summary>
public sealed class AppraisalService(ScopedDbFactory dbs, CurrentUser user, TimeProvider clock)
{
    public async Task<Outcome<AppraisalView>> CreateAsync(AppraisalRoundInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var today = clock.Today();
        var e = new FieldErrors();
        var org = input.OrganizationId is { } orgId
            ? await db.Organizations.AsNoTracking().Where(o => o.Id == orgId).Select(o => new { o.Id, o.Kind, o.Status, o.Path }).FirstOrDefaultAsync(ct)
            : null;
        if (input.OrganizationId is not null && org is null) return Outcome<AppraisalView>.Missing;
        if (org is null) e.Add("organizationId", "请选择党支部");
        else if (!org.Kind.IsBranchLike()) e.Add("organizationId", "民主评议党员以党支部为单位开展，请选择党支部");
        else if (org.Status == OrganizationStatus.Archived) e.Add("organizationId", "该党组织已撤销");
        if (input.Year is not { } year) e.Add("year", "请填写评议年度");
        else if (year < today.Year - 1 || year > today.Year) e.Add("year", $"评议年度须为{today.Year - 1}或{today.Year}年");
        else if (org is not null && await db.AppraisalRounds.AnyAsync(r => r.OrganizationId == org.Id && r.Year == year, ct))
            e.Add("year", $"本支部{year}年度的民主评议已经建立");
        if (e.Any) return e;
        var counted = PartyMembership.Current;
        var members = await db.Members.AsNoTracking().InSubtree(org!.Path, m => m.Organization!.Path).Where(m => counted.Contains(m.Status))
            .Select(m => m.Id).ToListAsync(ct);
        if (members.Count == 0) return e.Add("organizationId", "本支部没有在册党员");
        var now = clock.GetUtcNow();
        var round = new AppraisalRound { Id = Guid.CreateVersion7(now), OrganizationId = org.Id, Year = input.Year!.Value, CreatedAt = now };
        round.Entries.AddRange(members.Select(m => new AppraisalEntry { RoundId = round.Id, MemberId = m, OrganizationId = org.Id }));
        db.AppraisalRounds.Add(round);
        await db.SaveChangesAsync(ct);
        return (await GetAsync(round.Id, ct))!;
    }

    public async Task<AppraisalView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var r = await db.AppraisalRounds.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new { x.Id, x.OrganizationId, x.Organization!.Name, x.Year, x.Status, x.SubmittedAt, x.SubmittedBy }).FirstOrDefaultAsync(ct);
        if (r is null) return null;
        var entries = await db.AppraisalEntries.AsNoTracking().Where(x => x.RoundId == id).OrderBy(x => x.Member!.Name).ThenBy(x => x.MemberId)
            .Select(x => new { x.MemberId, x.Member!.Name, x.Grade, x.Reason }).ToListAsync(ct);
        var followUps = await db.AppraisalFollowUps.AsNoTracking().Where(f => f.RoundId == id).OrderBy(f => f.Member!.Name)
            .Select(f => new FollowUpView(f.Id, f.MemberId, f.Member!.Name, f.Reason, f.Status, f.CreatedAt, f.OutcomeKind, f.Outcome, f.DecidedOn, f.DecidedBy,
                f.ApprovedBy, f.Note, f.ClosedBy)).ToListAsync(ct);
        return new AppraisalView(r.Id, r.OrganizationId, r.Name, r.Year, r.Status, r.Status.ToChinese(), entries.Count, AppraisalRules.MaxExcellent(entries.Count),
            $"优秀不超过参评党员的三分之一（向下取整）：本次{entries.Count}人参评，最多{AppraisalRules.MaxExcellent(entries.Count)}人", r.SubmittedAt, r.SubmittedBy,
            entries.Select(x => new AppraisalEntryView(x.MemberId, x.Name, x.Grade, x.Grade?.ToChinese(), x.Reason)).ToList(), followUps);
    }

    public async Task<Outcome<List<AppraisalSummary>>> ListAsync(Guid? orgId, int? year, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var q = db.AppraisalRounds.AsNoTracking();
        if (orgId is { } id)
        {
            if (await MemberCareCommon.PathOfAsync(db, id, ct) is not { } path) return Outcome<List<AppraisalSummary>>.Missing;
            q = q.InSubtree(path, r => r.Organization!.Path);
        }
        if (year is { } y) q = q.Where(r => r.Year == y);
        var rows = await q.OrderByDescending(r => r.Year).ThenBy(r => r.Organization!.Name).Take(200)
            .Select(r => new { r.Id, r.OrganizationId, r.Organization!.Name, r.Year, r.Status, Count = r.Entries.Count }).ToListAsync(ct);
        return rows.Select(r => new AppraisalSummary(r.Id, r.OrganizationId, r.Name, r.Year, r.Status, r.Status.ToChinese(), r.Count)).ToList();
    }

    /// <summary>Saves grades (all or some members). Nothing is saved when any check fails; the one-third limit on 优秀 is
    /// checked on the grades as they would stand after the change.</summary>
    public async Task<Outcome<AppraisalView>> GradeAsync(Guid id, GradesInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var round = await db.AppraisalRounds.Include(r => r.Entries).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (round is null) return Outcome<AppraisalView>.Missing;
        var e = new FieldErrors();
        if (round.Status == AppraisalStatus.Submitted) return e.Add("grades", "本次民主评议已提交，等次不能再修改");
        var grades = input.Grades ?? [];
        var entries = round.Entries.ToDictionary(x => x.MemberId);
        var seen = new HashSet<Guid>();
        for (var i = 0; i < grades.Count; i++)
        {
            var g = grades[i];
            if (g.MemberId is not { } mid || !entries.ContainsKey(mid)) { e.Add($"grades[{i}].memberId", "该党员不在本次评议名单中"); continue; }
            if (!seen.Add(mid)) e.Add($"grades[{i}].memberId", "同一名党员只能评定一次");
            if (g.Grade is { } gr && !Enum.IsDefined(gr)) e.Add($"grades[{i}].grade", "等次不正确");
            if (AppraisalRules.CheckReason(g.Grade, g.Reason) is { } msg) e.Add($"grades[{i}].reason", msg);
        }
        if (e.Any) return e;
        foreach (var g in grades)
        {
            var entry = entries[g.MemberId!.Value];
            entry.Grade = g.Grade;
            entry.Reason = string.IsNullOrWhiteSpace(g.Reason) ? null : g.Reason.Trim();
        }
        var excellent = round.Entries.Count(x => x.Grade == AppraisalGrade.Excellent);
        if (AppraisalRules.CheckExcellent(excellent, round.Entries.Count) is { } limit) e.Add("grades", limit);
        if (input.Submit)
        {
            var missing = round.Entries.Count(x => x.Grade is null);
            if (missing > 0) e.Add("grades", $"还有{missing}名党员未评定等次，全部评定后才能提交");
        }
        if (e.Any) return e;
        if (input.Submit)
        {
            var now = clock.GetUtcNow();
            round.Status = AppraisalStatus.Submitted;
            round.SubmittedAt = now;
            round.SubmittedBy = await user.StaffNameAsync();
            db.AuditAs(round, "appraisal.submit");
            foreach (var x in round.Entries.Where(x => x.Grade == AppraisalGrade.Unqualified))
                db.AppraisalFollowUps.Add(new AppraisalFollowUp
                {
                    Id = Guid.CreateVersion7(now), RoundId = round.Id, MemberId = x.MemberId, OrganizationId = round.OrganizationId, Reason = x.Reason!, CreatedAt = now,
                });
        }
        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct))!;
    }

    /// <summary>Closes the follow-up of a member graded 不合格 with the branch's decision (<see cref="FollowUpRules"/>); audited.</summary>
    public async Task<Outcome<AppraisalView>> CloseFollowUpAsync(Guid followUpId, FollowUpCloseInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var f = await db.AppraisalFollowUps.FirstOrDefaultAsync(x => x.Id == followUpId, ct);
        if (f is null) return Outcome<AppraisalView>.Missing;
        var e = new FieldErrors();
        foreach (var (field, message) in FollowUpRules.CheckClose(f.Status, input.Outcome, input.DecidedOn, input.DecidedBy, input.ApprovedBy,
                     DateOnly.FromDateTime(f.CreatedAt.ToChina().DateTime), clock.Today()))
            e.Add(field, message);
        e.MaxLength("decidedBy", input.DecidedBy?.Trim(), 100, "作出决定的组织").MaxLength("approvedBy", input.ApprovedBy?.Trim(), 100, "批准的上级党组织")
            .MaxLength("note", input.Note?.Trim(), FollowUpRules.NoteMaxLength, "说明");
        // 劝退 and 除名 take the member out of the registry (FollowUpRules.StatusAfter), so the member must still be on the
        // branch's roll: found in the branch's subtree (a member transferred away is not) and counted there.
        Member? member = null;
        var leaving = input.Outcome is { } oc && Enum.IsDefined(oc) && FollowUpRules.StatusAfter(oc) is not null;
        if (leaving && f.Status == FollowUpStatus.Open)
        {
            var branchPath = await db.Organizations.Where(o => o.Id == f.OrganizationId).Select(o => o.Path).FirstOrDefaultAsync(ct);
            member = branchPath is null ? null
                : await db.Members.InSubtree(branchPath, m => m.Organization!.Path).FirstOrDefaultAsync(m => m.Id == f.MemberId, ct);
            if (FollowUpRules.CheckMemberForLeaving(input.Outcome, member?.Status) is { } msg) e.Add("outcome", msg);
        }
        if (e.Any) return e;
        f.Status = FollowUpStatus.Closed;
        f.OutcomeKind = input.Outcome;
        f.Outcome = input.Outcome!.Value.ToChinese();
        f.DecidedOn = input.DecidedOn;
        f.DecidedBy = input.DecidedBy!.Trim();
        f.ApprovedBy = string.IsNullOrWhiteSpace(input.ApprovedBy) ? null : input.ApprovedBy.Trim();
        f.Note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        f.ClosedBy = await user.StaffNameAsync();
        f.ClosedAt = clock.GetUtcNow();
        db.AuditAs(f, "appraisal.follow-up.close");
        // 出党 after a 劝退 or 除名: the member stops counting in the registry, dues and organizational life; an open mobile
        // registration, committee seats, the dues base and an open 双报到 (also one held by a community elsewhere, its end date
        // authorized explicitly) end on the decision date and open alerts are resolved (MembershipChanges.LeaveRollAsync).
        if (member is not null && FollowUpRules.StatusAfter(input.Outcome!.Value) is { } after)
            await Members.MembershipChanges.LeaveRollAsync(db, member, after, input.DecidedOn!.Value, "member.leave", ct);
        // The follow-up, the member's status and what ends with it commit together, each audited (one SaveChanges).
        await db.SaveChangesAsync(ct);
        return (await GetAsync(f.RoundId, ct))!;
    }
}
