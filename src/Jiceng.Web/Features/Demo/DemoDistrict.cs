using Bogus;
using Jiceng.Data;
using Jiceng.Data.Identity;
using Jiceng.Data.Protection;
using Jiceng.Domain.Identity;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Domain.Security;
using Jiceng.Web.Features.Members;
using Jiceng.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Demo;

public sealed record DemoAccount(string UserName, string DisplayName, string Role, Guid OrganizationId, string OrganizationName);

/// <summary>
/// A fictional district at the seeds' scale (1 区委, 5 街道, ~68 社区, ~300 网格党支部, ~200 楼栋党小组,
/// 两新 and 物业 organizations), or at a larger <paramref name="scale"/> up to the benchmark's city (<see cref="CityScale"/>). Deterministic for a seed; place names are invented from syllables and
/// person names come from Bogus zh_CN. The same generator feeds the benchmarks through <paramref name="scale"/>.
/// </summary>
public sealed class DemoDistrictGenerator(int seed = 2026, double scale = 1.0, double? memberScale = null)
{
    public const string DemoPassword = "Jiceng@2026";

    /// <summary>The benchmark's city (issue 7): 500,000 members (33.4 × the district's 15,000), 3,000 communities and 15,000
    /// grids; with the streets, party groups and 两新/物业 organizations scaled like the members, about 25,000 organizations.</summary>
    public const double CityScale = 33.4;
    public const int CityCommunities = 3000;
    public const int CityGrids = 15000;
    private static readonly string[] First = ["云", "松", "枫", "柳", "桂", "槐", "兰", "荷", "梅", "竹", "杏", "桐", "榆", "棠", "芷", "蓉", "蔚", "澄", "泓", "朗"];
    private static readonly string[] Second = ["溪", "湖", "岭", "园", "苑", "湾", "桥", "坊", "里", "庭", "川", "屿", "塘", "泉", "原", "林", "港", "坪", "汀", "畔"];
    private static readonly string[] Trades = ["科技", "物流", "餐饮", "商贸", "文化", "医药", "建筑", "信息", "环保", "教育"];

    public sealed record Result(List<Organization> Organizations, List<DemoAccount> Accounts);

