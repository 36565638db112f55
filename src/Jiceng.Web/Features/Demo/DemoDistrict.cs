using Bogus;
using Jiceng.Data;
using Jiceng.Data.Identity;
using Jiceng.Data.Protection;
using Jiceng.Domain.Identity;
using Jiceng.Domain.Organizations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Demo;

public sealed record DemoAccount(string UserName, string DisplayName, string Role, Guid OrganizationId, string OrganizationName);

/// <summary>
/// A fictional district at the seeds' scale (1 区委, 5 街道, ~68 社区, ~300 网格党支部, ~200 楼栋党小组,
/// 两新 and 物业 organizations). Deterministic for a seed; place names are invented from syllables and
/// person names come from Bogus zh_CN. The same generator feeds the benchmarks through <paramref name="scale"/>.
/// </summary>
public sealed class DemoDistrictGenerator(int seed = 2026, double scale = 1.0)
{
    public const string DemoPassword = "Jiceng@2026";
    private static readonly string[] First = ["云", "松", "枫", "柳", "桂", "槐", "兰", "荷", "梅", "竹", "杏", "桐", "榆", "棠", "芷", "蓉", "蔚", "澄", "泓", "朗"];
    private static readonly string[] Second = ["溪", "湖", "岭", "园", "苑", "湾", "桥", "坊", "里", "庭", "川", "屿", "塘", "泉", "原", "林", "港", "坪", "汀", "畔"];
    private static readonly string[] Trades = ["科技", "物流", "餐饮", "商贸", "文化", "医药", "建筑", "信息", "环保", "教育"];

    public sealed record Result(List<Organization> Organizations, List<DemoAccount> Accounts);

    public Result Generate(DateTimeOffset now)
    {
        var faker = new Faker("zh_CN") { Random = new Randomizer(seed) };
        var rnd = faker.Random;
        var orgs = new List<Organization>();
        var usedNames = new HashSet<string>();
        string Place(string suffix)
        {
            for (var attempt = 0; ; attempt++)
            {
                var name = rnd.ArrayElement(First) + rnd.ArrayElement(Second) + (attempt > 20 ? rnd.ArrayElement(Second) : "") + suffix;
                if (usedNames.Add(name)) return name;
            }
        }
        var seq = 0L;
        Guid NextId() => Guid.CreateVersion7(now.AddTicks(seq++));
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        Organization Add(string name, OrganizationKind kind, Organization? parent, int sort)
        {
            var id = NextId();
            var path = parent is null ? OrgPath.Root(id) : OrgPath.Child(parent.Path, id);
            var years = TermPolicy.YearsFor(kind);
            // Terms started up to a full term ago, so a few end soon or have ended (those raise alerts).
            DateOnly? termStart = years is { } y ? today.AddDays(-rnd.Int(30, y * 365 + 20)) : null;
            var org = new Organization
            {
                Id = id, Name = name, Kind = kind, ParentId = parent?.Id, Path = path, Depth = OrgPath.DepthOf(path),
                EstablishedOn = today.AddYears(-rnd.Int(3, 30)).AddDays(-rnd.Int(0, 364)), TermStart = termStart,
                HasCommittee = kind != OrganizationKind.PartyGroup && rnd.Bool(0.6f), SortOrder = sort, CreatedAt = now, UpdatedAt = now,
            };
            orgs.Add(org);
            return org;
        }

        int Scaled(int n) => Math.Max(1, (int)Math.Round(n * scale));
        var district = Add("云湖区委", OrganizationKind.DistrictCommittee, null, 0);
        Add("云湖区机关工委", OrganizationKind.AgencyOrganization, district, 900);
        var streets = Enumerable.Range(0, Math.Max(5, Scaled(5))).Select(i => Add(Place("街道党工委"), OrganizationKind.StreetWorkingCommittee, district, i)).ToList();
        var communityCount = Scaled(68);
        var communities = new List<Organization>();
        for (var i = 0; i < communityCount; i++)
        {
            var street = streets[i % streets.Count];
            var kind = rnd.Bool(0.8f) ? OrganizationKind.CommunityCommittee : OrganizationKind.GeneralBranch;
            var suffix = kind == OrganizationKind.CommunityCommittee ? "社区党委" : "社区党总支";
            communities.Add(Add(Place(suffix), kind, street, i));
        }
        var gridTarget = Scaled(300);
        var groupTarget = Scaled(200);
        var grids = new List<Organization>();
        for (var i = 0; i < gridTarget; i++)
        {
            var community = communities[i % communities.Count];
            grids.Add(Add($"{community.Name.Replace("社区党委", "").Replace("社区党总支", "")}第{i / communities.Count + 1}网格党支部", OrganizationKind.GridBranch, community, i));
        }
        for (var i = 0; i < groupTarget; i++)
        {
            var grid = grids[(i * 7) % grids.Count];
            Add($"{i / grids.Count + 1 + (i * 7) / grids.Count}号楼党小组", OrganizationKind.PartyGroup, grid, i);
        }
        for (var i = 0; i < Scaled(12); i++)
            Add($"{Place("")}{rnd.ArrayElement(Trades)}有限公司党支部", OrganizationKind.NewEconomicAndSocial, streets[i % streets.Count], 100 + i);
        for (var i = 0; i < Scaled(10); i++)
            Add($"{Place("")}物业服务中心党支部", OrganizationKind.PropertyOrganization, communities[(i * 5) % communities.Count], 100 + i);
        for (var i = 0; i < Scaled(3); i++)
            Add($"{Place("")}联合党支部", OrganizationKind.JointBranch, streets[i % streets.Count], 200 + i);

        var street0 = streets[0];
        var community0 = communities[0];
        var grid0 = grids.First(g => g.ParentId == community0.Id);
        var accounts = new List<DemoAccount>
        {
            new("demo-sysadmin", "系统管理员（演示）", Roles.SystemAdmin, district.Id, district.Name),
            new("demo-secadmin", "安全管理员（演示）", Roles.SecurityAdmin, district.Id, district.Name),
            new("demo-auditor", "审计管理员（演示）", Roles.Auditor, district.Id, district.Name),
            new("demo-district", faker.Name.LastName() + faker.Name.FirstName(), Roles.OrgDepartmentAdmin, district.Id, district.Name),
            new("demo-street", faker.Name.LastName() + faker.Name.FirstName(), Roles.StreetAdmin, street0.Id, street0.Name),
            new("demo-community", faker.Name.LastName() + faker.Name.FirstName(), Roles.CommunityWorker, community0.Id, community0.Name),
            new("demo-grid", faker.Name.LastName() + faker.Name.FirstName(), Roles.GridWorker, grid0.Id, grid0.Name),
            new("demo-dept", faker.Name.LastName() + faker.Name.FirstName(), Roles.DepartmentHandler, street0.Id, street0.Name),
            new("demo-member", faker.Name.LastName() + faker.Name.FirstName(), Roles.Member, grid0.Id, grid0.Name),
        };
        return new Result(orgs, accounts);
    }

