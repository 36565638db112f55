using Jiceng.Data.Scope;
using Jiceng.Data;
using Jiceng.Data.Queries;
using Jiceng.Data.Derived;
using Jiceng.Data.Configurations;
using Jiceng.Data.Protection;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Domain.Security;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Members;

public sealed class MemberInput
{
    public string? Name { get; set; }
    public Gender? Gender { get; set; }
    public string? Ethnicity { get; set; }
    public DateOnly? BirthDate { get; set; }
    /// <summary>Required on create; on update only when it changes.</summary>
    public string? IdNumber { get; set; }
    public string? Phone { get; set; }
    public Education? Education { get; set; }
    public Occupation? Occupation { get; set; }
    public string? WorkUnit { get; set; }
    public string? HomeAddress { get; set; }
    public Guid? ResidenceCommunityId { get; set; }
    public Guid? OrganizationId { get; set; }
    public MemberState? State { get; set; }
    public DateOnly? JoinedOn { get; set; }
    public DateOnly? FullMemberOn { get; set; }
    public MemberStatus? Status { get; set; }
}

public sealed record MemberSummary(Guid Id, string Name, Gender Gender, string GenderName, int Age, Guid OrganizationId, string OrganizationName,
    MemberState State, string StateName, MemberStatus Status, string StatusName, string IdNumberMasked, string? PhoneMasked, DateOnly JoinedOn, int? PartyAge);

public sealed record MemberDetail(Guid Id, string Name, string NameInitials, Gender Gender, string GenderName, string Ethnicity, DateOnly BirthDate, int Age,
    string IdNumberMasked, string? PhoneMasked, Education Education, string EducationName, Occupation Occupation, string OccupationName,
    string? WorkUnit, string? HomeAddress, Guid? ResidenceCommunityId, string? ResidenceCommunityName,
    Guid OrganizationId, string OrganizationName, MemberState State, string StateName, DateOnly JoinedOn, DateOnly? FullMemberOn, int? PartyAge,
    DateOnly NextAnniversary, MemberStatus Status, string StatusName, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateOnly? SuspendedOn = null, DateOnly? SuspensionDecisionDueOn = null, SuspensionOutcome? SuspensionOutcome = null, string? SuspensionOutcomeName = null,
    DateOnly? SuspensionDecidedOn = null, string? SuspensionReview = null, IReadOnlyList<SuspensionRecord>? Suspensions = null);

/// <summary>One suspension of the member (停止党籍) and its decision, if any; newest first in <see cref="MemberDetail.Suspensions"/>.</summary>
public sealed record SuspensionRecord(Guid Id, DateOnly SuspendedOn, DateOnly? LostContactSince, string? Reason, string? RecordedBy,
    SuspensionOutcome? Outcome, string? OutcomeName, DateOnly? DecidedOn, string? Review, string? DecidedBy);

/// <summary>停止党籍 (or, for a member suspended before the date was recorded, 补录 of its date): the last contact with the
/// organization, the decision date and the reason (<see cref="SuspensionRule.CheckSuspension"/>).</summary>
public sealed class SuspensionInput
{
    public DateOnly? LostContactSince { get; set; }
    public DateOnly? DecidedOn { get; set; }
    public string? Reason { get; set; }
}

/// <summary>The organization's decision on a suspended member (恢复党籍 or 除名): its date and the review or decision text.</summary>
public sealed class SuspensionDecisionInput
{
    public DateOnly? DecidedOn { get; set; }
    public string? Review { get; set; }
}

public sealed record MemberQuery(string? Q = null, Guid? OrgId = null, MemberState? State = null, MemberStatus? Status = null, string? PhoneTail = null,
    int? AgeFrom = null, int? AgeTo = null, int? PartyAgeFrom = null, int? PartyAgeTo = null, int Page = 1, int PageSize = Paging.DefaultPageSize);

public sealed record RevealedMember(string IdNumber, string? Phone);

/// <summary>The member registry's use cases, shared by the API, the pages and the Excel import.</summary>
public sealed class MemberService(ScopedDbFactory dbs, FieldProtector protector, TimeProvider clock, CurrentUser user)
{
    /// <summary>Where members are registered: a branch or a party group, never a committee.</summary>
    public static bool CanHoldMembers(OrganizationKind kind) => kind.IsBranchLike() || kind == OrganizationKind.PartyGroup;

