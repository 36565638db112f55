using Jiceng.Web.Infrastructure;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jiceng.Domain.Members;
using Jiceng.Domain.Security;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Tests.Features.Members;

public sealed class MemberApiTests_Sqlite(SqliteApp app) : MemberApiTests(app), IClassFixture<SqliteApp>;

public sealed class MemberApiTests_Postgres(PostgresApp app) : MemberApiTests(app), IClassFixture<PostgresApp>;

public abstract class MemberApiTests(JicengApp app)
{
    private static int _serial;

    /// <summary>A fresh valid ID number (GB 11643 check digit) that no demo member has.</summary>
    private static string NewIdNumber(DateOnly birth) =>
        IdCardNumber.Complete($"990101{birth:yyyyMMdd}{Interlocked.Increment(ref _serial) % 1000:D3}");

    private async Task<(Guid Community, Guid Branch)> CommunityBranchAsync(HttpClient client)
    {
        var me = await client.GetJsonAsync("/api/v1/auth/me");
        var community = me.GetProperty("scopes")[0].GetProperty("organizationId").GetGuid();
        var tree = await client.GetJsonAsync($"/api/v1/orgs/tree?root={community}&depth=1");
        var branch = tree[0].GetProperty("children").EnumerateArray().First(c => c.GetProperty("kind").GetString() == "GridBranch").Id();
        return (community, branch);
    }

    private static object NewMember(Guid org, string name, string idNumber, string? workUnit = null) => new
    {
        name, idNumber, phone = "13800001234", ethnicity = "汉族", education = "Bachelor", occupation = "Employed", workUnit,
        organizationId = org, state = "Full", joinedOn = "2010-07-01", fullMemberOn = "2011-07-01",
    };

    [Fact]
    public async Task Registering_a_member_masks_protects_and_finds_by_pinyin_initials()
    {
        var client = await app.LoginAsync("demo-community");
        var (_, branch) = await CommunityBranchAsync(client);
        var id = NewIdNumber(new DateOnly(1985, 3, 15));
        var created = await client.PostJsonAsync("/api/v1/members", NewMember(branch, "祁晓测", id), HttpStatusCode.Created);
        created.GetProperty("idNumberMasked").GetString().ShouldBe(id[..6] + "********" + id[^4..]);
        created.GetProperty("phoneMasked").GetString().ShouldBe("138****1234");
        created.GetProperty("nameInitials").GetString().ShouldBe("qxc");
        created.GetProperty("birthDate").GetString().ShouldBe("1985-03-15");
        created.GetProperty("partyAge").GetInt32().ShouldBeGreaterThanOrEqualTo(15);
        created.GetRawText().ShouldNotContain(id);

        var found = await client.GetJsonAsync("/api/v1/members?q=qxc");
        found.GetProperty("items").EnumerateArray().ShouldContain(m => m.GetProperty("name").GetString() == "祁晓测");
        (await client.GetJsonAsync("/api/v1/members?q=晓测")).GetProperty("total").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
        (await client.GetJsonAsync("/api/v1/members?phoneTail=1234")).GetProperty("items").EnumerateArray()
            .ShouldContain(m => m.GetProperty("name").GetString() == "祁晓测");

        await using var db = app.OpenDb();
        var row = await db.Members.SingleAsync(m => m.Name == "祁晓测");
        row.IdNumberCipher.ShouldNotContain(id);
        row.IdNumberCipher.ShouldStartWith("sm4gcm:");
        var audit = (await db.AuditEntries.SingleAsync(a => a.EntityType == "Member" && a.EntityId == row.Id.ToString() && a.Action == "create")).Changes.ShouldNotBeNull();
        audit.ShouldNotContain(id);
        audit.ShouldNotContain(row.IdNumberCipher);
        audit.ShouldNotContain(row.IdNumberHash);
        audit.ShouldNotContain(row.PhoneCipher!);
    }