    private static readonly string[] Ethnicities = ["汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "汉族", "回族", "满族", "蒙古族", "壮族"];
    private static readonly string[] Regions = ["330102", "330105", "330106", "320102", "320104", "370102", "410105", "420106", "510104", "610103"];
    private static readonly string[] Units = ["区卫生健康局", "街道办事处", "第一中学", "区人民医院", "区税务局", "市政工程公司", "社区卫生服务中心", "区图书馆"];

    /// <summary>Fictional members for every branch and party group: valid GB 11643 check digits,
    /// consistent dates (joined at 18 or later, 转正 one year after), about 15,000 at scale 1.</summary>
    public List<Member> GenerateMembers(IReadOnlyList<Organization> orgs, FieldProtector protector, DateTimeOffset now)
    {
        var faker = new Faker("zh_CN") { Random = new Randomizer(seed + 1) };
        var rnd = faker.Random;
        var today = DateOnly.FromDateTime(now.ToChina().DateTime);
        var holders = orgs.Where(o => MemberService.CanHoldMembers(o.Kind)).ToList();
        var communities = orgs.Where(o => o.Kind is OrganizationKind.CommunityCommittee or OrganizationKind.GeneralBranch).ToList();
        var target = (int)Math.Round(15000 * (memberScale ?? scale));
        var members = new List<Member>(target);
        var usedIds = new HashSet<string>();
        for (var i = 0; i < target; i++)
        {
            // Grid branches hold most members; 两新, property and joint branches fewer.
            var org = holders[(int)(Math.Pow(rnd.Double(), 1.3) * holders.Count) % holders.Count];
            var birth = today.AddYears(-rnd.Int(20, 88)).AddDays(-rnd.Int(0, 364));
            var male = rnd.Bool(0.55f);
            string id;
            do
            {
                var seqDigits = rnd.Int(0, 99) * 10 + (male ? rnd.ArrayElement(new[] { 1, 3, 5, 7, 9 }) : rnd.ArrayElement(new[] { 0, 2, 4, 6, 8 }));
                id = IdCardNumber.Complete($"{rnd.ArrayElement(Regions)}{birth:yyyyMMdd}{seqDigits:D3}");
            } while (!usedIds.Add(id));
            var earliestJoin = birth.AddYears(18);
            var joined = earliestJoin.AddDays(rnd.Int(0, Math.Max(1, today.DayNumber - earliestJoin.DayNumber - 30)));
            var probationary = today < joined.AddYears(1) || rnd.Bool(0.03f);
            if (probationary && today >= joined.AddYears(1)) joined = today.AddDays(-rnd.Int(30, 300));
            var age = MemberRules.Age(birth, today);
            var occupation = age >= 60 ? Occupation.Retired : age < 23 ? Occupation.Student : rnd.WeightedRandom(
                new[] { Occupation.Employed, Occupation.Farmer, Occupation.Unemployed, Occupation.Other }, new[] { 0.8f, 0.05f, 0.05f, 0.1f });
            var name = faker.Name.LastName() + faker.Name.FirstName();
            var idp = protector.Protect(id, ProtectedKind.IdNumber);
            var phone = protector.Protect($"1{rnd.ArrayElement(new[] { 3, 5, 7, 8, 9 })}{rnd.Int(0, 999999999):D9}", ProtectedKind.Phone);
            var status = rnd.Double() switch { < 0.03 => MemberStatus.Mobile, < 0.035 => MemberStatus.Abroad, < 0.04 => MemberStatus.Deceased, _ => MemberStatus.Normal };
            members.Add(new Member
            {
                Id = DemoIds.Next(rnd), OrganizationId = org.Id, Name = name, NameInitials = PinyinInitials.Of(name),
                Gender = male ? Gender.Male : Gender.Female, Ethnicity = rnd.ArrayElement(Ethnicities), BirthDate = birth,
                IdNumberCipher = idp.Cipher, IdNumberHash = idp.Hash, IdNumberMasked = idp.Masked,
                PhoneCipher = phone.Cipher, PhoneHash = phone.Hash, PhoneMasked = phone.Masked, PhoneTail = phone.Masked[^4..],
                Education = (Education)rnd.Int(2, 7), Occupation = occupation,
                WorkUnit = occupation == Occupation.Employed ? "云湖" + rnd.ArrayElement(Units) : null,
                HomeAddress = $"{rnd.ArrayElement(First)}{rnd.ArrayElement(Second)}路{rnd.Int(1, 300)}号{rnd.Int(1, 30)}栋{rnd.Int(101, 2802)}室",
                ResidenceCommunityId = communities.Count > 0 ? communities[rnd.Int(0, communities.Count - 1)].Id : null,
                State = probationary ? MemberState.Probationary : MemberState.Full, JoinedOn = joined,
                JoinedMonthDay = joined.Month * 100 + joined.Day, FullMemberOn = probationary ? null : joined.AddYears(1),
                Status = status, CreatedAt = now, UpdatedAt = now,
            });
        }
        return members;
    }

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
        Guid NextId() => DemoIds.Next(rnd);
        var today = DateOnly.FromDateTime(now.ToChina().DateTime);
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
        // Communities and grids: the seeds' district at scale 1, the city of issue 7 at CityScale, linearly in between
        // (a city has more, smaller communities and grids per member than the district scaled up).
        int Toward(int district, int city) => scale <= 1 ? Scaled(district)
            : (int)Math.Round(district + (city - district) * (scale - 1) / (CityScale - 1));
        var district = Add("云湖区委", OrganizationKind.DistrictCommittee, null, 0);
        Add("云湖区机关工委", OrganizationKind.AgencyOrganization, district, 900);
        var streets = Enumerable.Range(0, Math.Max(5, Scaled(5))).Select(i => Add(Place("街道党工委"), OrganizationKind.StreetWorkingCommittee, district, i)).ToList();
        var communityCount = Toward(68, CityCommunities);
        var communities = new List<Organization>();
        for (var i = 0; i < communityCount; i++)
        {
            var street = streets[i % streets.Count];
            var kind = rnd.Bool(0.8f) ? OrganizationKind.CommunityCommittee : OrganizationKind.GeneralBranch;
            var suffix = kind == OrganizationKind.CommunityCommittee ? "社区党委" : "社区党总支";
            communities.Add(Add(Place(suffix), kind, street, i));
        }
        var gridTarget = Toward(300, CityGrids);
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
    public static async Task<List<DemoAccount>?> SeedIfEmptyAsync(JicengDbContext db, UserManager<AppUser> users, FieldProtector protector, TimeProvider clock, double scale, CancellationToken ct, double? memberScale = null)
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
        var generator = new DemoDistrictGenerator(scale: scale, memberScale: memberScale);
        var members = generator.GenerateMembers(result.Organizations, protector, now);
        // demo-member's own record sits in the grid branch the account is bound to.
        var memberOrg = result.Accounts.Single(a => a.Role == Roles.Member).OrganizationId;
        if (!members.Any(m => m.OrganizationId == memberOrg && m.Status == MemberStatus.Normal))
            members.First(m => m.Status == MemberStatus.Normal).OrganizationId = memberOrg;
        foreach (var batch in members.Chunk(2000))
        {
            db.Members.AddRange(batch);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        await Dues.DuesDemo.SeedAsync(db, members, members.First(m => m.OrganizationId == memberOrg && m.Status == MemberStatus.Normal).Id, now, ct);
        // Members marked 流动 have their registration: where they are and when they were last in touch
        // (a few long ago, so the 6-month rule has something to say).
        var mobileRandom = new Randomizer(2028);
        var mobiles = members.Where(m => m.Status == MemberStatus.Mobile).Select(m =>
        {
            var since = DateOnly.FromDateTime(now.ToChina().DateTime).AddDays(-mobileRandom.Int(60, 1500));
            return new MobileRegistration
            {
                Id = DemoIds.Next(mobileRandom), MemberId = m.Id, OrganizationId = m.OrganizationId,
                Location = mobileRandom.ArrayElement(["广东省深圳市", "浙江省杭州市", "上海市浦东新区", "江苏省苏州市", "北京市海淀区"]),
                Since = since, ContactPerson = "支部书记", ExpectedReturn = since.AddYears(2),
                LastContactOn = since.AddDays(mobileRandom.Int(0, Math.Max(0, DateOnly.FromDateTime(now.ToChina().DateTime).DayNumber - since.DayNumber))),
                CreatedAt = now,
            };
        }).ToList();
        db.MobileRegistrations.AddRange(mobiles);
        await Development.DevelopmentDemo.SeedAsync(db, result.Organizations, members, protector, now, memberScale ?? scale, ct);
        await OrganizationalLife.DemoOrgLife.SeedAsync(db, result.Organizations, members, now, memberScale ?? scale, result.Accounts.Single(a => a.UserName == "demo-community").OrganizationId, memberOrg, ct);
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
            if (a.Role == Roles.Member)
                user.MemberId = members.First(m => m.OrganizationId == a.OrganizationId && m.Status == MemberStatus.Normal).Id;
            db.Users.Add(user);
            db.RoleAssignments.Add(new RoleAssignment { Id = Guid.CreateVersion7(now), UserId = user.Id, Role = a.Role, OrganizationId = a.OrganizationId });
        }
        Cases.DemoCases.Seed(db, result, protector, now, memberScale ?? scale);
        db.Audit("demo.seed", "District", result.Organizations[0].Id.ToString(), result.Organizations[0].Id,
            details: new { organizations = result.Organizations.Count, members = members.Count, accounts = result.Accounts.Count });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.BulkLoad = false;
        return result.Accounts;
    }
}
