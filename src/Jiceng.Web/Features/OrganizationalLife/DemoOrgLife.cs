using Jiceng.Web.Features.Demo;
using Jiceng.Data;
using Jiceng.Domain.Members;
using Jiceng.Domain.OrganizationalLife;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Settings;
using Jiceng.Web.Infrastructure;

namespace Jiceng.Web.Features.OrganizationalLife;

/// <summary>The organizational life of one branch (with its party groups): activities with attendance, committee seats
/// and the members' absence streaks that follow from that attendance.</summary>
public sealed record DemoLifeUnit(List<Activity> Activities, List<CommitteeSeat> Seats, List<AbsenceStreak> Streaks);

/// <summary>
/// Fictional organizational life for the demo district and the benchmarks: every required activity of each period from
/// <c>from</c> to today, held on a random day of the period, with about 88% present, 8% excused and 4% absent. Deterministic
/// per branch (a generator seeded from the branch id), so the benchmark loader can stream the same rows twice.
/// </summary>
public static class DemoOrgLife
{
    private static readonly string[] Places = ["党群服务中心", "党员活动室", "社区会议室", "新时代文明实践站", "红色教育基地"];
    private static readonly string[] Reasons = ["外出就医", "出差", "照顾家人", "单位值班", "身体不适"];
    private static readonly Dictionary<ActivityKind, string[]> Topics = new()
    {
        [ActivityKind.BranchAssembly] = ["讨论发展党员和民主评议有关事项", "学习贯彻党的二十大精神", "研究季度工作安排"],
        [ActivityKind.CommitteeMeeting] = ["研究本月支部工作", "讨论入党积极分子培养", "研究为群众办实事项目"],
        [ActivityKind.GroupMeeting] = ["学习交流", "楼栋议事", "联系服务群众情况交流"],
        [ActivityKind.PartyLesson] = ["书记讲党课：坚持和加强党的全面领导", "党的基层组织建设", "党史学习教育专题党课"],
        [ActivityKind.ThemeDay] = ["主题党日+志愿服务", "主题党日+政策宣讲", "主题党日+环境整治"],
        [ActivityKind.CriticismMeeting] = ["年度组织生活会"],
        [ActivityKind.HeartToHeartTalk] = ["支委与党员谈心谈话"],
        [ActivityKind.MemberAppraisal] = ["年度民主评议党员"],
    };

    /// <summary>One unit per covered branch-like organization (its party groups included).</summary>
    /// <param name="skipAssemblyOf">A branch whose 支部党员大会 of the last closed quarter is left out, so the demo shows the alert.</param>
    public static IEnumerable<DemoLifeUnit> Generate(IReadOnlyList<Organization> orgs, IReadOnlyList<Member> members, DateOnly from, DateOnly today,
        Func<Organization, bool> covered, Guid? skipAssemblyOf = null)
    {
        var settings = new SettingsSnapshot(new Dictionary<string, int>());
        var byOrg = members.Where(m => PartyMembership.IsCurrent(m.Status)).GroupBy(m => m.OrganizationId).ToDictionary(g => g.Key, g => g.ToList());
        var groupsOf = orgs.Where(o => o.Kind == OrganizationKind.PartyGroup && o.ParentId is not null && o.Status == OrganizationStatus.Active)
            .GroupBy(o => o.ParentId!.Value).ToDictionary(g => g.Key, g => g.ToList());
        var lastClosedQuarter = LifePeriods.Of(today, 4).Start.AddDays(-1);
        foreach (var branch in orgs.Where(o => o.Kind.IsBranchLike() && o.Status == OrganizationStatus.Active && covered(o)))
        {
            var rnd = new Random(branch.Id.GetHashCode());
            var unitOrgs = new List<Organization> { branch };
            unitOrgs.AddRange(groupsOf.GetValueOrDefault(branch.Id) ?? []);
            var unitMembers = unitOrgs.SelectMany(o => byOrg.GetValueOrDefault(o.Id) ?? []).ToList();
            if (unitMembers.Count == 0) continue;
            var seats = Seats(branch, unitMembers, from, rnd);
            var committee = seats.Select(s => s.MemberId).ToHashSet();
            var secretary = unitMembers.FirstOrDefault(m => seats.Any(s => s.MemberId == m.Id && s.Position == CommitteePosition.Secretary))?.Name ?? "支部书记";
            var activities = new List<Activity>();
            foreach (var org in unitOrgs)
            {
                var attendees = org == branch ? unitMembers : byOrg.GetValueOrDefault(org.Id) ?? [];
                if (attendees.Count == 0) continue;
                foreach (var required in ActivitySchedule.RequiredFor(org.Kind, org.HasCommittee, settings))
                {
                    for (var year = from.Year; year <= today.Year; year++)
                    foreach (var p in LifePeriods.OfYear(year, required.TimesPerYear))
                    {
                        var start = p.Start < from ? from : p.Start;
                        var end = p.End > today ? today : p.End;
                        if (end < start) continue;
                        var date = required.Kind == ActivityKind.CriticismMeeting && end.Month == 12
                            ? end.AddDays(-rnd.Next(0, Math.Min(20, end.DayNumber - start.DayNumber + 1)))
                            : start.AddDays(rnd.Next(0, Math.Min(28, end.DayNumber - start.DayNumber + 1)));
                        // Periods still open are held only when their day has come; the demo branch leaves one out.
                        if (date > today) continue;
                        if (org.Id == skipAssemblyOf && required.Kind == ActivityKind.BranchAssembly && LifePeriods.Of(date, 4).End == lastClosedQuarter) continue;
                        var list = required.Kind == ActivityKind.CommitteeMeeting ? attendees.Where(m => committee.Contains(m.Id)).ToList() : attendees;
                        if (list.Count == 0) continue;
                        activities.Add(Make(org, required.Kind, date, list, secretary, rnd));
                    }
                }
            }
            activities.Sort((a, b) => a.Date != b.Date ? a.Date.CompareTo(b.Date) : a.CreatedAt.CompareTo(b.CreatedAt));
            yield return new DemoLifeUnit(activities, seats, Streaks(activities, unitMembers));
        }
    }

