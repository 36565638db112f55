using Jiceng.Data;
using Jiceng.Data.Scope;
using Jiceng.Domain.Members;
using Jiceng.Domain.OrganizationalLife;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Alerts;
using Jiceng.Web.Features.MemberCare;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.OrganizationalLife;

public sealed class AttendanceInput
{
    public Guid? MemberId { get; set; }
    public AttendanceStatus? Status { get; set; }
    public string? Reason { get; set; }
}

public sealed class ActivityInput
{
    public Guid? OrganizationId { get; set; }
    public ActivityKind? Kind { get; set; }
    public DateOnly? Date { get; set; }
    public string? Place { get; set; }
    public string? Topic { get; set; }
    public string? Host { get; set; }
    public string? Lecturer { get; set; }
    public decimal? TrainingHours { get; set; }
    public string? Minutes { get; set; }
    public List<AttendanceInput>? Attendance { get; set; }
}

public sealed record AttendanceView(Guid MemberId, string MemberName, AttendanceStatus Status, string StatusName, string? Reason, bool OnCommittee);

public sealed record QuorumView(int CommitteeSize, int CommitteePresent, int Needed, bool? Met, string Message);

public sealed record ActivitySummary(Guid Id, Guid OrganizationId, string OrganizationName, ActivityKind Kind, string KindName, DateOnly Date,
    string Topic, string Place, string Host, int PresentCount, int ExcusedCount, int AbsentCount, bool? QuorumMet);

public sealed record ActivityView(Guid Id, Guid OrganizationId, string OrganizationName, ActivityKind Kind, string KindName, DateOnly Date,
    string Place, string Topic, string Host, string? Lecturer, decimal? TrainingHours, string? Minutes, int PresentCount, int ExcusedCount,
    int AbsentCount, QuorumView? Quorum, string RecordedBy, IReadOnlyList<AttendanceView> Attendance);

public sealed record ActivityQuery(Guid? OrgId = null, ActivityKind? Kind = null, DateOnly? From = null, DateOnly? To = null, int Page = 1, int PageSize = Paging.DefaultPageSize);

/// <summary>An organization's members that an attendance list is picked from, with whether they sit on its committee.</summary>
public sealed record RosterMember(Guid Id, string Name, string OrganizationName, bool OnCommittee);

/// <summary>
/// Activity records (组织生活): a branch secretary records what happened once (kind, date, place, topic, host, lecturer,
/// attendance, minutes), and the calendar, the compliance alerts and the training hours follow from it.
/// </summary>
public sealed class ActivityService(ScopedDbFactory dbs, CurrentUser user, TimeProvider clock, AlertEngine alerts, OrgLifeAlertRules rules)
{
    public const int MaxAttendance = 500;

