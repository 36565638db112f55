using Jiceng.Data;
using Jiceng.Data.Scope;
using Jiceng.Domain.Members;
using Jiceng.Domain.OrganizationalLife;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Identity;
using Jiceng.Web.Features.MemberCare;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Features.Settings;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.OrganizationalLife;

public sealed record CalendarPeriodView(string Label, DateOnly Start, DateOnly End, int Due, int Held, PeriodState State, string StateName);

public sealed record CalendarRow(ActivityKind Kind, string KindName, int TimesPerYear, string Frequency, IReadOnlyList<CalendarPeriodView> Periods);

public sealed record ActivityCalendarView(Guid OrganizationId, string OrganizationName, int Year, int Done, int Due, int Missed, IReadOnlyList<CalendarRow> Rows);

public sealed record TrainingHoursRow(Guid MemberId, string MemberName, string OrganizationName, bool IsLeader, decimal Hours, decimal Required, bool Met);

public sealed record TrainingHoursView(Guid OrganizationId, int Year, int Met, int Total, IReadOnlyList<TrainingHoursRow> Members);

public sealed record CommitteeSeatView(Guid MemberId, string MemberName, CommitteePosition Position, string PositionName, DateOnly From);

public sealed class CommitteeSeatInput
{
    public Guid? MemberId { get; set; }
    public CommitteePosition? Position { get; set; }
}

public sealed class CommitteeInput
{
    public List<CommitteeSeatInput>? Seats { get; set; }
    /// <summary>The day the listed committee took office (换届 or 补选), default today.</summary>
    public DateOnly? From { get; set; }
}

public sealed record MyActivity(DateOnly Date, string KindName, string Topic, string OrganizationName, decimal? TrainingHours);

public sealed record MyDueActivity(string OrganizationName, string KindName, string Period, DateOnly End);

public sealed record MyOrgLife(int Year, decimal TrainingHours, decimal RequiredHours, IReadOnlyList<MyActivity> Attended, IReadOnlyList<MyDueActivity> NextDue);

/// <summary>The planning calendar, training hours and committee of a branch, and a member's own view of them.</summary>
public sealed class CalendarService(ScopedDbFactory dbs, CurrentUser user, TimeProvider clock)
{
    public const int MaxCommitteeSeats = 7;

    public static string StateName(PeriodState s) => s switch
    {
        PeriodState.Done => "已完成", PeriodState.Due => "待开展", PeriodState.Missed => "未开展", _ => "不要求",
    };

    public static string FrequencyName(int timesPerYear) => LifePeriods.MonthsPerPeriod(timesPerYear) switch
    {
        1 => "每月", 3 => "每季度", 6 => "每半年", 2 => "每两个月", 4 => "每四个月", _ => $"每年{timesPerYear}次",
    };

    private static FieldErrors CheckYear(int year, DateOnly today)
    {
        var e = new FieldErrors();
        if (year < 2000 || year > today.Year + 1) e.Add("year", $"年度须在2000到{today.Year + 1}之间");
        return e;
    }

    public async Task<Outcome<ActivityCalendarView>> CalendarAsync(Guid orgId, int? year, CancellationToken ct = default)
    {
        var today = clock.Today();
        var y = year ?? today.Year;
        var e = CheckYear(y, today);
        if (e.Any) return e;
        await using var db = await dbs.CreateAsync(ct);
        var org = await db.Organizations.AsNoTracking().Where(o => o.Id == orgId).Select(o => new { o.Id, o.Name, o.Kind, o.HasCommittee, o.EstablishedOn, o.Path }).FirstOrDefaultAsync(ct);
        if (org is null) return Outcome<ActivityCalendarView>.Missing;
        if (!ActivitySchedule.HoldsActivities(org.Kind)) return e.Add("orgId", "组织生活计划按党支部或党小组查看，请选择党支部或党小组");
        var settings = await SettingsService.LoadAsync(db, ct);
        return Build(org.Id, org.Name, org.Kind, org.HasCommittee, org.EstablishedOn, y, await HeldOfAsync(db, org.Id, y, ct), settings, today);
    }

    private static async Task<List<(ActivityKind, DateOnly)>> HeldOfAsync(JicengDbContext db, Guid orgId, int year, CancellationToken ct)
    {
        var from = new DateOnly(year, 1, 1);
        var to = new DateOnly(year, 12, 31);
        var rows = await db.Activities.AsNoTracking().Where(a => a.OrganizationId == orgId && a.Date >= from && a.Date <= to)
            .Select(a => new { a.Kind, a.Date }).ToListAsync(ct);
        var held = rows.Select(r => (r.Kind, r.Date)).ToList();
        if (await db.AppraisalRounds.AsNoTracking().AnyAsync(r => r.OrganizationId == orgId && r.Year == year && r.Status == AppraisalStatus.Submitted, ct))
            held.Add((ActivityKind.MemberAppraisal, to));
        return held;
    }