    private static List<CommitteeSeat> Seats(Organization branch, List<Member> members, DateOnly from, Random rnd)
    {
        var full = members.Where(m => m.State == MemberState.Full).ToList();
        var size = branch.HasCommittee ? Math.Min(full.Count, 3 + rnd.Next(0, 3)) : Math.Min(full.Count, 1);
        return full.Take(size).Select((m, i) => new CommitteeSeat
        {
            Id = DemoIds.Next(rnd), OrganizationId = branch.Id, MemberId = m.Id, From = from.AddYears(-1),
            Position = i == 0 ? CommitteePosition.Secretary : i == 1 && branch.HasCommittee ? CommitteePosition.DeputySecretary : CommitteePosition.Member,
            CreatedAt = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        }).ToList();
    }

    private static Activity Make(Organization org, ActivityKind kind, DateOnly date, List<Member> attendees, string secretary, Random rnd)
    {
        var topics = Topics[kind];
        var a = new Activity
        {
            Id = DemoIds.Next(rnd), OrganizationId = org.Id, Kind = kind, Date = date, Place = Places[rnd.Next(Places.Length)], Topic = topics[rnd.Next(topics.Length)],
            Host = secretary, Lecturer = kind == ActivityKind.PartyLesson ? (rnd.Next(2) == 0 ? secretary : "区委党校讲师") : null,
            TrainingHours = kind == ActivityKind.PartyLesson ? 4m : kind == ActivityKind.ThemeDay ? 1.5m : null,
            Minutes = "（演示数据）会议按议程进行，与会党员进行了讨论。", RecordedBy = "演示数据",
            CreatedAt = new DateTimeOffset(date.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero).AddMinutes((int)kind),
        };
        foreach (var m in attendees)
        {
            var roll = rnd.Next(100);
            var status = roll < 88 ? AttendanceStatus.Present : roll < 96 ? AttendanceStatus.Excused : AttendanceStatus.Absent;
            a.Attendance.Add(new ActivityAttendance
            {
                ActivityId = a.Id, MemberId = m.Id, OrganizationId = org.Id, Date = date, Status = status,
                Reason = status == AttendanceStatus.Excused ? Reasons[rnd.Next(Reasons.Length)] : null,
            });
        }
        a.PresentCount = a.Attendance.Count(x => x.Status == AttendanceStatus.Present);
        a.ExcusedCount = a.Attendance.Count(x => x.Status == AttendanceStatus.Excused);
        a.AbsentCount = a.Attendance.Count(x => x.Status == AttendanceStatus.Absent);
        if (kind == ActivityKind.CommitteeMeeting)
        {
            a.CommitteeSize = attendees.Count;
            a.CommitteePresent = a.PresentCount;
        }
        return a;
    }

    /// <summary>Each member's streak from the unit's activities in date order (as the service computes it newest first).</summary>
    private static List<AbsenceStreak> Streaks(List<Activity> chronological, List<Member> members)
    {
        var marks = new Dictionary<Guid, (int Count, DateOnly? Last)>();
        foreach (var a in chronological)
        foreach (var x in a.Attendance)
        {
            var (count, last) = marks.GetValueOrDefault(x.MemberId);
            marks[x.MemberId] = x.Status switch
            {
                AttendanceStatus.Present => (0, null),
                AttendanceStatus.Absent => (count + 1, a.Date),
                _ => (count, last),
            };
        }
        var orgOf = members.ToDictionary(m => m.Id, m => m.OrganizationId);
        return marks.Select(kv => new AbsenceStreak { MemberId = kv.Key, OrganizationId = orgOf[kv.Key], Count = kv.Value.Count, LastDate = kv.Value.Last }).ToList();
    }

    /// <summary>The demo district's share: demo-community's branches and, elsewhere, every 30th branch at member scale 1 (fewer
    /// at smaller scales: tests seed at 0.1), from the start of the quarter a year ago. Written in batches by the seeding
    /// transaction (bulk load: one audit record for all).</summary>
    public static async Task SeedAsync(JicengDbContext db, IReadOnlyList<Organization> orgs, IReadOnlyList<Member> members, DateTimeOffset now,
        double memberScale, Guid communityId, Guid skipAssemblyOf, CancellationToken ct)
    {
        var every = Math.Max(30, (int)Math.Round(30 / Math.Max(memberScale, 0.01)));
        var today = ChinaDate.Of(now);
        var from = LifePeriods.Of(today.AddYears(-1), 4).Start;
        var community = orgs.First(o => o.Id == communityId).Path;
        var index = 0;
        foreach (var unit in Generate(orgs, members, from, today, o => o.Path.StartsWith(community, StringComparison.Ordinal) || index++ % every == 0, skipAssemblyOf))
        {
            db.Activities.AddRange(unit.Activities);
            db.CommitteeSeats.AddRange(unit.Seats);
            db.AbsenceStreaks.AddRange(unit.Streaks);
            if (db.ChangeTracker.Entries().Count() > 5000)
            {
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }
}