    public static IQueryable<Member> Filter(JicengDbContext db, IQueryable<Member> q, MemberQuery f, DateOnly today, string? orgPath)
    {
        if (orgPath is not null)
        {
            q = q.InSubtree(orgPath, m => m.Organization!.Path);
        }
        if (!string.IsNullOrWhiteSpace(f.Q))
        {
            var text = f.Q.Trim();
            if (!IsNameContainsSearch(f))
            {
                // A prefix of the initials (Latin letters in a name are in its initials already), so the
                // (initials, name, id) index serves both the filter and the list's order.
                var initials = text.ToLowerInvariant();
                q = q.Where(m => m.NameInitials.StartsWith(initials));
            }
            else if (db.IsPostgres)
            {
                // "Name contains": the GIN index over the name's characters finds the candidates, LIKE keeps exact matches.
                var chars = MemberConfiguration.NameCharacters(text);
                q = q.Where(m => chars.All(c => EF.Property<string[]>(m, MemberConfiguration.NameCharsColumn).Contains(c)) && m.Name.Contains(text));
            }
            else q = q.Where(m => m.Name.Contains(text));
        }
        if (f.State is { } st) q = q.Where(m => m.State == st);
        if (f.Status is { } ss) q = q.Where(m => m.Status == ss);
        if (!string.IsNullOrWhiteSpace(f.PhoneTail)) q = q.Where(m => m.PhoneTail == f.PhoneTail.Trim());
        // Age a..b: born after today-(b+1) years and on or before today-a years.
        if (f.AgeFrom is { } a1) { var latest = today.AddYears(-a1); q = q.Where(m => m.BirthDate <= latest); }
        if (f.AgeTo is { } a2) { var earliest = today.AddYears(-(a2 + 1)).AddDays(1); q = q.Where(m => m.BirthDate >= earliest); }
        if (f.PartyAgeFrom is { } p1) { var latest = today.AddYears(-p1); q = q.Where(m => m.State == MemberState.Full && m.FullMemberOn <= latest); }
        if (f.PartyAgeTo is { } p2) { var earliest = today.AddYears(-(p2 + 1)).AddDays(1); q = q.Where(m => m.State == MemberState.Full && m.FullMemberOn >= earliest); }
        return q;
    }

    public static FieldErrors CheckQuery(MemberQuery f)
    {
        var e = Paging.Check(f.Page, f.PageSize);
        if (f.Q is { Length: > 50 }) e.Add("q", "查询内容不能超过50个字符");
        if (f.PhoneTail is { } t && !System.Text.RegularExpressions.Regex.IsMatch(t.Trim(), @"^\d{4}$")) e.Add("phoneTail", "手机尾号应为4位数字");
        if (f.AgeFrom is < 0 or > 150 || f.AgeTo is < 0 or > 150) e.Add("age", "年龄须在0到150之间");
        if (f.PartyAgeFrom is < 0 or > 100 || f.PartyAgeTo is < 0 or > 100) e.Add("partyAge", "党龄须在0到100之间");
        return e;
    }

    public async Task<Outcome<PagedList<MemberSummary>>> ListAsync(MemberQuery f, CancellationToken ct = default)
    {
        var errors = CheckQuery(f);
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        string? orgPath = null;
        if (f.OrgId is { } orgId)
        {
            orgPath = await db.Organizations.Where(o => o.Id == orgId).Select(o => o.Path).FirstOrDefaultAsync(ct);
            if (orgPath is null) return Outcome<PagedList<MemberSummary>>.Missing;
        }
        var today = clock.Today();
        var members = (await db.ReadableMembersAsync(ct)).AsNoTracking();
        var q = Filter(db, members, f, today, orgPath);
        int total;
        bool lowerBound = false;
        List<Guid> ids;
        var page = InListOrder(q).Skip((f.Page - 1) * f.PageSize).Take(f.PageSize);
        var nameContains = IsNameContainsSearch(f);
        if (nameContains && db.IsPostgres && FiltersByNameAndOrganizationOnly(f))
        {
            var byCharacter = await ByNameCharacterAsync(db, f.Q!.Trim(), orgPath, ct);
            total = await byCharacter.CountAsync(ct);
            ids = await byCharacter.OrderBy(c => c.NameInitials).ThenBy(c => c.Name).ThenBy(c => c.MemberId)
                .Skip((f.Page - 1) * f.PageSize).Take(f.PageSize).Select(c => c.MemberId).ToListAsync(ct);
        }
        else if (nameContains)
        {
            // No index gives a name-contains search its list order, so the page's query reads and sorts every match for
            // any page; each row carries the count of them too. A separate count read the same rows a second time: 41.6 ms
            // of SQL per request for 张 over the city (bench, 2026-12-07). Past the last page there is no row to carry it.
            var counted = await page.Select(m => new { m.Id, Total = SqlWindow.RowsBeforeLimit() }).ToListAsync(ct);
            ids = counted.ConvertAll(r => r.Id);
            total = counted.Count > 0 ? (int)counted[0].Total : await q.CountAsync(ct);
        }
        else
        {
            (total, lowerBound) = await Paging.CappedCountAsync(q, ct);
            // The page's ids first (from the list-order indexes alone), then those rows: a street's first page would
            // otherwise read every member of the street from the table to sort them.
            ids = await page.Select(m => m.Id).ToListAsync(ct);
        }
        var found = await members.Where(m => ids.Contains(m.Id))
            .Select(m => new { m.Id, m.Name, m.Gender, m.BirthDate, m.OrganizationId, OrgName = m.Organization!.Name, m.State, m.Status, m.IdNumberMasked, m.PhoneMasked, m.JoinedOn, m.FullMemberOn })
            .ToDictionaryAsync(m => m.Id, ct);
        var rows = ids.Where(found.ContainsKey).Select(id => found[id]);
        return new PagedList<MemberSummary>(rows.Select(m => new MemberSummary(m.Id, m.Name, m.Gender, m.Gender.ToChinese(), MemberRules.Age(m.BirthDate, today),
            m.OrganizationId, m.OrgName, m.State, m.State.ToChinese(), m.Status, m.Status.ToChinese(), m.IdNumberMasked, m.PhoneMasked, m.JoinedOn,
            MemberRules.PartyAge(m.State, m.FullMemberOn, today))).ToList(), total, f.Page, f.PageSize, lowerBound);
    }