    private static ActivityCalendarView Build(Guid id, string name, OrganizationKind kind, bool hasCommittee, DateOnly? established, int year,
        List<(ActivityKind, DateOnly)> held, Domain.Settings.ISettingsReader settings, DateOnly today)
    {
        var required = ActivitySchedule.RequiredFor(kind, hasCommittee, settings);
        var cells = ActivityCalendar.Build(year, required, held, today, established);
        var rows = required.Select(r => new CalendarRow(r.Kind, r.Kind.ToChinese(), r.TimesPerYear, FrequencyName(r.TimesPerYear),
            cells.Where(c => c.Kind == r.Kind).Select(c => new CalendarPeriodView(c.Period.Label, c.Period.Start, c.Period.End, c.Due, c.Held, c.State, StateName(c.State))).ToList())).ToList();
        return new ActivityCalendarView(id, name, year, cells.Count(c => c.State == PeriodState.Done), cells.Count(c => c.State == PeriodState.Due),
            cells.Count(c => c.State == PeriodState.Missed), rows);
    }

    /// <summary>Training hours per member of a branch's subtree in a year, from the lessons and theme days they attended.</summary>
    public async Task<Outcome<TrainingHoursView>> TrainingHoursAsync(Guid orgId, int? year, CancellationToken ct = default)
    {
        var today = clock.Today();
        var y = year ?? today.Year;
        var e = CheckYear(y, today);
        if (e.Any) return e;
        await using var db = await dbs.CreateAsync(ct);
        var org = await db.Organizations.AsNoTracking().Where(o => o.Id == orgId).Select(o => new { o.Kind, o.Path }).FirstOrDefaultAsync(ct);
        if (org is null) return Outcome<TrainingHoursView>.Missing;
        if (!ActivitySchedule.HoldsActivities(org.Kind)) return e.Add("orgId", "学时按党支部或党小组查看，请选择党支部或党小组");
        var counted = PartyMembership.Current;
        var members = await db.Members.AsNoTracking().InSubtree(org.Path, m => m.Organization!.Path).Where(m => counted.Contains(m.Status))
            .OrderBy(m => m.Name).ThenBy(m => m.Id).Take(ActivityService.MaxAttendance).Select(m => new { m.Id, m.Name, OrgName = m.Organization!.Name }).ToListAsync(ct);
        var ids = members.Select(m => m.Id).ToList();
        var hours = await HoursAsync(db, ids, y, ct);
        var leaders = await LeadersAsync(db, ids, y, ct);
        var rows = members.Select(m =>
        {
            var leader = leaders.Contains(m.Id);
            var h = hours.GetValueOrDefault(m.Id);
            return new TrainingHoursRow(m.Id, m.Name, m.OrgName, leader, h, TrainingHoursRule.Required(leader), TrainingHoursRule.IsMet(h, leader));
        }).ToList();
        return new TrainingHoursView(orgId, y, rows.Count(r => r.Met), rows.Count, rows);
    }

    internal static async Task<Dictionary<Guid, decimal>> HoursAsync(JicengDbContext db, List<Guid> memberIds, int year, CancellationToken ct)
    {
        var from = new DateOnly(year, 1, 1);
        var to = new DateOnly(year, 12, 31);
        var rows = await db.ActivityAttendance.AsNoTracking()
            .Where(a => memberIds.Contains(a.MemberId) && a.Status == AttendanceStatus.Present && a.Date >= from && a.Date <= to && a.Activity!.TrainingHours != null)
            .Select(a => new { a.MemberId, Hours = a.Activity!.TrainingHours!.Value }).ToListAsync(ct);
        return rows.GroupBy(r => r.MemberId).ToDictionary(g => g.Key, g => g.Sum(r => r.Hours));
    }

    /// <summary>Members who held a committee seat (书记 or 班子成员) at any time in the year.</summary>
    internal static async Task<HashSet<Guid>> LeadersAsync(JicengDbContext db, List<Guid> memberIds, int year, CancellationToken ct)
    {
        var from = new DateOnly(year, 1, 1);
        var to = new DateOnly(year, 12, 31);
        return (await db.CommitteeSeats.AsNoTracking().Where(s => memberIds.Contains(s.MemberId) && s.From <= to && (s.Until == null || s.Until >= from))
            .Select(s => s.MemberId).ToListAsync(ct)).ToHashSet();
    }

