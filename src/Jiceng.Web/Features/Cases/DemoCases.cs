using Bogus;
using Jiceng.Data;
using Jiceng.Data.Configurations;
using Jiceng.Data.Protection;
using Jiceng.Domain.Cases;
using Jiceng.Domain.Grids;
using Jiceng.Domain.Identity;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Demo;
using Jiceng.Web.Infrastructure;

namespace Jiceng.Web.Features.Cases;

/// <summary>Demo grids (one per grid branch), their workers and household leads, a few households, visits and cases per
/// grid, and the departments of each street. Sizes follow the member scale, so a test fixture stays cheap.</summary>
public static class DemoCases
{
    public static readonly string[] DepartmentNames = ["城管执法中队", "市场监管所", "住房和城乡建设服务中心", "派出所", "环境卫生管理所"];
    private static readonly string[] Heard = ["反映楼道灯不亮", "家中老人身体尚可，需定期上门", "希望增加小区停车位", "邻里因噪音有矛盾", "询问养老补贴申领", "反映垃圾清运不及时", "一切正常"];
    private static readonly string[] Problems = ["小区门口有流动摊贩占道经营，影响通行", "楼下工地夜间施工噪音大", "路面坑洼积水，老人出行不便", "垃圾桶满溢无人清运",
        "上下学时段门口交通拥堵", "物业服务费纠纷，物业拒绝维修电梯", "邻居装修损坏共用管道引发纠纷", "健身器材损坏"];