    /// <summary>Writes the district in batches if the database has no organization yet. Returns the accounts, or null when it did nothing.</summary>
    public static async Task<List<DemoAccount>?> SeedIfEmptyAsync(JicengDbContext db, UserManager<AppUser> users, FieldProtector protector, TimeProvider clock, double scale, CancellationToken ct)
    {
        if (await db.Organizations.IgnoreQueryFilters().AnyAsync(ct)) return null;
        var now = clock.GetUtcNow();
        var result = new DemoDistrictGenerator(scale: scale).Generate(now);
        db.BulkLoad = true;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var batch in result.Organizations.Chunk(1000))
        {
            db.Organizations.AddRange(batch);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        var phoneRandom = new Random(7);
        foreach (var a in result.Accounts)
        {
            var user = new AppUser { Id = Guid.CreateVersion7(now).ToString(), UserName = a.UserName, DisplayName = a.DisplayName, CreatedAt = now };
            user.NormalizedUserName = users.NormalizeName(a.UserName);
            user.SecurityStamp = Guid.NewGuid().ToString("N");
            user.PasswordHash = users.PasswordHasher.HashPassword(user, DemoPassword);
            user.LockoutEnabled = true;
            var phone = $"199{phoneRandom.Next(0, 99999999):D8}";
            var p = protector.Protect(phone, ProtectedKind.Phone);
            (user.PhoneCipher, user.PhoneHash, user.PhoneMasked) = (p.Cipher, p.Hash, p.Masked);
            db.Users.Add(user);
            db.RoleAssignments.Add(new RoleAssignment { Id = Guid.CreateVersion7(now), UserId = user.Id, Role = a.Role, OrganizationId = a.OrganizationId });
        }
        db.Audit("demo.seed", "District", result.Organizations[0].Id.ToString(), result.Organizations[0].Id,
            details: new { organizations = result.Organizations.Count, accounts = result.Accounts.Count });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.BulkLoad = false;
        return result.Accounts;
    }
}