    public async Task<Outcome<List<CommitteeSeatView>>> CommitteeAsync(Guid orgId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        if (await MemberCareCommon.PathOfAsync(db, orgId, ct) is null) return Outcome<List<CommitteeSeatView>>.Missing;
        return await CurrentSeats(db, orgId, clock.Today()).ToListAsync(ct);
    }

    private static IQueryable<CommitteeSeatView> CurrentSeats(JicengDbContext db, Guid orgId, DateOnly today) =>
        db.CommitteeSeats.AsNoTracking().Where(s => s.OrganizationId == orgId && s.From <= today && (s.Until == null || s.Until >= today))
            .OrderBy(s => s.Position).ThenBy(s => s.Member!.Name)
            .Select(s => new CommitteeSeatView(s.MemberId, s.Member!.Name, s.Position, s.Position == CommitteePosition.Secretary ? "书记" : s.Position == CommitteePosition.DeputySecretary ? "副书记" : "委员", s.From));

    /// <summary>Sets the branch's committee as of a day (default today): seats no longer listed end the day before, new ones start that day; history stays.</summary>
    public async Task<Outcome<List<CommitteeSeatView>>> SetCommitteeAsync(Guid orgId, CommitteeInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var org = await db.Organizations.AsNoTracking().Where(o => o.Id == orgId).Select(o => new { o.Id, o.Kind, o.HasCommittee, o.Path, o.Status }).FirstOrDefaultAsync(ct);
        if (org is null) return Outcome<List<CommitteeSeatView>>.Missing;
        var e = new FieldErrors();
        if (!org.Kind.IsBranchLike()) e.Add("orgId", "支部委员会按党支部登记，请选择党支部");
        else if (org.Status == OrganizationStatus.Archived) e.Add("orgId", "该党组织已撤销");
        var seats = input.Seats ?? [];
        if (seats.Count > MaxCommitteeSeats) e.Add("seats", $"支部委员会最多{MaxCommitteeSeats}人");
        var ids = seats.Select(s => s.MemberId).OfType<Guid>().ToList();
        if (ids.Count != ids.Distinct().Count()) e.Add("seats", "同一名党员只能任一个职务");
        if (seats.Count(s => s.Position == CommitteePosition.Secretary) > 1) e.Add("seats", "书记只能有一名");
        var members = await db.Members.AsNoTracking().Where(m => ids.Contains(m.Id)).InSubtree(org.Path, m => m.Organization!.Path)
            .Select(m => new { m.Id, m.State, m.Status }).ToDictionaryAsync(m => m.Id, ct);
        for (var i = 0; i < seats.Count; i++)
        {
            var s = seats[i];
            if (s.MemberId is not { } mid || !members.TryGetValue(mid, out var m)) e.Add($"seats[{i}].memberId", "请选择本支部的党员");
            else if (m.State != MemberState.Full) e.Add($"seats[{i}].memberId", "支部委员应为正式党员");
            else if (!PartyMembership.IsCurrent(m.Status)) e.Add($"seats[{i}].memberId", "该党员当前不在册");
            if (s.Position is not { } p || !Enum.IsDefined(p)) e.Add($"seats[{i}].position", "请选择职务");
            else if (!org.HasCommittee && p == CommitteePosition.Member) e.Add($"seats[{i}].position", "本支部未设支部委员会，只登记书记（和副书记）");
        }
        var today = clock.Today();
        var from = input.From ?? today;
        if (from > today) e.Add("from", "任职日期不能晚于今天");
        else if (from.Year < today.Year - 1) e.Add("from", "任职日期只能补记上一年度以来的");
        if (e.Any) return e;
        var now = clock.GetUtcNow();
        var current = await db.CommitteeSeats.Where(s => s.OrganizationId == orgId && (s.Until == null || s.Until >= from)).ToListAsync(ct);
        foreach (var c in current)
        {
            if (seats.Any(s => s.MemberId == c.MemberId && s.Position == c.Position)) continue;
            if (c.From >= from) db.CommitteeSeats.Remove(c);
            else c.Until = from.AddDays(-1);
        }
        foreach (var s in seats.Where(s => !current.Any(c => c.MemberId == s.MemberId && c.Position == s.Position)))
            db.CommitteeSeats.Add(new CommitteeSeat { Id = Guid.CreateVersion7(now), OrganizationId = orgId, MemberId = s.MemberId!.Value, Position = s.Position!.Value, From = from, CreatedAt = now });
        await db.SaveChangesAsync(ct);
        return await CurrentSeats(db, orgId, today).ToListAsync(ct);
    }