    [Fact]
    public async Task The_list_is_in_pinyin_order_and_initials_match_as_a_prefix()
    {
        var client = await app.LoginAsync("demo-street");
        var page = await client.GetJsonAsync("/api/v1/members?pageSize=200");
        var names = page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("name").GetString()!).ToList();
        names.Count.ShouldBeGreaterThan(20);
        var keys = names.Select(n => (PinyinInitials.Of(n), n)).ToList();
        keys.ShouldBe(keys.OrderBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.n, StringComparer.Ordinal).ToList());
        page.GetProperty("totalIsLowerBound").GetBoolean().ShouldBeFalse();

        // A prefix of the initials: "z" finds every 张/赵/周…; the middle of the initials finds nothing extra.
        var letter = PinyinInitials.Of(names[0])[..1];
        var byPrefix = await client.GetJsonAsync($"/api/v1/members?q={letter}&pageSize=200");
        byPrefix.GetProperty("items").EnumerateArray().Select(m => PinyinInitials.Of(m.GetProperty("name").GetString()!))
            .ShouldAllBe(initials => initials.StartsWith(letter, StringComparison.Ordinal));
        byPrefix.GetProperty("total").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task A_name_contains_search_finds_what_the_registry_holds_after_every_kind_of_write()
    {
        // PostgreSQL answers it from the name-character table its trigger keeps (MemberNameChar), SQLite from the names: either
        // way the matches are the readable members whose names hold the text, whatever wrote them.
        var district = await app.LoginAsync("demo-district");
        var street = await app.LoginAsync("demo-street");
        var community = await app.LoginAsync("demo-community");
        var (_, branch) = await CommunityBranchAsync(community);
        async Task<List<string>> NamesAsync(HttpClient client, string q, string extra = "")
        {
            var answer = await client.GetJsonAsync($"/api/v1/members?q={Uri.EscapeDataString(q)}&pageSize=200{extra}");
            var names = answer.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("name").GetString()!).ToList();
            answer.GetProperty("total").GetInt32().ShouldBe(names.Count);
            return names;
        }

        // Against the registry: a common character and two characters of one name, the whole tree and a street.
        var streetId = (await street.GetJsonAsync("/api/v1/auth/me")).GetProperty("scopes")[0].GetProperty("organizationId").GetGuid();
        string streetPath, pair;
        await using (var db = app.OpenDb())
        {
            streetPath = await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == streetId).Select(o => o.Path).SingleAsync();
            var all = await db.Members.IgnoreQueryFilters().Select(m => new { m.Name, m.NameInitials, InStreet = m.Organization!.Path.StartsWith(streetPath) }).ToListAsync();
            var common = all.Where(m => m.InStreet).SelectMany(m => m.Name.Distinct()).GroupBy(c => c).OrderByDescending(g => g.Count()).First().Key.ToString();
            pair = all.Where(m => m.InStreet && m.Name.Length >= 3).Select(m => m.Name[1..3]).First();
            foreach (var q in new[] { common, pair })
            {
                // In list order: initials, then name (both databases compare them by code point here: "C" and C.UTF-8, SQLite binary).
                var inStreet = await NamesAsync(street, q);
                inStreet.ShouldBe(all.Where(m => m.InStreet && m.Name.Contains(q)).OrderBy(m => m.NameInitials, StringComparer.Ordinal)
                    .ThenBy(m => m.Name, StringComparer.Ordinal).Select(m => m.Name));
                var q2 = await NamesAsync(district, q, $"&orgId={streetId}");
                q2.ShouldBe(inStreet);
                if (all.Count(m => m.Name.Contains(q)) <= 200)
                    (await NamesAsync(district, q)).Order(StringComparer.Ordinal).ShouldBe(all.Where(m => m.Name.Contains(q)).Select(m => m.Name).Order(StringComparer.Ordinal));
            }
        }

        // A new member, a rename by the service and by a bare statement, a move to another street, a delete.
        var created = await community.PostJsonAsync("/api/v1/members", NewMember(branch, "蟿检索甲", NewIdNumber(new DateOnly(1980, 1, 2))), HttpStatusCode.Created);
        var id = created.Id();
        (await NamesAsync(district, "蟿")).ShouldBe(["蟿检索甲"]);
        (await NamesAsync(street, "检索甲")).ShouldBe(["蟿检索甲"]);
        var edit = NewMember(branch, "蟿检索乙", "");
        await community.PutJsonAsync($"/api/v1/members/{id}", edit);
        (await NamesAsync(district, "蟿")).ShouldBe(["蟿检索乙"]);
        (await NamesAsync(district, "检索甲")).ShouldBeEmpty();
        await using (var db = app.OpenDb())
        {
            await db.Members.IgnoreQueryFilters().Where(m => m.Id == id).ExecuteUpdateAsync(u => u.SetProperty(m => m.Name, "蟿检索丙"));
            (await NamesAsync(street, "蟿")).ShouldBe(["蟿检索丙"]);
            var elsewhere = await db.Organizations.IgnoreQueryFilters()
                .Where(o => o.Kind == Jiceng.Domain.Organizations.OrganizationKind.GridBranch && !o.Path.StartsWith(streetPath)).Select(o => o.Id).FirstAsync();
            await db.Members.IgnoreQueryFilters().Where(m => m.Id == id).ExecuteUpdateAsync(u => u.SetProperty(m => m.OrganizationId, elsewhere));
            (await NamesAsync(street, "蟿")).ShouldBeEmpty();
            (await NamesAsync(district, "蟿")).ShouldBe(["蟿检索丙"]);
            await db.Members.IgnoreQueryFilters().Where(m => m.Id == id).ExecuteDeleteAsync();
            (await NamesAsync(district, "蟿")).ShouldBeEmpty();

            // PostgreSQL: after initials changed alone and a statement over many members, the character table is what the members say.
            if (db.IsPostgres)
            {
                await db.Members.IgnoreQueryFilters().Where(m => m.Organization!.Path.StartsWith(streetPath) && m.Name.Contains(pair))
                    .ExecuteUpdateAsync(u => u.SetProperty(m => m.NameInitials, m => "zz" + m.NameInitials));
                await db.Members.IgnoreQueryFilters().Where(m => m.Organization!.Path.StartsWith(streetPath) && m.Name.Contains(pair))
                    .ExecuteUpdateAsync(u => u.SetProperty(m => m.NameInitials, m => m.NameInitials.Substring(2)));
                const string Derived = "SELECT DISTINCT m.id, c, m.name_initials, m.name, m.organization_id FROM members m, unnest(m.name_chars) AS c";
                const string Kept = "SELECT member_id, character, name_initials, name, organization_id FROM member_name_chars";
                foreach (var (a, b) in new[] { (Derived, Kept), (Kept, Derived) })
                {
                    var sql = "SELECT count(*)::int AS \"Value\" FROM (" + a + " EXCEPT " + b + ") x";   // constants only
                    (await db.Database.SqlQueryRaw<int>(sql).SingleAsync()).ShouldBe(0);
                }
            }
        }
    }

    [Fact]
    public async Task A_name_contains_search_counts_every_match_and_pages_through_them_in_list_order()
    {
        // The most common character in the street's names, so that the matches span several pages.
        var client = await app.LoginAsync("demo-street");
        var streetNames = (await client.GetJsonAsync("/api/v1/members?pageSize=200")).GetProperty("items").EnumerateArray()
            .Select(m => m.GetProperty("name").GetString()!).ToList();
        var character = streetNames.SelectMany(n => n.Distinct()).GroupBy(c => c).OrderByDescending(g => g.Count()).First().Key.ToString();
        var q = Uri.EscapeDataString(character);

        var first = await client.GetJsonAsync($"/api/v1/members?q={q}&pageSize=5");
        var total = first.GetProperty("total").GetInt32();
        total.ShouldBeGreaterThan(10);
        first.GetProperty("totalIsLowerBound").GetBoolean().ShouldBeFalse();
        var whole = await client.GetJsonAsync($"/api/v1/members?q={q}&pageSize=200");
        whole.GetProperty("total").GetInt32().ShouldBe(total);
        var expected = whole.GetProperty("items").EnumerateArray().Select(m => m.Id()).ToList();
        expected.Count.ShouldBe(Math.Min(total, 200));
        var paged = new List<Guid>();
        for (var page = 1; paged.Count < expected.Count && page <= expected.Count / 5 + 1; page++)
        {
            var answer = await client.GetJsonAsync($"/api/v1/members?q={q}&pageSize=5&page={page}");
            answer.GetProperty("total").GetInt32().ShouldBe(total);
            paged.AddRange(answer.GetProperty("items").EnumerateArray().Select(m => m.Id()));
        }
        paged.Take(expected.Count).ShouldBe(expected);
        whole.GetProperty("items").EnumerateArray().ShouldAllBe(m => m.GetProperty("name").GetString()!.Contains(character));

        // Just past the last page and further: no rows, and still the total.
        foreach (var past in new[] { (total + 4) / 5 + 1, total / 5 + 3 })
        {
            var beyond = await client.GetJsonAsync($"/api/v1/members?q={q}&pageSize=5&page={past}");
            beyond.GetProperty("items").GetArrayLength().ShouldBe(0);
            beyond.GetProperty("total").GetInt32().ShouldBe(total);
        }
        // With another filter the count follows it too.
        var full = await client.GetJsonAsync($"/api/v1/members?q={q}&state=Full&pageSize=200");
        full.GetProperty("items").EnumerateArray().ShouldAllBe(m => m.GetProperty("state").GetString() == "Full");
        full.GetProperty("total").GetInt32().ShouldBeLessThanOrEqualTo(total);

        // The count is the street's: every member of the street (in the database) whose name holds the character.
        var street = (await client.GetJsonAsync("/api/v1/auth/me")).GetProperty("scopes")[0].GetProperty("organizationId").GetGuid();
        await using var db = app.OpenDb();
        var streetPath = await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == street).Select(o => o.Path).SingleAsync();
        var inStreet = await db.Members.IgnoreQueryFilters().Where(m => m.Organization!.Path.StartsWith(streetPath)).Select(m => new { m.Name, m.State }).ToListAsync();
        total.ShouldBe(inStreet.Count(m => m.Name.Contains(character)));
        full.GetProperty("total").GetInt32().ShouldBe(inStreet.Count(m => m.Name.Contains(character) && m.State == MemberState.Full));
    }

    [Fact]
    public async Task Counts_are_exact_up_to_the_cap_and_then_a_lower_bound()
    {
        await using var db = app.OpenDb();
        var all = await db.Members.IgnoreQueryFilters().CountAsync();
        (await Jiceng.Web.Infrastructure.Paging.CappedCountAsync(db.Members.IgnoreQueryFilters(), all, default)).ShouldBe((all, false));
        (await Jiceng.Web.Infrastructure.Paging.CappedCountAsync(db.Members.IgnoreQueryFilters(), all - 1, default)).ShouldBe((all - 1, true));
        new Jiceng.Web.Infrastructure.PagedList<int>([1, 2], 10, 5, 2, TotalIsLowerBound: true).TotalText.ShouldBe("10+");
        new Jiceng.Web.Infrastructure.PagedList<int>([1, 2], 10, 5, 2, TotalIsLowerBound: true).HasNext.ShouldBeTrue();
        new Jiceng.Web.Infrastructure.PagedList<int>([1, 2], 10, 5, 2).HasNext.ShouldBeFalse();
    }

    [Fact]
    public async Task Bad_member_input_answers_chinese_field_errors_and_writes_nothing()
    {
        var client = await app.LoginAsync("demo-community");
        var (community, branch) = await CommunityBranchAsync(client);
        await using var db0 = app.OpenDb();
        var before = await db0.Members.CountAsync();
        var taken = await db0.Members.Where(m => m.Organization!.Path.Contains(community.ToString("N"))).Select(m => m.Id).FirstAsync();

        var bad = await (await client.PostAsJsonAsync("/api/v1/members", new
        {
            name = "", idNumber = "110105194912310021", organizationId = community, state = "Full", joinedOn = "2030-01-01",
        })).ProblemAsync(HttpStatusCode.BadRequest);
        bad.FieldError("name").ShouldBe("姓名不能为空");
        bad.FieldError("idNumber").ShouldBe("身份证号校验位不正确");
        bad.FieldError("organizationId").ShouldBe("党员应编入党支部或党小组");
        bad.FieldError("occupation").ShouldBe("请选择职业类别");

        var young = await (await client.PostAsJsonAsync("/api/v1/members", new
        {
            name = "年龄不足", idNumber = NewIdNumber(new DateOnly(2010, 1, 1)), occupation = "Student", organizationId = branch, state = "Probationary", joinedOn = "2025-01-01",
        })).ProblemAsync(HttpStatusCode.BadRequest);
        young.FieldError("joinedOn").ShouldBe("入党时应年满18周岁");

        var dupId = NewIdNumber(new DateOnly(1970, 1, 1));
        await client.PostJsonAsync("/api/v1/members", NewMember(branch, "重复甲", dupId), HttpStatusCode.Created);
        var dup = await (await client.PostAsJsonAsync("/api/v1/members", NewMember(branch, "重复乙", dupId))).ProblemAsync(HttpStatusCode.BadRequest);
        dup.FieldError("idNumber").ShouldBe("该身份证号已登记为党员");

        var move = await (await client.PutAsJsonAsync($"/api/v1/members/{taken}", new
        {
            name = "换组织", occupation = "Employed", organizationId = Guid.NewGuid(), state = "Full", joinedOn = "2010-07-01", fullMemberOn = "2011-07-01",
        })).ProblemAsync(HttpStatusCode.BadRequest);
        move.FieldError("organizationId").ShouldBe("党组织不存在");

        await using var db = app.OpenDb();
        (await db.Members.CountAsync()).ShouldBe(before + 1);
    }

    [Fact]
    public async Task A_member_of_another_street_never_appears_and_answers_404()
    {
        var street = await app.LoginAsync("demo-street");
        var streetId = (await street.GetJsonAsync("/api/v1/auth/me")).GetProperty("scopes")[0].GetProperty("organizationId").GetGuid();
        await using var db = app.OpenDb();
        var streetPath = await db.Organizations.Where(o => o.Id == streetId).Select(o => o.Path).SingleAsync();
        var outsider = await db.Members.Where(m => !m.Organization!.Path.StartsWith(streetPath)).Select(m => new { m.Id, m.Name, m.NameInitials }).FirstAsync();

        var list = await street.GetJsonAsync($"/api/v1/members?pageSize=200&q={Uri.EscapeDataString(outsider.Name)}");
        list.GetProperty("items").EnumerateArray().ShouldNotContain(m => m.GetProperty("id").GetGuid() == outsider.Id);
        var byInitials = await street.GetJsonAsync($"/api/v1/members?pageSize=200&q={outsider.NameInitials}");
        byInitials.GetProperty("items").EnumerateArray().ShouldNotContain(m => m.GetProperty("id").GetGuid() == outsider.Id);
        await (await street.GetAsync($"/api/v1/members/{outsider.Id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await street.PostAsync($"/api/v1/members/{outsider.Id}/reveal", null)).ProblemAsync(HttpStatusCode.NotFound);

        // The whole list is the street's members, counted independently.
        var total = (await street.GetJsonAsync("/api/v1/members?pageSize=1")).GetProperty("total").GetInt32();
        total.ShouldBe(await db.Members.CountAsync(m => m.Organization!.Path.StartsWith(streetPath)));
    }

    [Fact]
    public async Task The_district_reads_its_whole_tree_without_the_filter_but_never_another_root()
    {
        // Its own app: this test adds a second root organization to the tree.
        await using var own = app.Database == TestDatabase.Sqlite ? (JicengApp)new SqliteApp() : new PostgresApp();
        await own.InitializeAsync();
        var district = await own.LoginAsync("demo-district");
        int all;
        await using (var db = own.OpenDb()) all = await db.Members.CountAsync();
        // While the district is the only root, its list is every member (the list then skips the scope join).
        (await district.GetJsonAsync("/api/v1/members?pageSize=1")).GetProperty("total").GetInt32().ShouldBe(all);

        Guid outsider;
        await using (var db = own.OpenDb())
        {
            var rootId = Guid.CreateVersion7();
            var root = new Jiceng.Domain.Organizations.Organization
            {
                Id = rootId, Name = "另一区委（测试）", Kind = Jiceng.Domain.Organizations.OrganizationKind.DistrictCommittee,
                Path = Jiceng.Domain.Organizations.OrgPath.Root(rootId), CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            };
            db.Organizations.Add(root);
            var template = await db.Members.AsNoTracking().FirstAsync();
            template.Id = outsider = Guid.CreateVersion7();
            template.Name = "根外党员";
            template.NameInitials = "gwdy";
            template.IdNumberHash = $"outside-root-{Guid.NewGuid():N}";
            template.OrganizationId = rootId;
            template.Organization = null;
            db.Members.Add(template);
            await db.SaveChangesAsync();
        }

        // Another root: the district's scope no longer holds the whole tree, and the outsider stays out of its list.
        (await district.GetJsonAsync("/api/v1/members?pageSize=1")).GetProperty("total").GetInt32().ShouldBe(all);
        var search = await district.GetJsonAsync($"/api/v1/members?pageSize=200&q={Uri.EscapeDataString("根外党员")}");
        search.GetProperty("items").GetArrayLength().ShouldBe(0);
        (await district.GetJsonAsync("/api/v1/members?pageSize=200&q=gwdy")).GetProperty("items").GetArrayLength().ShouldBe(0);
        await (await district.GetAsync($"/api/v1/members/{outsider}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Reveal_is_for_allowed_roles_only_and_audited()
    {
        var community = await app.LoginAsync("demo-community");
        var (_, branch) = await CommunityBranchAsync(community);
        var id = NewIdNumber(new DateOnly(1979, 9, 9));
        var m = (await community.PostJsonAsync("/api/v1/members", NewMember(branch, "揭示测试", id), HttpStatusCode.Created)).Id();

        var revealed = await community.PostJsonAsync($"/api/v1/members/{m}/reveal", new { });
        revealed.GetProperty("idNumber").GetString().ShouldBe(id);
        revealed.GetProperty("phone").GetString().ShouldBe("13800001234");
        await using var db = app.OpenDb();
        (await db.AuditEntries.CountAsync(a => a.Action == "reveal" && a.EntityId == m.ToString() && a.UserName == "demo-community")).ShouldBe(1);

        // The grid worker sees the member (in scope) but may not reveal: 403, and nothing revealed is audited.
        var grid = await app.LoginAsync("demo-grid");
        var gridScope = (await grid.GetJsonAsync("/api/v1/auth/me")).GetProperty("scopes")[0].GetProperty("organizationId").GetGuid();
        var gridMember = await db.Members.Where(x => x.OrganizationId == gridScope).Select(x => x.Id).FirstAsync();
        await (await grid.PostAsync($"/api/v1/members/{gridMember}/reveal", null)).ProblemAsync(HttpStatusCode.Forbidden);
        (await db.AuditEntries.CountAsync(a => a.Action == "reveal" && a.UserName == "demo-grid")).ShouldBe(0);

        // A party member's account does not read the registry.
        var member = await app.LoginAsync("demo-member");
        await (await member.GetAsync("/api/v1/members")).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Filters_by_state_status_age_and_party_age()
    {
        var client = await app.LoginAsync("demo-district");
        var all = await client.GetJsonAsync("/api/v1/members?pageSize=1");
        var probationary = await client.GetJsonAsync("/api/v1/members?state=Probationary&pageSize=200");
        probationary.GetProperty("items").EnumerateArray().ShouldAllBe(m => m.GetProperty("state").GetString() == "Probationary");
        var senior = await client.GetJsonAsync("/api/v1/members?ageFrom=70&pageSize=200");
        senior.GetProperty("items").EnumerateArray().ShouldAllBe(m => m.GetProperty("age").GetInt32() >= 70);
        var band = await client.GetJsonAsync("/api/v1/members?partyAgeFrom=10&partyAgeTo=20&pageSize=200");
        band.GetProperty("items").EnumerateArray().ShouldAllBe(m => m.GetProperty("partyAge").GetInt32() >= 10 && m.GetProperty("partyAge").GetInt32() <= 20);
        (probationary.GetProperty("total").GetInt32() + (await client.GetJsonAsync("/api/v1/members?state=Full&pageSize=1")).GetProperty("total").GetInt32())
            .ShouldBe(all.GetProperty("total").GetInt32());
        var badTail = await (await client.GetAsync("/api/v1/members?phoneTail=12a4")).ProblemAsync(HttpStatusCode.BadRequest);
        badTail.FieldError("phoneTail").ShouldBe("手机尾号应为4位数字");
    }

    [Fact]
    public async Task Member_counts_drive_the_branch_rules()
    {
        var district = await app.LoginAsync("demo-district");
        var system = await app.LoginAsync("demo-sysadmin");
        var street = (await district.GetJsonAsync("/api/v1/orgs/tree?depth=1"))[0].GetProperty("children")[0].Id();
        var tree = await district.GetJsonAsync($"/api/v1/orgs/tree?root={street}&depth=1");
        var community = tree[0].GetProperty("children")[0].Id();
        var branch = (await district.PostJsonAsync("/api/v1/orgs", new { name = "人数规则测试网格党支部", kind = "GridBranch", parentId = community }, HttpStatusCode.Created)).Id();
        for (var i = 0; i < 2; i++)
            await district.PostJsonAsync("/api/v1/members", NewMember(branch, $"规则成员{i}", NewIdNumber(new DateOnly(1980, 1, 2 + i))), HttpStatusCode.Created);
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        var alerts = await district.GetJsonAsync($"/api/v1/alerts?orgId={branch}");
        alerts.GetProperty("items").EnumerateArray().ShouldContain(a => a.GetProperty("ruleCode").GetString() == "org.branch-min-full-members"
            && a.GetProperty("message").GetString()!.Contains("正式党员2名"));

        await district.PostJsonAsync("/api/v1/members", NewMember(branch, "规则成员2", NewIdNumber(new DateOnly(1980, 1, 9))), HttpStatusCode.Created);
        await system.PostJsonAsync("/api/v1/alerts/evaluate", new { });
        (await district.GetJsonAsync($"/api/v1/alerts?orgId={branch}")).GetProperty("items").EnumerateArray()
            .ShouldNotContain(a => a.GetProperty("ruleCode").GetString() == "org.branch-min-full-members");
    }

    [Fact]
    public async Task A_member_recorded_as_deceased_leaves_the_roll_with_seats_ended_and_alerts_resolved()
    {
        var client = await app.LoginAsync("demo-community");
        var (_, branch) = await CommunityBranchAsync(client);
        var created = await client.PostJsonAsync("/api/v1/members", NewMember(branch, "覃故测", NewIdNumber(new DateOnly(1950, 4, 2))), HttpStatusCode.Created);
        var id = created.Id();
        var today = TimeProvider.System.Today();
        Guid seatId, duesAlert, lifeAlert, otherAlert;
        await using (var db = app.OpenDb())
        {
            var seat = new Jiceng.Domain.OrganizationalLife.CommitteeSeat
            {
                Id = Guid.NewGuid(), OrganizationId = branch, MemberId = id, Position = Jiceng.Domain.OrganizationalLife.CommitteePosition.Member,
                From = today.AddYears(-1), CreatedAt = DateTimeOffset.UtcNow,
            };
            db.CommitteeSeats.Add(seat);
            Jiceng.Data.Alerts.Alert Alert(string rule, string subjectType, string subjectId) => new()
            {
                Id = Guid.NewGuid(), DedupKey = $"{rule}|{subjectId}|test", RuleCode = rule, OrganizationId = branch, Severity = Jiceng.Domain.Alerts.AlertSeverity.Warning,
                Message = "测试预警", SubjectType = subjectType, SubjectId = subjectId, RaisedAt = DateTimeOffset.UtcNow, LastSeenAt = DateTimeOffset.UtcNow,
            };
            var alerts = new[] { Alert("dues.arrears", "member", id.ToString()), Alert("life.absence-streak", "Member", id.ToString()), Alert("dues.arrears", "member", Guid.NewGuid().ToString()) };
            db.Alerts.AddRange(alerts);
            await db.SaveChangesAsync();
            (seatId, duesAlert, lifeAlert, otherAlert) = (seat.Id, alerts[0].Id, alerts[1].Id, alerts[2].Id);
        }

        var updated = await client.PutJsonAsync($"/api/v1/members/{id}", new
        {
            name = "覃故测", ethnicity = "汉族", education = "Bachelor", occupation = "Employed", organizationId = branch,
            state = "Full", joinedOn = "2010-07-01", fullMemberOn = "2011-07-01", status = "Deceased",
        });
        updated.GetProperty("statusName").GetString().ShouldBe("已故");
        await using (var db = app.OpenDb())
        {
            (await db.CommitteeSeats.SingleAsync(s => s.Id == seatId)).Until.ShouldBe(today);
            (await db.Alerts.SingleAsync(a => a.Id == duesAlert)).ResolvedAt.ShouldNotBeNull();
            (await db.Alerts.SingleAsync(a => a.Id == lifeAlert)).ResolvedAt.ShouldNotBeNull();
            (await db.Alerts.SingleAsync(a => a.Id == otherAlert)).ResolvedAt.ShouldBeNull(); // another member's stays open
            (await db.AuditEntries.CountAsync(a => a.Action == "member.leave" && a.EntityId == id.ToString())).ShouldBe(1);
        }
        // No longer a member: transfer, mobile registration and dual registration are refused in Chinese.
        var transfer = await client.PostAsJsonAsync("/api/v1/transfers", new { kind = "Internal", memberId = id, toOrganizationId = Guid.NewGuid(), reason = "测试", paidThrough = "2026-10" });
        (await transfer.ProblemAsync(HttpStatusCode.BadRequest)).FieldError("memberId").ShouldContain("已故");
        var mobile = await client.PostAsJsonAsync("/api/v1/mobile-members", new { memberId = id, location = "广东省深圳市", since = today.AddMonths(-1), contactPerson = "支部书记" });
        (await mobile.ProblemAsync(HttpStatusCode.BadRequest)).FieldError("memberId").ShouldBe("该党员已故，不能登记为流动党员");
        var community = (await client.GetJsonAsync("/api/v1/auth/me")).GetProperty("scopes")[0].GetProperty("organizationId").GetGuid();
        var dual = await client.PostAsJsonAsync("/api/v1/dual-registrations", new { memberId = id, communityId = community });
        (await dual.ProblemAsync(HttpStatusCode.BadRequest)).FieldError("memberId").ShouldBe("未找到该在职党员，请核对身份证号或姓名和手机号");
        // Editing the member again (still deceased) does not leave the roll a second time.
        await client.PutJsonAsync($"/api/v1/members/{id}", new
        {
            name = "覃故测", ethnicity = "汉族", education = "Master", occupation = "Employed", organizationId = branch,
            state = "Full", joinedOn = "2010-07-01", fullMemberOn = "2011-07-01", status = "Deceased",
        });
        await using (var db = app.OpenDb())
            (await db.AuditEntries.CountAsync(a => a.Action == "member.leave" && a.EntityId == id.ToString())).ShouldBe(1);
    }
}