    public async Task<Outcome<ActivityView>> RecordAsync(ActivityInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var today = clock.Today();
        var e = new FieldErrors();
        var org = input.OrganizationId is { } orgId
            ? await db.Organizations.AsNoTracking().Where(o => o.Id == orgId).Select(o => new { o.Id, o.Kind, o.Status, o.Path, o.Name }).FirstOrDefaultAsync(ct)
            : null;
        // Out of scope (or missing) answers 404, as every read does: ids cannot be probed.
        if (input.OrganizationId is not null && org is null) return Outcome<ActivityView>.Missing;
        if (org is null) e.Add("organizationId", "请选择党组织");
        else if (!ActivitySchedule.HoldsActivities(org.Kind)) e.Add("organizationId", "组织生活由党支部或党小组记录，请选择党支部或党小组");
        else if (org.Status == OrganizationStatus.Archived) e.Add("organizationId", "该党组织已撤销");
        if (input.Kind is not { } kind || !Enum.IsDefined(kind)) e.Add("kind", "请选择活动类型");
        else if (org is not null && ActivitySchedule.HoldsActivities(org.Kind) && !ActivitySchedule.MayRecord(org.Kind, kind))
            e.Add("kind", org.Kind == OrganizationKind.PartyGroup ? $"党小组不召开{kind.ToChinese()}" : "党小组会由党小组记录，请选择党小组");
        if (input.Date is not { } date) e.Add("date", "请填写日期");
        else if (date > today) e.Add("date", "日期不能晚于今天（记录已开展的活动）");
        else if (date.Year < today.Year - 1) e.Add("date", "只能补记上一年度以来的活动");
        e.Required("place", input.Place, "地点").MaxLength("place", input.Place?.Trim(), 100, "地点");
        e.Required("topic", input.Topic, "主题").MaxLength("topic", input.Topic?.Trim(), 200, "主题");
        e.Required("host", input.Host, "主持人").MaxLength("host", input.Host?.Trim(), 50, "主持人");
        e.MaxLength("minutes", input.Minutes?.Trim(), 10000, "会议记录");
        if (input.Kind == ActivityKind.PartyLesson) e.Required("lecturer", input.Lecturer, "授课人").MaxLength("lecturer", input.Lecturer?.Trim(), 50, "授课人");
        if (input.Kind is { } k2 && TrainingHoursRule.CarriesHours(k2))
        {
            if (k2 == ActivityKind.PartyLesson && input.TrainingHours is null) e.Add("trainingHours", "请填写党课学时");
            else if (input.TrainingHours is { } h && (h <= 0 || h > TrainingHoursRule.MaxHoursPerActivity || h * 2 != decimal.Truncate(h * 2)))
                e.Add("trainingHours", $"学时须在0.5到{TrainingHoursRule.MaxHoursPerActivity}之间，以0.5为单位");
        }
        else if (input.TrainingHours is not null) e.Add("trainingHours", "只有党课和主题党日记学时");

        var list = input.Attendance ?? [];
        if (list.Count == 0) e.Add("attendance", "请从本组织党员中选择参加人员并标记到会、请假或缺席");
        else if (list.Count > MaxAttendance) e.Add("attendance", $"一次活动最多记录{MaxAttendance}人");
        var ids = list.Select(a => a.MemberId).OfType<Guid>().ToList();
        if (ids.Count != ids.Distinct().Count()) e.Add("attendance", "同一名党员只能出现一次");
        var members = org is null || ids.Count == 0 ? [] : await db.Members.AsNoTracking()
            .Where(m => ids.Contains(m.Id)).InSubtree(org.Path, m => m.Organization!.Path)
            .Select(m => new { m.Id, m.Name, m.Status, m.OrganizationId }).ToDictionaryAsync(m => m.Id, ct);
        for (var i = 0; i < list.Count && i < MaxAttendance; i++)
        {
            var a = list[i];
            var field = $"attendance[{i}]";
            if (a.MemberId is not { } mid) e.Add($"{field}.memberId", "请选择党员");
            else if (!members.TryGetValue(mid, out var m)) { if (org is not null) e.Add($"{field}.memberId", "该党员不是本组织的党员"); }
            else if (!PartyMembership.IsCurrent(m.Status)) e.Add($"{field}.memberId", $"{m.Name}当前状态为“{m.Status.ToChinese()}”，不参加组织生活");
            if (a.Status is not { } st || !Enum.IsDefined(st)) e.Add($"{field}.status", "请标记到会、请假或缺席");
            else if (st == AttendanceStatus.Excused && string.IsNullOrWhiteSpace(a.Reason)) e.Add($"{field}.reason", "请假须写明事由");
            if (a.Reason?.Trim() is { Length: > 200 }) e.Add($"{field}.reason", "事由不能超过200个字符");
        }
        if (e.Any) return e;

        var now = clock.GetUtcNow();
        var activity = new Activity
        {
            Id = Guid.CreateVersion7(now), OrganizationId = org!.Id, Kind = input.Kind!.Value, Date = input.Date!.Value,
            Place = input.Place!.Trim(), Topic = input.Topic!.Trim(), Host = input.Host!.Trim(),
            Lecturer = input.Kind == ActivityKind.PartyLesson ? input.Lecturer!.Trim() : null,
            TrainingHours = input.TrainingHours, Minutes = string.IsNullOrWhiteSpace(input.Minutes) ? null : input.Minutes.Trim(),
            RecordedBy = await user.StaffNameAsync(), CreatedAt = now,
        };
        foreach (var a in list)
            activity.Attendance.Add(new ActivityAttendance
            {
                ActivityId = activity.Id, MemberId = a.MemberId!.Value, OrganizationId = org.Id, Date = activity.Date, Status = a.Status!.Value,
                Reason = a.Status == AttendanceStatus.Present || string.IsNullOrWhiteSpace(a.Reason) ? null : a.Reason.Trim(),
            });
        activity.PresentCount = activity.Attendance.Count(a => a.Status == AttendanceStatus.Present);
        activity.ExcusedCount = activity.Attendance.Count(a => a.Status == AttendanceStatus.Excused);
        activity.AbsentCount = activity.Attendance.Count(a => a.Status == AttendanceStatus.Absent);
        if (activity.Kind == ActivityKind.CommitteeMeeting)
        {
            var committee = await CommitteeOnAsync(db, org.Id, activity.Date, ct);
            activity.CommitteeSize = committee.Count;
            activity.CommitteePresent = activity.Attendance.Count(a => a.Status == AttendanceStatus.Present && committee.Contains(a.MemberId));
        }
        db.Activities.Add(activity);
        await UpdateStreaksAsync(db, activity, members.ToDictionary(m => m.Key, m => m.Value.OrganizationId), ct);
        await db.SaveChangesAsync(ct);
        await alerts.RefreshAsync(rules, org.Path, ct);
        return (await GetAsync(activity.Id, ct))!;
    }