    /// <summary>Open organizational-life alerts of an organization's subtree (missed activities, absence streaks).</summary>
    public async Task<List<Alerts.AlertView>> OpenAlertsAsync(Guid orgId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        if (await MemberCareCommon.PathOfAsync(db, orgId, ct) is not { } path) return [];
        string[] codes = [OrgLifeAlertRules.MissedRule, OrgLifeAlertRules.AbsenceRule];
        var rows = await db.Alerts.AsNoTracking().Where(a => a.ResolvedAt == null && codes.Contains(a.RuleCode)).InSubtree(path, a => a.Organization!.Path)
            .OrderByDescending(a => a.Severity).ThenBy(a => a.DueOn).Take(50)
            .Select(a => new { a.Id, a.RuleCode, a.OrganizationId, a.Organization!.Name, a.Severity, a.Message, a.SubjectType, a.SubjectId, a.DueOn, a.RaisedAt }).ToListAsync(ct);
        return rows.Select(a => new Alerts.AlertView(a.Id, a.RuleCode, a.OrganizationId, a.Name, a.Severity, Domain.Alerts.AlertSeverityNames.ToChinese(a.Severity),
            a.Message, a.SubjectType, a.SubjectId, a.DueOn, a.RaisedAt)).ToList();
    }

    /// <summary>The signed-in party member's own organizational life: this year's activities attended, training hours and the
    /// next due activities of their organization (and of the branch above a party group). Keyed on the account's MemberId.</summary>
    public async Task<MyOrgLife?> MineAsync(CancellationToken ct = default)
    {
        if (await user.OwnMemberIdAsync(ct) is not { } mid) return null;
        // Self-service: the member's own organization is usually outside any scope they hold.
        await using var db = await dbs.CreateUnrestrictedAsync(ct);
        var member = await db.Members.AsNoTracking().Where(m => m.Id == mid)
            .Select(m => new { m.OrganizationId, m.Organization!.ParentId, m.Organization.Kind }).FirstOrDefaultAsync(ct);
        if (member is null) return null;
        var today = clock.Today();
        var from = new DateOnly(today.Year, 1, 1);
        var attended = await db.ActivityAttendance.AsNoTracking().Where(a => a.MemberId == mid && a.Status == AttendanceStatus.Present && a.Date >= from)
            .OrderByDescending(a => a.Date).Take(50)
            .Select(a => new { a.Date, a.Activity!.Kind, a.Activity.Topic, a.Activity.Organization!.Name, a.Activity.TrainingHours }).ToListAsync(ct);
        var hours = (await HoursAsync(db, [mid], today.Year, ct)).GetValueOrDefault(mid);
        var leader = (await LeadersAsync(db, [mid], today.Year, ct)).Contains(mid);
        var settings = await SettingsService.LoadAsync(db, ct);
        var orgIds = new List<Guid> { member.OrganizationId };
        if (member.Kind == OrganizationKind.PartyGroup && member.ParentId is { } parent) orgIds.Add(parent);
        var due = new List<MyDueActivity>();
        foreach (var orgId in orgIds)
        {
            var org = await db.Organizations.AsNoTracking().Where(o => o.Id == orgId).Select(o => new { o.Id, o.Name, o.Kind, o.HasCommittee, o.EstablishedOn }).FirstAsync(ct);
            if (!ActivitySchedule.HoldsActivities(org.Kind)) continue;
            var cal = Build(org.Id, org.Name, org.Kind, org.HasCommittee, org.EstablishedOn, today.Year, await HeldOfAsync(db, org.Id, today.Year, ct), settings, today);
            // A committee meeting concerns the committee only.
            due.AddRange(cal.Rows.Where(r => r.Kind != ActivityKind.CommitteeMeeting || leader).SelectMany(r => r.Periods.Where(p => p.State == PeriodState.Due)
                .Select(p => new MyDueActivity(org.Name, r.KindName, p.Label, p.End))));
        }
        return new MyOrgLife(today.Year, hours, TrainingHoursRule.Required(leader),
            attended.Select(a => new MyActivity(a.Date, a.Kind.ToChinese(), a.Topic, a.Name, a.TrainingHours)).ToList(),
            due.OrderBy(d => d.End).ThenBy(d => d.KindName).Take(6).ToList());
    }
}