    /// <summary>PostgreSQL: the readable members whose names contain <paramref name="text"/>, as rows of the name-character table
    /// (<see cref="MemberNameChar"/>): the range of the text's first character, the whole text matched in the index's name column,
    /// the scope and the organization filter by the rows' organizations. Index-only for the count and the page, in list order.</summary>
    private static async Task<IQueryable<MemberNameChar>> ByNameCharacterAsync(JicengDbContext db, string text, string? orgPath, CancellationToken ct)
    {
        var first = MemberConfiguration.NameCharacters(text)[0];
        var rows = db.MemberNameChars.AsNoTracking().Where(c => c.Character == first);
        if (text.Length > first.Length) rows = rows.Where(c => c.Name.Contains(text));
        // The organizations' own query filter is the member scope's (a member is readable where its organization is).
        if (!await db.ReadsWholeTreeAsync(ct))
        {
            var readable = db.Organizations.Select(o => o.Id);
            rows = rows.Where(c => readable.Contains(c.OrganizationId));
        }
        if (orgPath is not null)
        {
            var subtree = db.Organizations.IgnoreQueryFilters().InSubtree(orgPath, o => o.Path).Select(o => o.Id);
            rows = rows.Where(c => subtree.Contains(c.OrganizationId));
        }
        return rows;
    }

    /// <summary>Whether the query filters by nothing but its text and organization (paging aside): what the name-character table
    /// holds. A filter added to <see cref="MemberQuery"/> later makes this false until the table serves it too.</summary>
    private static bool FiltersByNameAndOrganizationOnly(MemberQuery f) => f with { Q = null, OrgId = null, Page = 1, PageSize = Paging.DefaultPageSize } == new MemberQuery();

    /// <summary>Whether <see cref="Filter"/> looks for text inside names (not a prefix of the pinyin initials).</summary>
    private static bool IsNameContainsSearch(MemberQuery f) => !string.IsNullOrWhiteSpace(f.Q) && !PinyinInitials.LooksLikeInitials(f.Q.Trim());

    /// <summary>The list's order: pinyin initials, then name, then id (stable), served by the (initials, name, id) index.</summary>
    public static IOrderedQueryable<Member> InListOrder(IQueryable<Member> q) =>
        q.OrderBy(m => m.NameInitials).ThenBy(m => m.Name).ThenBy(m => m.Id);