    /// <summary>Members holding a committee seat of the organization on a day.</summary>
    internal static async Task<HashSet<Guid>> CommitteeOnAsync(JicengDbContext db, Guid orgId, DateOnly day, CancellationToken ct) =>
        (await db.CommitteeSeats.AsNoTracking().Where(s => s.OrganizationId == orgId && s.From <= day && (s.Until == null || s.Until >= day))
            .Select(s => s.MemberId).ToListAsync(ct)).ToHashSet();

    /// <summary>Recomputes the consecutive-absence streak of everyone on the new list from their attendance history (the new
    /// activity included), newest first; activities on the same day are ordered by when they were recorded. Only attendance
    /// since the member's current time on the roll counts: from the vote that admitted them (a readmitted member's new vote),
    /// from a restoration (恢复党籍) and from the receipt of a letter from outside (a member who left for outside and came back);
    /// what went before ended with leaving the roll (MembershipChanges.LeaveRollAsync).</summary>
    private static async Task UpdateStreaksAsync(JicengDbContext db, Activity added, Dictionary<Guid, Guid> memberOrgs, CancellationToken ct)
    {
        var ids = memberOrgs.Keys.ToList();
        var since = await db.Members.AsNoTracking().Where(m => ids.Contains(m.Id)).Select(m => new { m.Id, m.JoinedOn })
            .ToDictionaryAsync(m => m.Id, m => m.JoinedOn, ct);
        // The latest restoration of each (the suspension history follows the member, so the filter shows it).
        var restored = await db.MemberSuspensions.AsNoTracking()
            .Where(x => ids.Contains(x.MemberId) && x.Outcome == SuspensionOutcome.Restored && x.DecidedOn != null)
            .GroupBy(x => x.MemberId).Select(g => new { MemberId = g.Key, On = g.Max(x => x.DecidedOn) }).ToListAsync(ct);
        foreach (var r in restored)
            if (r.On is { } on && since.TryGetValue(r.MemberId, out var from) && on > from) since[r.MemberId] = on;
        // Receipts of letters from outside: the caller holds the receiving organization (the member's now), so the filter shows them.
        var received = await db.Transfers.AsNoTracking()
            .Where(t => t.Kind == Domain.Transfers.TransferKind.FromExternal && t.Status == Domain.Transfers.TransferStatus.Completed
                && t.MemberId != null && ids.Contains(t.MemberId.Value) && t.CompletedAt != null)
            .Select(t => new { MemberId = t.MemberId!.Value, t.CompletedAt }).ToListAsync(ct);
        foreach (var r in received)
        {
            var on = DateOnly.FromDateTime(r.CompletedAt!.Value.ToChina().DateTime);
            if (!since.TryGetValue(r.MemberId, out var from) || on > from) since[r.MemberId] = on;
        }
        var history = await db.ActivityAttendance.AsNoTracking().Where(a => ids.Contains(a.MemberId))
            .Select(a => new { a.MemberId, a.Date, a.Activity!.CreatedAt, a.Status }).ToListAsync(ct);
        var rows = history.Where(h => !since.TryGetValue(h.MemberId, out var from) || h.Date >= from).Select(h => (h.MemberId, h.Date, h.CreatedAt, h.Status))
            .Concat(added.Attendance.Select(a => (a.MemberId, a.Date, added.CreatedAt, a.Status)))
            .GroupBy(h => h.MemberId).ToDictionary(g => g.Key, g => g.OrderByDescending(x => x.Date).ThenByDescending(x => x.CreatedAt).ToList());
        var existing = await db.AbsenceStreaks.Where(s => ids.Contains(s.MemberId)).ToDictionaryAsync(s => s.MemberId, ct);
        foreach (var (memberId, marks) in rows)
        {
            var count = AbsenceStreakRule.Streak(marks.Select(m => m.Status));
            var last = marks.FirstOrDefault(m => m.Status == AttendanceStatus.Absent).Date;
            if (!existing.TryGetValue(memberId, out var s))
                db.AbsenceStreaks.Add(s = new AbsenceStreak { MemberId = memberId, OrganizationId = memberOrgs[memberId] });
            s.OrganizationId = memberOrgs[memberId];
            s.Count = count;
            s.LastDate = count > 0 ? last : null;
        }
    }