    public static void Seed(JicengDbContext db, DemoDistrictGenerator.Result district, FieldProtector protector, DateTimeOffset now, double scale)
    {
        var rnd = new Randomizer(2031);
        var faker = new Faker("zh_CN") { Random = rnd };
        var orgs = district.Organizations;
        var byId = orgs.ToDictionary(o => o.Id);
        var users = db.Users.Local.ToDictionary(u => u.UserName!, u => u.Id);
        var demoGridOrg = district.Accounts.Single(a => a.UserName == "demo-grid").OrganizationId;
        var streetOrg = district.Accounts.Single(a => a.UserName == "demo-dept").OrganizationId;

        // Departments of each street; demo-dept works in the first street's 城管执法中队.
        var departments = new Dictionary<Guid, List<Department>>();
        foreach (var street in orgs.Where(o => o.Kind == OrganizationKind.StreetWorkingCommittee))
        {
            var list = DepartmentNames.Select(n => new Department { Id = Guid.CreateVersion7(now), OrganizationId = street.Id, Name = n }).ToList();
            departments[street.Id] = list;
            db.Departments.AddRange(list);
        }
        db.DepartmentHandlers.Add(new DepartmentHandler { Id = Guid.CreateVersion7(now), DepartmentId = departments[streetOrg][0].Id, UserId = users["demo-dept"] });

        var branches = orgs.Where(o => o.Kind == OrganizationKind.GridBranch).ToList();
        var householdsPerGrid = Math.Max(1, (int)Math.Round(6 * scale));
        var casesPerGrid = Math.Max(1, (int)Math.Round(3 * scale));
        var categories = CaseCategoryConfiguration.Initial;
        var today = DateOnly.FromDateTime(now.ToChina().DateTime);
        foreach (var branch in branches)
        {
            var community = byId[branch.ParentId!.Value];
            var grid = new Grid
            {
                Id = Guid.CreateVersion7(now), OrganizationId = branch.Id, CommunityId = community.Id, Name = branch.Name.Replace("党支部", ""),
                Boundary = $"{faker.Address.StreetName()}以东、{faker.Address.StreetName()}以北", CreatedAt = now,
            };
            db.Grids.Add(grid);
            var worker = new GridStaff
            {
                Id = Guid.CreateVersion7(now), GridId = grid.Id, OrganizationId = branch.Id, Name = faker.Name.LastName() + faker.Name.FirstName(),
                Kind = rnd.Bool(0.7f) ? GridStaffKind.FullTime : GridStaffKind.PartTime, UserId = branch.Id == demoGridOrg ? users["demo-grid"] : null,
            };
            var lead = new GridStaff { Id = Guid.CreateVersion7(now), GridId = grid.Id, OrganizationId = branch.Id, Name = faker.Name.LastName() + faker.Name.FirstName(), Kind = GridStaffKind.HouseholdLead };
            var phone = protector.Protect($"139{rnd.Int(0, 99999999):D8}", ProtectedKind.Phone);
            (worker.PhoneCipher, worker.PhoneHash, worker.PhoneMasked) = (phone.Cipher, phone.Hash, phone.Masked);
            db.GridStaff.AddRange(worker, lead);
            var building = new Building { Id = Guid.CreateVersion7(now), GridId = grid.Id, OrganizationId = branch.Id, Name = $"{rnd.Int(1, 12)}号楼" };
            db.Buildings.Add(building);
            var households = new List<Household>();
            for (var i = 0; i < householdsPerGrid; i++)
            {
                var h = new Household
                {
                    Id = Guid.CreateVersion7(now), GridId = grid.Id, OrganizationId = branch.Id, BuildingId = building.Id,
                    Address = $"{building.Name}{rnd.Int(1, 4)}单元{rnd.Int(1, 18)}{rnd.Int(1, 4):D2}室-{i + 1}",
                    Tags = rnd.Double() switch { < 0.1 => "独居老人", < 0.15 => "困难家庭", < 0.18 => "残疾", < 0.2 => "优抚对象", _ => "" },
                    // A few households have nobody responsible yet, so the alert has something to say.
                    ResponsibleWorkerId = rnd.Bool(0.95f) ? worker.Id : null, HouseholdLeadId = lead.Id, CreatedAt = now, UpdatedAt = now,
                };
                households.Add(h);
                var mp = protector.Protect($"138{rnd.Int(0, 99999999):D8}", ProtectedKind.Phone);
                db.HouseholdMembers.Add(new HouseholdMember { Id = Guid.CreateVersion7(now), HouseholdId = h.Id, OrganizationId = branch.Id,
                    Name = faker.Name.LastName() + faker.Name.FirstName(), Relation = "户主", PhoneCipher = mp.Cipher, PhoneHash = mp.Hash, PhoneMasked = mp.Masked });
                if (rnd.Bool(0.7f))
                    db.Visits.Add(new Visit { Id = Guid.CreateVersion7(now), HouseholdId = h.Id, OrganizationId = branch.Id, WorkerId = worker.Id, WorkerName = worker.Name,
                        VisitedOn = today.AddDays(-rnd.Int(0, 150)), Heard = rnd.ArrayElement(Heard), CreatedAt = now });
            }
            db.Households.AddRange(households);

            var streetId = community.ParentId!.Value;
            for (var i = 0; i < casesPerGrid; i++)
            {
                var cat = rnd.ArrayElement(categories);
                var status = rnd.WeightedRandom(new[] { CaseStatus.Received, CaseStatus.Accepted, CaseStatus.Handling, CaseStatus.Closed, CaseStatus.Resolved, CaseStatus.Reopened },
                    new[] { 0.1f, 0.1f, 0.15f, 0.25f, 0.35f, 0.05f });
                var received = status == CaseStatus.Received ? now.AddHours(-rnd.Int(1, 20)) : now.AddDays(-rnd.Int(2, 90)).AddMinutes(-rnd.Int(0, 1440));
                var (responseDue, resolutionDue) = CaseDeadlines.For(received, cat.ResponseHours, cat.ResolutionDays);
                var c = new Case
                {
                    Id = Guid.CreateVersion7(now), Number = CaseService.NewNumber(received), OrganizationId = branch.Id, HandlingOrganizationId = branch.Id, StreetId = streetId,
                    GridId = grid.Id, HouseholdId = rnd.Bool(0.5f) ? rnd.ArrayElement(households.ToArray()).Id : null, CategoryId = cat.Id,
                    Source = rnd.ArrayElement(new[] { CaseSource.QrCode, CaseSource.Hotline, CaseSource.Visit, CaseSource.Patrol }), Status = status,
                    Description = rnd.ArrayElement(Problems), Place = building.Name, ReceivedAt = received, ResponseDue = responseDue, ResolutionDue = resolutionDue,
                    Version = 1, UpdatedAt = now,
                };
                var events = new List<CaseEvent> { Ev(c, CaseAction.Submit, CaseStatus.Received, CaseActor.Staff, received, c.Source.ToChinese()) };
                if (status != CaseStatus.Received)
                {
                    c.RespondedAt = received.AddHours(rnd.Double() < 0.9 ? rnd.Int(1, Math.Max(1, cat.ResponseHours - 1)) : cat.ResponseHours + 5);
                    events.Add(Ev(c, CaseAction.Accept, CaseStatus.Accepted, CaseActor.Staff, c.RespondedAt.Value, null));
                }
                if (status is CaseStatus.Closed or CaseStatus.Resolved or CaseStatus.Reopened)
                {
                    var closed = c.RespondedAt!.Value.AddHours(rnd.Int(4, cat.ResolutionDays * 24));
                    if (closed > now) closed = now.AddMinutes(-5);
                    c.ClosedAt = closed;
                    c.CloseMinutes = CaseRates.CloseMinutes(received, closed);
                    c.Result = "已协调处理完毕";
                    events.Add(Ev(c, CaseAction.Close, CaseStatus.Closed, CaseActor.Staff, closed, c.Result));
                    if (status == CaseStatus.Resolved)
                    {
                        c.ResolvedAt = closed.AddMinutes(rnd.Int(30, 3000)) is var r && r < now ? r : now;
                        c.Rating = rnd.WeightedRandom(new[] { 5, 4, 3, 2 }, new[] { 0.6f, 0.25f, 0.1f, 0.05f });
                        events.Add(Ev(c, CaseAction.Confirm, CaseStatus.Resolved, CaseActor.Resident, c.ResolvedAt.Value, null));
                    }
                    if (status == CaseStatus.Reopened)
                    {
                        c.ReopenCount = 1;
                        events.Add(Ev(c, CaseAction.Reopen, CaseStatus.Reopened, CaseActor.Resident, now.AddMinutes(-1), "问题仍未解决"));
                    }
                }
                c.Version = events.Count;
                db.Cases.Add(c);
                db.CaseEvents.AddRange(events);
            }
        }
    }

    private static CaseEvent Ev(Case c, CaseAction a, CaseStatus after, CaseActor actor, DateTimeOffset at, string? text) => new()
    {
        Id = Guid.CreateVersion7(at), CaseId = c.Id, Action = a, StatusAfter = after, Actor = actor, ActorName = actor == CaseActor.Resident ? "居民" : "网格员", Text = text, At = at,
    };
}