    public async Task<MemberDetail?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var m = await db.Members.AsNoTracking().Include(x => x.Organization).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (m is null) return null;
        string? residence = m.ResidenceCommunityId is { } r
            ? await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == r).Select(o => o.Name).FirstOrDefaultAsync(ct) : null;
        var suspensions = await db.MemberSuspensions.AsNoTracking().Where(x => x.MemberId == id)
            .OrderByDescending(x => x.SuspendedOn).ThenByDescending(x => x.CreatedAt).ToListAsync(ct);
        return ToDetail(m, residence, clock.Today(), suspensions);
    }

    /// <summary>The detail; the suspension's outcome fields are those of the latest suspension (none while it is open).</summary>
    public static MemberDetail ToDetail(Member m, string? residence, DateOnly today, IReadOnlyList<MemberSuspension> suspensions)
    {
        var last = suspensions.FirstOrDefault();
        return new(m.Id, m.Name, m.NameInitials, m.Gender, m.Gender.ToChinese(), m.Ethnicity, m.BirthDate, MemberRules.Age(m.BirthDate, today),
            m.IdNumberMasked, m.PhoneMasked, m.Education, m.Education.ToChinese(), m.Occupation, m.Occupation.ToChinese(), m.WorkUnit, m.HomeAddress,
            m.ResidenceCommunityId, residence, m.OrganizationId, m.Organization?.Name ?? "", m.State, m.State.ToChinese(), m.JoinedOn, m.FullMemberOn,
            MemberRules.PartyAge(m.State, m.FullMemberOn, today), MemberRules.NextAnniversary(m.JoinedOn, today), m.Status, m.Status.ToChinese(),
            m.CreatedAt, m.UpdatedAt, m.SuspendedOn,
            m.Status == MemberStatus.Suspended && m.SuspendedOn is { } since ? SuspensionRule.DecisionDueOn(since) : null,
            last?.Outcome, last?.Outcome?.ToChinese(), last?.DecidedOn, last?.Review,
            suspensions.Select(x => new SuspensionRecord(x.Id, x.SuspendedOn, x.LostContactSince, x.Reason, x.RecordedBy, x.Outcome, x.Outcome?.ToChinese(),
                x.DecidedOn, x.Review, x.DecidedBy)).ToList());
    }

    /// <summary>Validates an input against the rules and the database (organization in scope, unique ID number).
    /// Field names are the API's; the import maps them to its columns.</summary>
    /// <param name="returning">A former member's registry row that is coming back (<see cref="ReturnAsync"/>): the input is
    /// checked as a new record, except that this row may hold the ID number.</param>
    public async Task<FieldErrors> ValidateAsync(JicengDbContext db, MemberInput input, Member? existing, DateOnly today, CancellationToken ct,
        Member? returning = null)
    {
        var e = new FieldErrors()
            .Required("name", input.Name, "姓名").MaxLength("name", input.Name?.Trim(), MemberConfiguration.NameMaxLength, "姓名")
            .MaxLength("ethnicity", input.Ethnicity, 20, "民族").MaxLength("workUnit", input.WorkUnit, 100, "工作单位")
            .MaxLength("homeAddress", input.HomeAddress, 200, "家庭住址");
        DateOnly? birth = input.BirthDate;
        if (existing is null || !string.IsNullOrWhiteSpace(input.IdNumber))
        {
            if (IdCardNumber.Validate(input.IdNumber, today) is { } idError) e.Add("idNumber", idError);
            else
            {
                var normalized = IdCardNumber.Normalize(input.IdNumber!);
                var idBirth = IdCardNumber.BirthDate(normalized)!.Value;
                if (birth is { } b && b != idBirth) e.Add("birthDate", "出生日期与身份证号不一致");
                birth ??= idBirth;
                var idGender = (normalized[16] - '0') % 2 == 1 ? Gender.Male : Gender.Female;
                if (input.Gender is { } g && g != idGender) e.Add("gender", "性别与身份证号不一致");
                var hash = protector.Hash(normalized, ProtectedKind.IdNumber);
                var existingId = existing?.Id ?? returning?.Id;
                if (await db.Members.IgnoreQueryFilters().AnyAsync(m => m.IdNumberHash == hash && m.Id != existingId, ct))
                    e.Add("idNumber", "该身份证号已登记为党员");
            }
        }
        birth ??= existing?.BirthDate;
        if (input.Phone is { Length: > 0 } phone && !System.Text.RegularExpressions.Regex.IsMatch(FieldProtector.Normalize(phone, ProtectedKind.Phone), @"^1\d{10}$"))
            e.Add("phone", "手机号应为11位数字，以1开头");
        if (input.Gender is { } gv && !Enum.IsDefined(gv)) e.Add("gender", "性别无效");
        if (input.Occupation is null) e.Add("occupation", "请选择职业类别");
        if (input.State is null) e.Add("state", "请选择党员类别（预备党员/正式党员）");
        if (input.JoinedOn is null) e.Add("joinedOn", "请填写入党日期");
        if (input.Status == MemberStatus.TransferredOut && existing?.Status != MemberStatus.TransferredOut)
            e.Add("status", "“转出”状态由组织关系转接产生，不能直接设置");
        // 出党 follows a recorded 劝退 or 除名 (the appraisal follow-up), approved above; it is neither set nor undone here.
        if (input.Status == MemberStatus.LeftParty && existing?.Status != MemberStatus.LeftParty)
            e.Add("status", "“出党”状态由不合格党员的处置（劝其退党、除名）产生，不能直接设置");
        if (existing?.Status == MemberStatus.LeftParty && input.Status is { } left && left != MemberStatus.LeftParty)
            e.Add("status", "该党员已出党（劝其退党或除名），状态不能修改；重新入党须按发展党员程序办理");
        if (input.Status == MemberStatus.ProbationCancelled && existing?.Status != MemberStatus.ProbationCancelled)
            e.Add("status", "“取消预备党员资格”由发展党员记录办理（支部大会讨论通过、上级党组织批准），不能直接设置");
        if (existing?.Status == MemberStatus.ProbationCancelled && input.Status is { } cs && cs != MemberStatus.ProbationCancelled)
            e.Add("status", "已取消预备党员资格，不能恢复；本人可重新申请入党");
        // 停止党籍 has one checked path (SuspendAsync: more than 6 months without contact, the dates and the reason recorded).
        if (input.Status == MemberStatus.Suspended && existing?.Status != MemberStatus.Suspended)
            e.Add("status", "停止党籍请通过党员信息页的“停止党籍”办理（须核对失去联系超过6个月，并填写决定日期和理由），不能在修改党员信息时直接设置");
        // A suspended member comes back only through the organization's review (恢复党籍), recorded with its text and date.
        if (existing?.Status == MemberStatus.Suspended && input.Status is { } back && PartyMembership.IsCurrent(back))
            e.Add("status", "停止党籍的党员恢复党籍，请经党组织审查后通过“恢复党籍”办理");
        // 流动 follows the mobile-member registration, so the status and the register never disagree.
        if (input.Status == MemberStatus.Mobile && existing?.Status != MemberStatus.Mobile)
            e.Add("status", "“流动”状态请通过流动党员登记设置");
        if (existing?.Status == MemberStatus.Mobile && input.Status is { } ns && ns != MemberStatus.Mobile)
            e.Add("status", "流动党员返回请在流动党员登记中办理“结束流动”");
        if (input.OrganizationId is not { } orgId) e.Add("organizationId", "请选择所在党组织");
        else
        {
            var org = await db.Organizations.AsNoTracking().Where(o => o.Id == orgId).Select(o => new { o.Kind, o.Status }).FirstOrDefaultAsync(ct);
            if (org is null) e.Add("organizationId", "党组织不存在");
            else if (!CanHoldMembers(org.Kind)) e.Add("organizationId", "党员应编入党支部或党小组");
            else if (org.Status == OrganizationStatus.Archived) e.Add("organizationId", "该党组织已撤销");
            else if (existing is not null && existing.OrganizationId != orgId)
                e.Add("organizationId", "变更所在党组织请办理组织关系转接");
        }
        if (input.ResidenceCommunityId is { } rc && !await db.Organizations.IgnoreQueryFilters()
                .AnyAsync(o => o.Id == rc && (o.Kind == OrganizationKind.CommunityCommittee || o.Kind == OrganizationKind.GeneralBranch), ct))
            e.Add("residenceCommunityId", "居住社区不存在");
        if (birth is { } bd && input.State is { } s && input.JoinedOn is { } j && input.Occupation is { } occ)
            foreach (var (field, message) in MemberRules.Check(s, bd, j, input.FullMemberOn, occ, today)) e.Add(field, message);
        return e;
    }

    /// <summary>Applies a validated input to an entity (new or existing).</summary>
    public void Apply(Member m, MemberInput input, DateTimeOffset now)
    {
        m.Name = input.Name!.Trim();
        m.NameInitials = PinyinInitials.Of(m.Name);
        m.Ethnicity = string.IsNullOrWhiteSpace(input.Ethnicity) ? "汉族" : input.Ethnicity.Trim();
        if (!string.IsNullOrWhiteSpace(input.IdNumber))
        {
            var normalized = IdCardNumber.Normalize(input.IdNumber);
            var p = protector.Protect(normalized, ProtectedKind.IdNumber);
            (m.IdNumberCipher, m.IdNumberHash, m.IdNumberMasked) = (p.Cipher, p.Hash, p.Masked);
            m.BirthDate = IdCardNumber.BirthDate(normalized)!.Value;
            m.Gender = (normalized[16] - '0') % 2 == 1 ? Gender.Male : Gender.Female;
        }
        if (input.Phone is { Length: > 0 } phone)
        {
            var p = protector.Protect(phone, ProtectedKind.Phone);
            (m.PhoneCipher, m.PhoneHash, m.PhoneMasked) = (p.Cipher, p.Hash, p.Masked);
            m.PhoneTail = p.Masked[^4..];
        }
        else if (input.Phone is not null)
        {
            (m.PhoneCipher, m.PhoneHash, m.PhoneMasked, m.PhoneTail) = (null, null, null, null);
        }
        m.Education = input.Education ?? Education.Unknown;
        m.Occupation = input.Occupation!.Value;
        m.WorkUnit = input.WorkUnit?.Trim();
        m.HomeAddress = input.HomeAddress?.Trim();
        m.ResidenceCommunityId = input.ResidenceCommunityId;
        m.OrganizationId = input.OrganizationId!.Value;
        m.State = input.State!.Value;
        m.JoinedOn = input.JoinedOn!.Value;
        m.JoinedMonthDay = m.JoinedOn.Month * 100 + m.JoinedOn.Day;
        m.FullMemberOn = input.FullMemberOn;
        m.Status = input.Status ?? MemberStatus.Normal;
        m.UpdatedAt = now;
    }

    /// <summary>The registry row of the person with this ID number, wherever it is (a person has one row; the ID number's
    /// keyed hash is unique). Read past the scope to find a former member coming back; nothing of it is shown.</summary>
    public static async Task<Member?> FindByIdNumberHashAsync(JicengDbContext db, string idNumberHash, CancellationToken ct) =>
        await db.Members.IgnoreQueryFilters().FirstOrDefaultAsync(m => m.IdNumberHash == idNumberHash, ct);

    /// <summary>
    /// A former member's row comes back onto the roll (readmission after 出党 or a cancelled probation, or a letter from outside
    /// after an earlier 转出): the input is validated as a new record would be, then applied to the row, so the person keeps
    /// one row with its history (dues, registrations, timeline) instead of a duplicate. The home address and residence stay
    /// unless the input gives them. The row may sit in an organization outside the caller's scope (where it was left); the
    /// move into the caller's organization is authorized for this row explicitly (<see cref="JicengDbContext.AuthorizeMoveIn"/>),
    /// the caller having found what authorizes it. Empty errors when applied; the caller saves.
    /// </summary>
    public async Task<FieldErrors> ReturnAsync(JicengDbContext db, MemberInput input, Member former, DateOnly today, CancellationToken ct)
    {
        if (PartyMembership.IsCurrent(former.Status)) throw new InvalidOperationException("A current member does not return.");
        input.HomeAddress ??= former.HomeAddress;
        input.ResidenceCommunityId ??= former.ResidenceCommunityId;
        var errors = await ValidateAsync(db, input, null, today, ct, returning: former);
        if (errors.Any) return errors;
        Apply(former, input, clock.GetUtcNow());
        db.AuthorizeMoveIn(former);
        return errors;
    }

    public async Task<Outcome<MemberDetail>> CreateAsync(MemberInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var errors = await ValidateAsync(db, input, null, clock.Today(), ct);
        if (errors.Any) return errors;
        var now = clock.GetUtcNow();
        var m = new Member { Id = Guid.CreateVersion7(now), Name = "", CreatedAt = now };
        Apply(m, input, now);
        db.Members.Add(m);
        await db.SaveChangesAsync(ct);
        return (await GetAsync(m.Id, ct))!;
    }

    public async Task<Outcome<MemberDetail>> UpdateAsync(Guid id, MemberInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var m = await db.Members.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (m is null) return Outcome<MemberDetail>.Missing;
        var today = clock.Today();
        var errors = await ValidateAsync(db, input, m, today, ct);
        if (errors.Any) return errors;
        var wasCurrent = PartyMembership.IsCurrent(m.Status);
        var wasSuspended = m.Status == MemberStatus.Suspended;
        Apply(m, input, clock.GetUtcNow());
        // 已故 recorded by hand: the member leaves the roll today, with what ends with it, in the same save.
        if (wasCurrent && !PartyMembership.IsCurrent(m.Status))
        {
            await MembershipChanges.LeaveRollAsync(db, m, m.Status, today, "member.leave", ct);
        }
        // A suspended person recorded as 已故 (the only status the edit allows from 停止党籍): the open suspension ends with the
        // membership, so the history shows it closed and no decision or date alert stays open.
        if (wasSuspended && m.Status == MemberStatus.Deceased)
        {
            await CloseSuspensionAsync(db, m, SuspensionOutcome.Died, today, "党员信息登记为已故，停止党籍随之终止", ct);
            await MembershipChanges.ResolveMemberAlertsAsync(db, m, clock.GetUtcNow(), ct);
        }
        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct))!;
    }

    /// <summary>
    /// 停止党籍, the one checked path (the record's edit refuses the status): a current member who has lost contact for more than
    /// 6 months on the decision date (<see cref="SuspensionRule.CheckSuspension"/>) is suspended on that date. A history row is
    /// added (<see cref="MemberSuspension"/>), <see cref="Member.SuspendedOn"/> copies its date for the 2-year alert, and the
    /// member leaves the roll (<see cref="MembershipChanges.LeaveRollAsync"/>, audited <c>member.suspend</c>), in one save.
    /// For a member suspended before the date was recorded it records the date instead (补录, audited
    /// <c>member.suspension-date</c>), which resolves the 停止党籍日期未登记 alert and starts the 2-year count.
    /// </summary>
    public async Task<Outcome<MemberDetail>> SuspendAsync(Guid id, SuspensionInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var m = await db.Members.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (m is null) return Outcome<MemberDetail>.Missing;
        var today = clock.Today();
        var e = new FieldErrors();
        foreach (var (field, message) in SuspensionRule.CheckSuspension(m.Status, m.SuspendedOn, m.JoinedOn, input.LostContactSince, input.DecidedOn,
                     input.Reason, today, await LatestRecordedContactAsync(db, id, ct)))
            e.Add(field, message);
        if (e.Any) return e;
        var now = clock.GetUtcNow();
        var on = input.DecidedOn!.Value;
        db.MemberSuspensions.Add(new MemberSuspension
        {
            Id = Guid.CreateVersion7(now), MemberId = m.Id, OrganizationId = m.OrganizationId, LostContactSince = input.LostContactSince,
            SuspendedOn = on, Reason = string.IsNullOrWhiteSpace(input.Reason) ? null : input.Reason.Trim(), RecordedBy = db.Actor.UserName,
            CreatedAt = now, UpdatedAt = now,
        });
        m.SuspendedOn = on;
        if (m.Status == MemberStatus.Suspended)
        {
            m.UpdatedAt = now;
            db.AuditAs(m, "member.suspension-date");
            await ResolveAlertsAsync(db, m, SuspensionDateMissingRule.AlertCode, now, ct);
        }
        else await MembershipChanges.LeaveRollAsync(db, m, MemberStatus.Suspended, on, "member.suspend", ct);
        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct))!;
    }

    /// <summary>
    /// The latest contact with the member the organization has on record: a 流动党员 registration's 最近联系 (any of the member's
    /// registrations) or an earlier 恢复党籍 (the member was there to be reviewed). A suspension whose lost-contact date lies
    /// before it is refused rather than moved to it: the branch secretary types the date from the file, and a date changed
    /// behind their back could turn an allowed suspension into one the 6-month rule forbids. The page offers this date as the
    /// default instead (<see cref="SuspensionDefaultsAsync"/>).
    /// </summary>
    private static async Task<RecordedContact?> LatestRecordedContactAsync(JicengDbContext db, Guid memberId, CancellationToken ct)
    {
        var mobile = await db.MobileRegistrations.AsNoTracking().Where(r => r.MemberId == memberId)
            .MaxAsync(r => (DateOnly?)r.LastContactOn, ct);
        var restored = await db.MemberSuspensions.AsNoTracking().Where(x => x.MemberId == memberId && x.Outcome == SuspensionOutcome.Restored)
            .MaxAsync(x => x.DecidedOn, ct);
        if (mobile is null && restored is null) return null;
        return (mobile ?? DateOnly.MinValue) >= (restored ?? DateOnly.MinValue)
            ? new RecordedContact(mobile!.Value, "流动党员登记") : new RecordedContact(restored!.Value, "恢复党籍的决定");
    }

    /// <summary>What the 停止党籍 form starts with: the latest recorded contact (<see cref="LatestRecordedContactAsync"/>), if any.</summary>
    public async Task<RecordedContact?> SuspensionDefaultsAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        return await LatestRecordedContactAsync(db, id, ct);
    }

    /// <summary>Closes the member's open suspension (at most one: a unique index) with the outcome, its date and text; the
    /// member then has no open suspension date.</summary>
    private async Task CloseSuspensionAsync(JicengDbContext db, Member m, SuspensionOutcome outcome, DateOnly on, string review, CancellationToken ct)
    {
        if (await db.MemberSuspensions.FirstOrDefaultAsync(x => x.MemberId == m.Id && x.Outcome == null, ct) is { } open)
            (open.Outcome, open.DecidedOn, open.Review, open.DecidedBy, open.UpdatedAt) = (outcome, on, review, db.Actor.UserName, clock.GetUtcNow());
        m.SuspendedOn = null;
    }

    private static async Task ResolveAlertsAsync(JicengDbContext db, Member m, string ruleCode, DateTimeOffset now, CancellationToken ct)
    {
        var subject = m.Id.ToString();
        foreach (var alert in await db.Alerts.Where(a => a.RuleCode == ruleCode && a.SubjectId == subject && a.ResolvedAt == null).ToListAsync(ct))
            alert.ResolvedAt = now;
    }

    /// <summary>
    /// 恢复党籍: the member's organization has reviewed a suspended member who came back and asked (<see cref="SuspensionRule"/>), and
    /// restores the membership: status 正常 again, the decision's date and review text kept on the record, audited
    /// <c>member.restore</c>, the open suspension alert resolved. What ended with the suspension stays ended (mobile registration,
    /// 双报到, committee seats); dues are owed again once the branch records a new base (the old one ended on leaving the roll).
    /// </summary>
    public Task<Outcome<MemberDetail>> RestoreAsync(Guid id, SuspensionDecisionInput input, CancellationToken ct = default) =>
        DecideSuspensionAsync(id, input, SuspensionOutcome.Restored, ct);

    /// <summary>除名 of a suspended member who still cannot be contacted, or who came back and no longer meets the conditions
    /// (<see cref="SuspensionRule"/>): status 出党 through <see cref="MembershipChanges.LeaveRollAsync"/> on the decision date,
    /// audited <c>member.remove</c>, with the decision text kept on the record.</summary>
    public Task<Outcome<MemberDetail>> RemoveAsync(Guid id, SuspensionDecisionInput input, CancellationToken ct = default) =>
        DecideSuspensionAsync(id, input, SuspensionOutcome.Removed, ct);

    private async Task<Outcome<MemberDetail>> DecideSuspensionAsync(Guid id, SuspensionDecisionInput input, SuspensionOutcome outcome, CancellationToken ct)
    {
        await using var db = await dbs.CreateAsync(ct);
        var m = await db.Members.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (m is null) return Outcome<MemberDetail>.Missing;
        var today = clock.Today();
        var e = new FieldErrors();
        foreach (var (field, message) in SuspensionRule.CheckDecision(m.Status, m.SuspendedOn, input.DecidedOn, input.Review, today, outcome)) e.Add(field, message);
        if (e.Any) return e;
        var on = input.DecidedOn!.Value;
        // The open suspension (CheckDecision asks for the date first, so there is one), closed by the decision.
        await CloseSuspensionAsync(db, m, outcome, on, input.Review!.Trim(), ct);
        if (outcome == SuspensionOutcome.Removed)
        {
            await MembershipChanges.LeaveRollAsync(db, m, MemberStatus.LeftParty, on, "member.remove", ct);
        }
        else
        {
            m.Status = MemberStatus.Normal;
            m.UpdatedAt = clock.GetUtcNow();
            db.AuditAs(m, "member.restore");
            await ResolveAlertsAsync(db, m, SuspensionRule.AlertCode, m.UpdatedAt, ct);
        }
        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct))!;
    }

    /// <summary>Full ID number and phone for a role allowed to see them (checked by the caller), audited.</summary>
    public async Task<RevealedMember?> RevealAsync(Guid id, CancellationToken ct = default)
    {
        // Checked here as well as by the endpoint, so no page or future caller can reveal without the role.
        if (!await user.IsInAnyRoleAsync(Domain.Identity.Roles.ProtectedFieldRevealers)) return null;
        await using var db = await dbs.CreateAsync(ct);
        var m = await db.Members.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (m is null) return null;
        var idNumber = protector.Decrypt(m.IdNumberCipher);
        var phone = m.PhoneCipher is null ? null : protector.Decrypt(m.PhoneCipher);
        db.Audit(Data.Audit.AuditActions.Reveal, nameof(Member), m.Id.ToString(), m.OrganizationId, details: new { fields = new[] { "idNumber", "phone" } });
        await db.SaveChangesAsync(ct);
        return new RevealedMember(idNumber, phone);
    }
}