    public async Task<ActivityView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var a = await db.Activities.AsNoTracking().Where(x => x.Id == id)
            .Select(x => new { x.Id, x.OrganizationId, OrgName = x.Organization!.Name, x.Kind, x.Date, x.Place, x.Topic, x.Host, x.Lecturer, x.TrainingHours,
                x.Minutes, x.PresentCount, x.ExcusedCount, x.AbsentCount, x.CommitteeSize, x.CommitteePresent, x.RecordedBy })
            .FirstOrDefaultAsync(ct);
        if (a is null) return null;
        var committee = await CommitteeOnAsync(db, a.OrganizationId, a.Date, ct);
        var attendance = await db.ActivityAttendance.AsNoTracking().Where(x => x.ActivityId == id).OrderBy(x => x.Status).ThenBy(x => x.Member!.Name)
            .Select(x => new { x.MemberId, x.Member!.Name, x.Status, x.Reason }).ToListAsync(ct);
        return new ActivityView(a.Id, a.OrganizationId, a.OrgName, a.Kind, a.Kind.ToChinese(), a.Date, a.Place, a.Topic, a.Host, a.Lecturer, a.TrainingHours,
            a.Minutes, a.PresentCount, a.ExcusedCount, a.AbsentCount, Quorum(a.CommitteeSize, a.CommitteePresent), a.RecordedBy,
            attendance.Select(x => new AttendanceView(x.MemberId, x.Name, x.Status, x.Status.ToChinese(), x.Reason, committee.Contains(x.MemberId))).ToList());
    }

    public static QuorumView? Quorum(int? size, int? present)
    {
        if (size is not { } n || present is not { } p) return null;
        var met = CommitteeQuorum.IsMet(n, p);
        var message = met switch
        {
            null => "本支部未登记支委会成员，无法核对到会人数",
            true => $"支委{n}人，到会{p}人，达到半数以上，会议有效",
            false => $"支委{n}人，仅到会{p}人，不足半数（至少{CommitteeQuorum.Needed(n)}人），会议不符合法定人数",
        };
        return new QuorumView(n, p, CommitteeQuorum.Needed(n), met, message);
    }

    public async Task<Outcome<PagedList<ActivitySummary>>> ListAsync(ActivityQuery q, CancellationToken ct = default)
    {
        var e = Paging.Check(q.Page, q.PageSize);
        if (q.Kind is { } k && !Enum.IsDefined(k)) e.Add("kind", "活动类型不正确");
        if (q.From is { } f && q.To is { } t && f > t) e.Add("to", "结束日期不能早于开始日期");
        if (e.Any) return e;
        await using var db = await dbs.CreateAsync(ct);
        var query = db.Activities.AsNoTracking();
        if (q.OrgId is { } id)
        {
            if (await MemberCareCommon.PathOfAsync(db, id, ct) is not { } path) return Outcome<PagedList<ActivitySummary>>.Missing;
            query = query.InSubtree(path, a => a.Organization!.Path);
        }
        if (q.Kind is { } kind) query = query.Where(a => a.Kind == kind);
        if (q.From is { } from) query = query.Where(a => a.Date >= from);
        if (q.To is { } to) query = query.Where(a => a.Date <= to);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(a => a.Date).ThenByDescending(a => a.Id).Skip((q.Page - 1) * q.PageSize).Take(q.PageSize)
            .Select(a => new { a.Id, a.OrganizationId, a.Organization!.Name, a.Kind, a.Date, a.Topic, a.Place, a.Host, a.PresentCount, a.ExcusedCount, a.AbsentCount, a.CommitteeSize, a.CommitteePresent })
            .ToListAsync(ct);
        return new PagedList<ActivitySummary>(rows.Select(a => new ActivitySummary(a.Id, a.OrganizationId, a.Name, a.Kind, a.Kind.ToChinese(), a.Date, a.Topic, a.Place,
            a.Host, a.PresentCount, a.ExcusedCount, a.AbsentCount, a.CommitteeSize is { } n && a.CommitteePresent is { } p ? CommitteeQuorum.IsMet(n, p) : null)).ToList(),
            total, q.Page, q.PageSize);
    }

    /// <summary>The members an attendance list is picked from: counted members of the organization's subtree, by name.</summary>
    public async Task<Outcome<List<RosterMember>>> RosterAsync(Guid orgId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        if (await MemberCareCommon.PathOfAsync(db, orgId, ct) is not { } path) return Outcome<List<RosterMember>>.Missing;
        var committee = await CommitteeOnAsync(db, orgId, clock.Today(), ct);
        var counted = PartyMembership.Current;
        var rows = await db.Members.AsNoTracking().InSubtree(path, m => m.Organization!.Path).Where(m => counted.Contains(m.Status))
            .OrderBy(m => m.Name).ThenBy(m => m.Id).Take(MaxAttendance).Select(m => new { m.Id, m.Name, OrgName = m.Organization!.Name }).ToListAsync(ct);
        return rows.Select(m => new RosterMember(m.Id, m.Name, m.OrgName, committee.Contains(m.Id))).ToList();
    }
}
