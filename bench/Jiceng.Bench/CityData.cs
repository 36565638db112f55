using Jiceng.Web.Features.Demo;
using System.Security.Cryptography;
using Jiceng.Data.Configurations;
using Jiceng.Data.Protection;
using Jiceng.Domain.Cases;
using Jiceng.Domain.Grids;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Cases;
using Jiceng.Web.Infrastructure;

namespace Jiceng.Bench;

/// <summary>
/// Grids, households and two years of cases at a scale, for the benchmark loader (the demo district's own
/// <see cref="DemoCases"/> is a few rows per grid). Sizes from issue 7: the district (scale 1) has 150,000 households
/// and 200,000 cases, the city (scale 33.4) 3,000,000 households and 5,000,000 cases; other scales interpolate.
/// Every grid branch gets its grid (one per branch, as the app enforces), a full-time or part-time worker, one
/// 联户长 per ten households and its buildings. Cases follow the state machine of <see cref="CaseStateMachine"/>:
/// each has the history rows of the transitions that led to its status, deadlines from its category, and the
/// counted fields (responded, closed, close minutes, rating) the transitions set. Reporter phones are encrypted
/// with the app's <see cref="FieldProtector"/>; QR-code cases carry a tracking hash as a resident submission does.
/// </summary>
public sealed class CityData(double scale, DateTimeOffset now, FieldProtector protector)
{
    public static (int Households, int Cases) Targets(double scale) => scale <= 1
        ? ((int)Math.Round(150_000 * scale), (int)Math.Round(200_000 * scale))
        : ((int)Math.Round(150_000 + (scale - 1) * (3_000_000 - 150_000) / 32.4), (int)Math.Round(200_000 + (scale - 1) * (5_000_000 - 200_000) / 32.4));

    private static readonly string[] Problems = ["小区门口有流动摊贩占道经营，影响通行", "楼下工地夜间施工噪音大", "路面坑洼积水，老人出行不便", "垃圾桶满溢无人清运",
        "上下学时段门口交通拥堵", "物业服务费纠纷，物业拒绝维修电梯", "邻居装修损坏共用管道引发纠纷", "健身器材损坏", "楼道堆放杂物存在消防隐患", "路灯损坏，夜间出行不安全"];
    private static readonly string[] Tags = ["独居老人", "困难家庭", "残疾", "优抚对象"];
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"];
    private static readonly string[] Given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "桂英", "建华"];

    public sealed class GridSet
    {
        public List<Grid> Grids { get; } = [];
        public List<GridStaff> Staff { get; } = [];
        public List<Building> Buildings { get; } = [];
        public List<Household> Households { get; } = [];
        public List<Department> Departments { get; } = [];
        /// <summary>Per grid: its street (for the departments a case is whistled to) and the range of its households.</summary>
        public List<(Grid Grid, Guid StreetId, int FirstHousehold, int HouseholdCount)> Index { get; } = [];
    }

    private static string Name(Random rnd) => Surnames[rnd.Next(Surnames.Length)] + Given[rnd.Next(Given.Length)];

    /// <summary>One grid per grid branch, and the departments (five per street) that cases are whistled to.</summary>
    public GridSet Grids(IReadOnlyList<Organization> orgs)
    {
        var rnd = new Random(2032);
        var set = new GridSet();
        var byId = orgs.ToDictionary(o => o.Id);
        foreach (var street in orgs.Where(o => o.Kind == OrganizationKind.StreetWorkingCommittee))
            set.Departments.AddRange(DemoCases.DepartmentNames.Select(n => new Department { Id = DemoIds.Next(rnd), OrganizationId = street.Id, Name = n }));
        var branches = orgs.Where(o => o.Kind == OrganizationKind.GridBranch && o.Status == OrganizationStatus.Active).ToList();
        var (households, _) = Targets(scale);
        var perGrid = (double)households / branches.Count;
        var made = 0;
        for (var g = 0; g < branches.Count; g++)
        {
            var branch = branches[g];
            // Grid sizes vary (0.5× to 1.5× the mean), the total stays on target.
            var count = g == branches.Count - 1 ? households - made : Math.Max(10, (int)Math.Round(perGrid * (0.5 + rnd.NextDouble())));
            count = Math.Max(0, Math.Min(count, households - made));
            var community = byId[branch.ParentId!.Value];
            var grid = new Grid
            {
                Id = DemoIds.Next(rnd), OrganizationId = branch.Id, CommunityId = community.Id, Name = branch.Name.Replace("党支部", ""),
                Boundary = "东至" + Name(rnd) + "路，西至" + Name(rnd) + "街", CreatedAt = now.AddYears(-3),
            };
            set.Grids.Add(grid);
            var worker = new GridStaff { Id = DemoIds.Next(rnd), GridId = grid.Id, OrganizationId = branch.Id, Name = Name(rnd), Kind = rnd.Next(10) < 7 ? GridStaffKind.FullTime : GridStaffKind.PartTime };
            var phone = protector.Protect($"139{rnd.Next(0, 99999999):D8}", ProtectedKind.Phone);
            (worker.PhoneCipher, worker.PhoneHash, worker.PhoneMasked) = (phone.Cipher, phone.Hash, phone.Masked);
            var leads = Enumerable.Range(0, Math.Max(1, count / 10)).Select(_ => new GridStaff
                { Id = DemoIds.Next(rnd), GridId = grid.Id, OrganizationId = branch.Id, Name = Name(rnd), Kind = GridStaffKind.HouseholdLead }).ToList();
            var buildings = Enumerable.Range(1, Math.Max(1, count / 60)).Select(i => new Building { Id = DemoIds.Next(rnd), GridId = grid.Id, OrganizationId = branch.Id, Name = $"{i}号楼" }).ToList();
            set.Staff.Add(worker);
            set.Staff.AddRange(leads);
            set.Buildings.AddRange(buildings);
            set.Index.Add((grid, community.ParentId!.Value, set.Households.Count, count));
            for (var i = 0; i < count; i++)
            {
                var building = buildings[i % buildings.Count];
                var roll = rnd.Next(100);
                set.Households.Add(new Household
                {
                    Id = DemoIds.Next(rnd), GridId = grid.Id, OrganizationId = branch.Id, BuildingId = building.Id,
                    Address = $"{building.Name}{i / buildings.Count % 4 + 1}单元{i / buildings.Count / 4 % 18 + 1}{i / buildings.Count / 72 % 4 + 1:D2}室",
                    Tags = roll < 10 ? Tags[roll % Tags.Length] : "",
                    ResponsibleWorkerId = rnd.Next(100) < 95 ? worker.Id : null, HouseholdLeadId = leads[i / 10 % leads.Count].Id,
                    CreatedAt = now.AddYears(-3).AddDays(rnd.Next(0, 700)), UpdatedAt = now.AddDays(-rnd.Next(0, 300)),
                });
            }
            made += count;
        }
        return set;
    }

    public sealed record CaseRows(Case Case, List<CaseEvent> Events, CaseDispatch? Dispatch);

    /// <summary>Two years of cases, oldest first, spread over the grids; streamed (5,000,000 at city scale).</summary>
    public IEnumerable<CaseRows> Cases(GridSet grids)
    {
        var rnd = new Random(2033);
        var (_, total) = Targets(scale);
        var categories = CaseCategoryConfiguration.Initial;
        var departments = grids.Departments.GroupBy(d => d.OrganizationId).ToDictionary(g => g.Key, g => g.ToArray());
        var index = grids.Index;
        var span = TimeSpan.FromDays(730).TotalMinutes;
        for (var n = 0; n < total; n++)
        {
            // Oldest first; a little more in recent months (sqrt: the volume grows as more residents know the QR code).
            var ageMinutes = span * (1 - Math.Sqrt((n + rnd.NextDouble()) / total));
            var received = now.AddMinutes(-Math.Max(5, ageMinutes));
            var ageDays = (now - received).TotalDays;
            var (grid, streetId, first, count) = index[rnd.Next(index.Count)];
            var cat = categories[rnd.Next(categories.Length)];
            var (responseDue, resolutionDue) = CaseDeadlines.For(received, cat.ResponseHours, cat.ResolutionDays);
            var source = rnd.Next(100) switch { < 40 => CaseSource.QrCode, < 65 => CaseSource.Hotline, < 85 => CaseSource.Visit, _ => CaseSource.Patrol };
            var status = Status(rnd, ageDays);
            var c = new Case
            {
                Id = Guid.CreateVersion7(received), Number = CaseService.NewNumber(received), OrganizationId = grid.OrganizationId, HandlingOrganizationId = grid.OrganizationId,
                StreetId = streetId, GridId = grid.Id, HouseholdId = count > 0 && rnd.Next(2) == 0 ? grids.Households[first + rnd.Next(count)].Id : null, CategoryId = cat.Id,
                Source = source, Status = status, Description = Problems[rnd.Next(Problems.Length)], Place = $"{rnd.Next(1, 12)}号楼附近",
                ReceivedAt = received, ResponseDue = responseDue, ResolutionDue = resolutionDue, Version = 1, UpdatedAt = received,
            };
            if (source is CaseSource.QrCode or CaseSource.Hotline && rnd.Next(100) < 70)
            {
                var p = protector.Protect($"1{rnd.Next(3, 10)}{rnd.Next(0, 999999999):D9}", ProtectedKind.Phone);
                (c.PhoneCipher, c.PhoneHash, c.PhoneMasked) = (p.Cipher, p.Hash, p.Masked);
                if (rnd.Next(3) == 0) c.ReporterName = Name(rnd);
            }
            if (source == CaseSource.QrCode)
                c.TrackingHash = PublicCaseService.Hash(TrackingCode.Encode(RandomNumberGenerator.GetBytes(TrackingCode.Bytes)));
            var actorName = source == CaseSource.QrCode ? "居民" : "网格员";
            var events = new List<CaseEvent> { Ev(c, CaseAction.Submit, CaseStatus.Received, source == CaseSource.QrCode ? CaseActor.Resident : CaseActor.Staff, actorName, received, source.ToChinese()) };
            CaseDispatch? dispatch = null;
            var at = received;
            DateTimeOffset Later(double maxHours)
            {
                var t = at.AddMinutes(5 + rnd.NextDouble() * maxHours * 60);
                return at = t < now ? t : now.AddMinutes(-1);
            }
            if (status == CaseStatus.Rejected)
                events.Add(Ev(c, CaseAction.Reject, CaseStatus.Rejected, CaseActor.Staff, "网格员", Later(4), "不属于受理范围，已告知居民向物业反映"));
            else if (status != CaseStatus.Received)
            {
                // About 9 in 10 are answered within the category's response time.
                c.RespondedAt = Later(rnd.Next(10) < 9 ? Math.Max(0.2, cat.ResponseHours - 0.2) : cat.ResponseHours + 6);
                c.EscalatedForResponse = c.RespondedAt > c.ResponseDue;
                events.Add(Ev(c, CaseAction.Accept, CaseStatus.Accepted, CaseActor.Staff, "网格员", at, null));
                var handled = status != CaseStatus.Accepted;
                if (handled) events.Add(Ev(c, CaseAction.Handle, CaseStatus.Handling, CaseActor.Staff, "网格员", Later(12), null));
                // 街道吹哨: about 8% of the handled cases go to one of the street's departments.
                if (handled && (status == CaseStatus.Whistled || (status != CaseStatus.Handling && rnd.Next(100) < 8)) && departments.TryGetValue(streetId, out var depts))
                {
                    var dept = depts[rnd.Next(depts.Length)];
                    var whistled = Later(24);
                    dispatch = new CaseDispatch
                    {
                        Id = Guid.CreateVersion7(whistled), CaseId = c.Id, DepartmentId = dept.Id, Status = DispatchStatus.Whistled,
                        WhistledAt = whistled, AcceptDue = whistled.AddHours(24), ReportDue = whistled.AddDays(cat.ResolutionDays),
                    };
                    events.Add(Ev(c, CaseAction.Whistle, CaseStatus.Whistled, CaseActor.Street, "街道", whistled, null, dept.Id));
                    if (status != CaseStatus.Whistled || rnd.Next(2) == 0)
                    {
                        dispatch.AcceptedAt = Later(20);
                        dispatch.Status = DispatchStatus.Accepted;
                        events.Add(Ev(c, CaseAction.DepartmentAccept, CaseStatus.Whistled, CaseActor.Department, dept.Name, at, null, dept.Id));
                    }
                    if (status != CaseStatus.Whistled)
                    {
                        dispatch.ReportedAt = Later(cat.ResolutionDays * 12);
                        dispatch.Status = DispatchStatus.Reported;
                        dispatch.Report = "已到场处置完毕";
                        events.Add(Ev(c, CaseAction.DepartmentReport, CaseStatus.Whistled, CaseActor.Department, dept.Name, at, dispatch.Report, dept.Id));
                    }
                }
                if (status is CaseStatus.Closed or CaseStatus.Resolved or CaseStatus.Reopened)
                {
                    // About 85% are closed within the category's resolution time.
                    var closed = Later(rnd.Next(100) < 85 ? cat.ResolutionDays * 20 : cat.ResolutionDays * 24 + 72);
                    c.ClosedAt = closed;
                    c.EscalatedForResolution = closed > c.ResolutionDue;
                    c.CloseMinutes = CaseRates.CloseMinutes(received, closed);
                    c.Result = "已协调处理完毕";
                    events.Add(Ev(c, CaseAction.Close, CaseStatus.Closed, CaseActor.Staff, "网格员", closed, c.Result));
                    // Some were reopened once and closed again; one in two currently reopened is still open.
                    var reopenedBefore = status == CaseStatus.Resolved && rnd.Next(100) < 3;
                    if (reopenedBefore || status == CaseStatus.Reopened)
                    {
                        c.ReopenCount = 1;
                        events.Add(Ev(c, CaseAction.Reopen, CaseStatus.Reopened, CaseActor.Resident, "居民", Later(48), "问题仍未解决"));
                    }
                    if (reopenedBefore)
                    {
                        c.ClosedAt = Later(cat.ResolutionDays * 12);
                        c.CloseMinutes = CaseRates.CloseMinutes(received, c.ClosedAt.Value);
                        events.Add(Ev(c, CaseAction.Close, CaseStatus.Closed, CaseActor.Staff, "网格员", at, c.Result));
                    }
                    if (status == CaseStatus.Resolved)
                    {
                        c.ResolvedAt = Later(72);
                        events.Add(Ev(c, CaseAction.Confirm, CaseStatus.Resolved, CaseActor.Resident, "居民", at, null));
                        if (rnd.Next(100) < 80)
                        {
                            c.Rating = rnd.Next(100) switch { < 60 => 5, < 85 => 4, < 95 => 3, _ => 2 };
                            events.Add(Ev(c, CaseAction.Rate, CaseStatus.Resolved, CaseActor.Resident, "居民", Later(2), null));
                        }
                    }
                }
            }
            c.Version = events.Count;
            c.UpdatedAt = at;
            yield return new CaseRows(c, events, dispatch);
        }
    }

    /// <summary>The state mix by age: old cases are finished (most resolved, part closed without confirmation, a few
    /// rejected or still reopened); the last month holds the open ones.</summary>
    private static CaseStatus Status(Random rnd, double ageDays)
    {
        var r = rnd.Next(1000);
        if (ageDays < 1) return r < 500 ? CaseStatus.Received : r < 800 ? CaseStatus.Accepted : CaseStatus.Handling;
        if (ageDays < 15)
            return r switch
            {
                < 100 => CaseStatus.Accepted, < 300 => CaseStatus.Handling, < 380 => CaseStatus.Whistled, < 680 => CaseStatus.Closed,
                < 930 => CaseStatus.Resolved, < 970 => CaseStatus.Reopened, _ => CaseStatus.Rejected,
            };
        if (ageDays < 30)
            return r switch { < 50 => CaseStatus.Handling, < 80 => CaseStatus.Whistled, < 380 => CaseStatus.Closed, < 930 => CaseStatus.Resolved, < 960 => CaseStatus.Reopened, _ => CaseStatus.Rejected };
        return r switch { < 250 => CaseStatus.Closed, < 965 => CaseStatus.Resolved, < 970 => CaseStatus.Reopened, _ => CaseStatus.Rejected };
    }

    private static CaseEvent Ev(Case c, CaseAction a, CaseStatus after, CaseActor actor, string actorName, DateTimeOffset at, string? text, Guid? departmentId = null) => new()
    {
        Id = Guid.CreateVersion7(at), CaseId = c.Id, Action = a, StatusAfter = after, Actor = actor, ActorName = actorName, Text = text, At = at,
        DepartmentId = departmentId, OrganizationId = actor == CaseActor.Street ? null : c.OrganizationId,
    };
}
