using Jiceng.Data;
using Jiceng.Data.Scope;
using Jiceng.Data.Protection;
using Jiceng.Domain.Development;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Domain.Security;
using Jiceng.Domain.Settings;
using Jiceng.Web.Features.Members;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Features.Settings;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using K = Jiceng.Domain.Development.DevelopmentStepKind;

namespace Jiceng.Web.Features.Development;

/// <summary>发展党员: the records, their steps and the checks, shared by the API and the pages. Scope is applied by the
/// context; admission and 转正 change the member registry in the same transaction as the step, through the registry's
/// own validation (<see cref="MemberService.ValidateAsync"/>).</summary>
public sealed class DevelopmentService(ScopedDbFactory dbs, FieldProtector protector, TimeProvider clock, MemberService members)
{
    public const string Noun = "发展党员记录";

    public static readonly DevelopmentStage[] BoardStages = [DevelopmentStage.Applicant, DevelopmentStage.Activist, DevelopmentStage.Candidate, DevelopmentStage.Probationary];

    // ---------------------------------------------------------------- board

    public async Task<Outcome<DevelopmentBoard>> ListAsync(DevelopmentQuery f, CancellationToken ct = default)
    {
        var errors = Paging.Check(f.Page, f.PageSize);
        if (f.Q is { Length: > 50 }) errors.Add("q", "查询内容不能超过50个字符");
        if (f.Status is { } fs && !Enum.IsDefined(fs)) errors.Add("status", "状态无效");
        if (errors.Any) return errors;
        await using var db = await dbs.CreateAsync(ct);
        var records = db.DevelopmentRecords.AsNoTracking();
        if (f.OrgId is { } orgId)
        {
            var path = await db.Organizations.Where(o => o.Id == orgId).Select(o => o.Path).FirstOrDefaultAsync(ct);
            if (path is null) return Outcome<DevelopmentBoard>.Missing;
            records = records.InSubtree(path, r => r.Organization!.Path);
        }
        var today = clock.Today();
        var soon = today.AddDays(DevelopmentProcedure.DueSoonDays);
        var yearStart = new DateOnly(today.Year, 1, 1);
        // One aggregate query for every figure on the board.
        var groups = await records.GroupBy(r => new { r.Stage, r.Status }).Select(g => new
        {
            g.Key.Stage, g.Key.Status, Count = g.Count(),
            Overdue = g.Count(r => r.NextDueOn < today),
            DueSoon = g.Count(r => r.NextDueOn >= today && r.NextDueOn <= soon),
            Admitted = g.Count(r => r.ApprovedOn >= yearStart),
            Confirmed = g.Count(r => r.FullMemberOn >= yearStart),
        }).ToListAsync(ct);
        var active = groups.Where(g => g.Status == DevelopmentStatus.Active).ToList();
        var stages = BoardStages.Select(s => active.Where(g => g.Stage == s).ToList())
            .Select((g, i) => new StageCount(BoardStages[i], BoardStages[i].StageName(), g.Sum(x => x.Count), g.Sum(x => x.DueSoon), g.Sum(x => x.Overdue))).ToList();

        var wanted = f.Status ?? DevelopmentStatus.Active;
        var listed = groups.Where(g => g.Status == wanted).ToList();
        var page = records.Where(r => r.Status == wanted);
        if (f.Stage is { } st) page = page.Where(r => r.Stage == st);
        if (!string.IsNullOrWhiteSpace(f.Q))
        {
            var text = f.Q.Trim();
            var initials = text.ToLowerInvariant();
            page = PinyinInitials.LooksLikeInitials(text) ? page.Where(r => r.NameInitials.StartsWith(initials) || r.Name.Contains(text)) : page.Where(r => r.Name.Contains(text));
        }
        var total = f.Stage is null && string.IsNullOrWhiteSpace(f.Q) ? listed.Sum(g => g.Count)
            : f.Stage is { } s2 && string.IsNullOrWhiteSpace(f.Q) ? listed.Where(g => g.Stage == s2).Sum(g => g.Count) : await page.CountAsync(ct);
        var rows = await page.OrderBy(r => r.NextDueOn == null).ThenBy(r => r.NextDueOn).ThenBy(r => r.Name).ThenBy(r => r.Id)
            .Skip((f.Page - 1) * f.PageSize).Take(f.PageSize)
            .Select(r => new { r.Id, r.Name, r.Gender, r.BirthDate, r.OrganizationId, OrgName = r.Organization!.Name, r.Stage, r.AppliedOn, r.NextDueOn, r.NextDueStep })
            .ToListAsync(ct);
        var items = rows.Select(r => new DevelopmentSummary(r.Id, r.Name, r.Gender.ToChinese(), MemberRules.Age(r.BirthDate, today), r.OrganizationId, r.OrgName,
            r.Stage, r.Stage.StageName(), r.AppliedOn, r.NextDueOn, r.NextDueStep, r.NextDueStep is { } k ? DevelopmentProcedure.Info(k).Name : null,
            r.NextDueOn is not { } due ? null : due < today ? "overdue" : due <= soon ? "due-soon" : null)).ToList();
        return new DevelopmentBoard(stages, groups.Sum(g => g.Admitted), groups.Sum(g => g.Confirmed), items, total, f.Page, f.PageSize);
    }

    // ---------------------------------------------------------------- application

    public async Task<StepOutcome> CreateAsync(ApplicationInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var today = clock.Today();
        var e = new FieldErrors()
            .Required("name", input.Name, "姓名").MaxLength("name", input.Name?.Trim(), Data.Configurations.MemberConfiguration.NameMaxLength, "姓名")
            .MaxLength("ethnicity", input.Ethnicity, 20, "民族").MaxLength("workUnit", input.WorkUnit, 100, "工作单位")
            .MaxLength("documents", input.Documents, 500, "材料").MaxLength("note", input.Note, 500, "备注");
        string? idNumber = null;
        if (IdCardNumber.Validate(input.IdNumber, today) is { } idError) e.Add("idNumber", idError);
        else
        {
            idNumber = IdCardNumber.Normalize(input.IdNumber!);
            var hash = protector.Hash(idNumber, ProtectedKind.IdNumber);
            // Deliberately across the scope: a person already in the registry, or under way elsewhere, is one person.
            var registered = await db.Members.IgnoreQueryFilters().Where(m => m.IdNumberHash == hash).Select(m => (MemberStatus?)m.Status).FirstOrDefaultAsync(ct);
            // A former member (取消预备党员资格, 出党) may apply again (PartyMembership.MayApplyAgain); on admission the
            // registry row is reused (AdmitAsync). A current member, one transferred out, or a suspended one (恢复党籍 instead) may not.
            if (PartyMembership.ApplicationRefusal(registered) is { } refusal) e.Add("idNumber", refusal);
            else if (await db.DevelopmentRecords.IgnoreQueryFilters().AnyAsync(r => r.IdNumberHash == hash && r.Status == DevelopmentStatus.Active, ct))
                e.Add("idNumber", "该申请人已有正在办理的发展党员记录");
            // A new application follows the end of the earlier one: its date lies after the earlier record's last step.
            else if (input.AppliedOn is { } applied && await db.DevelopmentRecords.IgnoreQueryFilters().Where(r => r.IdNumberHash == hash)
                         .SelectMany(r => r.Steps).MaxAsync(s => (DateOnly?)s.OccurredOn, ct) is { } earlier && applied <= earlier)
                e.Add("appliedOn", $"该申请人此前的发展党员记录办理至{earlier:yyyy年M月d日}，新的入党申请日期应晚于该日");
        }
        if (input.Phone is { Length: > 0 } phone && !System.Text.RegularExpressions.Regex.IsMatch(FieldProtector.Normalize(phone, ProtectedKind.Phone), @"^1\d{10}$"))
            e.Add("phone", "手机号应为11位数字，以1开头");
        if (input.Occupation is not { } occupation || !Enum.IsDefined(occupation)) e.Add("occupation", "请选择职业类别");
        if (input.AppliedOn is not { } appliedOn) e.Add("appliedOn", "请填写收到入党申请书的日期");
        else if (appliedOn > today) e.Add("appliedOn", "申请日期不能晚于今天");
        if (input.OrganizationId is not { } orgId) e.Add("organizationId", "请选择党支部");
        else
        {
            var org = await db.Organizations.AsNoTracking().Where(o => o.Id == orgId).Select(o => new { o.Kind, o.Status }).FirstOrDefaultAsync(ct);
            if (org is null) e.Add("organizationId", "党组织不存在");
            else if (!org.Kind.IsBranchLike()) e.Add("organizationId", "入党申请应向党支部提出");
            else if (org.Status == OrganizationStatus.Archived) e.Add("organizationId", "该党组织已撤销");
        }
        if (e.Any) return new StepOutcome(null, e);

        var birth = IdCardNumber.BirthDate(idNumber!)!.Value;
        var settings = await SettingsService.LoadAsync(db, ct);
        var now = clock.GetUtcNow();
        var record = new DevelopmentRecord
        {
            Id = Guid.CreateVersion7(now), OrganizationId = input.OrganizationId!.Value, Name = input.Name!.Trim(), BirthDate = birth,
            Gender = (idNumber![16] - '0') % 2 == 1 ? Gender.Male : Gender.Female,
            Ethnicity = string.IsNullOrWhiteSpace(input.Ethnicity) ? "汉族" : input.Ethnicity.Trim(),
            Education = input.Education ?? Education.Unknown, Occupation = input.Occupation!.Value, WorkUnit = input.WorkUnit?.Trim(),
            AppliedOn = input.AppliedOn!.Value, LeavingOn = input.LeavingOn, CreatedAt = now, UpdatedAt = now,
        };
        record.NameInitials = PinyinInitials.Of(record.Name);
        var p = protector.Protect(idNumber, ProtectedKind.IdNumber);
        (record.IdNumberCipher, record.IdNumberHash, record.IdNumberMasked) = (p.Cipher, p.Hash, p.Masked);
        if (input.Phone is { Length: > 0 } ph)
        {
            var pp = protector.Protect(ph, ProtectedKind.Phone);
            (record.PhoneCipher, record.PhoneHash, record.PhoneMasked) = (pp.Cipher, pp.Hash, pp.Masked);
        }
        var book = DevelopmentRuleBook.InForce(record.AppliedOn, settings.Get(SettingDefinitions.DevelopmentRuleVersion));
        var step = new DevelopmentStep
        {
            Id = Guid.CreateVersion7(now), RecordId = record.Id, Kind = K.Application, OccurredOn = record.AppliedOn,
            Documents = string.IsNullOrWhiteSpace(input.Documents) ? "入党申请书" : input.Documents.Trim(), Note = input.Note?.Trim(),
            RuleVersion = book.Version, RecordedBy = db.Actor.UserName, RecordedAt = now,
        };
        var violations = DevelopmentProcedure.Evaluate(Facts(record), new DevelopmentProgress(), step, null,
            settings.Get(SettingDefinitions.CandidatePublicNoticeWorkingDays), book, today);
        if (Refusal(violations) is { } refused) return refused;
        record.Steps.Add(step);
        Refresh(record);
        db.DevelopmentRecords.Add(record);
        await db.SaveChangesAsync(ct);
        return new StepOutcome(await GetAsync(record.Id, ct));
    }

    // ---------------------------------------------------------------- record

    public async Task<DevelopmentDetail?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var r = await db.DevelopmentRecords.AsNoTracking().Include(x => x.Organization).Include(x => x.Steps).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null) return null;
        var settings = await SettingsService.LoadAsync(db, ct);
        return ToDetail(r, settings, clock.Today()) with { OtherApplications = await OtherApplicationsAsync(db, r, ct) };
    }

    private static readonly DevelopmentStepKind[] ClosureKinds = [K.Withdrawal, K.Termination, K.ProbationCancellation];

    /// <summary>The person's other records (same ID number hash), newest first. Read past the scope so a re-application shows
    /// what happened before wherever it was; only those the caller may read carry their id.</summary>
    private static async Task<List<OtherApplication>> OtherApplicationsAsync(JicengDbContext db, DevelopmentRecord r, CancellationToken ct)
    {
        var rows = await db.DevelopmentRecords.IgnoreQueryFilters().AsNoTracking().Where(x => x.IdNumberHash == r.IdNumberHash && x.Id != r.Id)
            .OrderByDescending(x => x.AppliedOn).ThenByDescending(x => x.Id).Take(20)
            .Select(x => new
            {
                x.Id, OrgName = x.Organization!.Name, x.AppliedOn, x.Stage, x.Status, x.ApprovedOn, x.FullMemberOn,
                Closure = x.Steps.Where(s => ClosureKinds.Contains(s.Kind)).Select(s => new { s.Kind, s.OccurredOn }).FirstOrDefault(),
            }).ToListAsync(ct);
        if (rows.Count == 0) return [];
        var ids = rows.Select(x => x.Id).ToList();
        var visible = (await db.DevelopmentRecords.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => x.Id).ToListAsync(ct)).ToHashSet();
        return rows.Select(x => new OtherApplication(visible.Contains(x.Id) ? x.Id : null, visible.Contains(x.Id), x.OrgName, x.AppliedOn, x.Stage,
            x.Stage.StageName(), x.Status, x.Status.ToChinese(), x.ApprovedOn, x.FullMemberOn, x.Closure?.Kind,
            x.Closure is { } c ? DevelopmentProcedure.ClosureName(c.Kind) : null, x.Closure?.OccurredOn)).ToList();
    }

    public static DevelopmentDetail ToDetail(DevelopmentRecord r, ISettingsReader settings, DateOnly today)
    {
        var facts = Facts(r);
        var progress = DevelopmentProgress.From(r.Steps);
        var adopted = settings.Get(SettingDefinitions.DevelopmentRuleVersion);
        var book = DevelopmentRuleBook.InForce(today, adopted);
        var deadlines = DevelopmentProcedure.Deadlines(facts, progress);
        var correctedBy = r.Steps.Where(s => s.CorrectsStepId is not null).ToDictionary(s => s.CorrectsStepId!.Value, s => s.Id);
        var timeline = DevelopmentProcedure.Steps.Select(info =>
        {
            var entries = DevelopmentProcedure.InOrder(r.Steps).Where(s => s.Kind == info.Kind).Select(s => ToEntry(s, correctedBy)).ToList();
            var blocked = DevelopmentProcedure.Blocked(info.Kind, progress, book);
            var byRule = DevelopmentProcedure.EarliestByRule(info.Kind, progress);
            var earliest = byRule?.On;
            // Order allows it, but a date rule does not yet (one year of training, the end of probation).
            if (blocked is null && byRule is { } br && br.On > today)
                blocked = new RuleViolation(br.Rule, book.Cite(br.Rule), $"{br.Rule.Name}，最早{br.On:yyyy-MM-dd}（依据：{book.Cite(br.Rule).Text}）", "occurredOn", info.Kind);
            var deadline = deadlines.Where(d => d.Step == info.Kind).OrderBy(d => d.DueOn).FirstOrDefault();
            var (state, name) = deadline is not null && blocked is null
                ? deadline.DueOn < today ? ("overdue", $"已逾期（应于{deadline.DueOn:yyyy-MM-dd}前）") : ("due", $"待办（应于{deadline.DueOn:yyyy-MM-dd}前）")
                : progress.IsDone(info.Kind) || (entries.Count > 0 && blocked is not null && entries.Any(x => x.Decision != StepDecision.Rejected && x.CorrectedBy is null)) ? ("done", "已完成")
                : blocked is null ? ("possible", "可办理")
                : ("blocked", "尚不能办理");
            return new TimelineStep(info.Number, info.Kind, info.Name, info.PhaseName, state, name, deadline?.DueOn, earliest,
                // A repeatable step that is done but cannot be recorded again says why too (so no control offers it).
                state == "blocked" || (state == "done" && info.Repeatable) ? blocked?.Message : null, info.Repeatable, info.BodyDecides, entries);
        }).ToList();
        var violations = DevelopmentProcedure.Check(facts, r.Steps, settings.Get(SettingDefinitions.CandidatePublicNoticeWorkingDays), adopted, today)
            .Select(v => v.ToView()).ToList();
        return new DevelopmentDetail(r.Id, r.Name, r.Gender.ToChinese(), MemberRules.Age(r.BirthDate, today), r.Ethnicity, r.IdNumberMasked, r.PhoneMasked,
            r.Education.ToChinese(), r.Occupation.ToChinese(), r.WorkUnit, r.OrganizationId, r.Organization?.Name ?? "",
            r.Stage, r.Stage.StageName(), r.Status, r.Status.ToChinese(), r.AppliedOn, r.ActivistOn, r.CandidateOn, r.VotedOn, r.ApprovedOn,
            r.ProbationEndsOn, r.FullMemberOn, r.LeavingOn, r.MemberId, book.Version, timeline, violations,
            progress.Closure is { } c ? ToClosure(c) : null, ClosuresAllowed(progress));
    }

    /// <summary>The closures the record's state allows now (for the record page's controls).</summary>
    private static IReadOnlyList<DevelopmentStepKind> ClosuresAllowed(DevelopmentProgress p) =>
        p.Status != DevelopmentStatus.Active ? [] :
        new[] { K.Withdrawal, K.Termination, K.ProbationCancellation }.Where(k => DevelopmentProcedure.ClosureAllowed(k, p.Stage)).ToList();

    private static ClosureView ToClosure(DevelopmentStep s) =>
        new(s.Id, s.Kind, DevelopmentProcedure.ClosureName(s.Kind), s.OccurredOn, s.DecidedOn, s.Actor, s.Reason, s.Documents,
            s.Entitled, s.Attending, s.VotesFor, s.VotesAgainst, s.VotesAbstaining, s.RuleVersion, s.RecordedBy, s.RecordedAt);

    private static StepEntry ToEntry(DevelopmentStep s, IReadOnlyDictionary<Guid, Guid> correctedBy) =>
        new(s.Id, s.OccurredOn, s.Actor, s.Documents, s.Note, s.Decision, s.Decision?.DecisionName(s.Kind), s.Method, s.PersonNames,
            s.Entitled, s.Attending, s.VotesFor, s.VotesAgainst, s.VotesAbstaining, s.TrainingDays, s.TrainingHours, s.NoticeFrom, s.NoticeTo,
            s.ApprovalExtended, s.ExtensionMonths, s.RuleVersion, s.RecordedBy, s.RecordedAt,
            s.CorrectsStepId, s.CorrectsStepId is null ? null : s.Reason, correctedBy.TryGetValue(s.Id, out var by) ? by : null);

    public static DevelopmentFacts Facts(DevelopmentRecord r) => new(r.BirthDate, r.AppliedOn, r.LeavingOn);

    /// <summary>Brings the record's stage, dates and next deadline in line with its steps.</summary>
    public static void Refresh(DevelopmentRecord r)
    {
        var p = DevelopmentProgress.From(r.Steps);
        r.Stage = p.Stage;
        r.Status = p.Status;
        (r.ActivistOn, r.CandidateOn, r.VotedOn, r.ApprovedOn, r.ProbationEndsOn, r.FullMemberOn) =
            (p.ActivistOn, p.CandidateOn, p.VotedOn, p.ApprovedOn, p.ProbationEndsOn, p.FullMemberOn);
        var next = DevelopmentProcedure.Deadlines(Facts(r), p).OrderBy(d => d.DueOn).FirstOrDefault();
        (r.NextDueOn, r.NextDueStep) = (next?.DueOn, next?.Step);
    }

    private static StepOutcome? Refusal(IEnumerable<RuleViolation> violations)
    {
        var blocking = violations.Where(v => v.Rule.Blocks).ToList();
        if (blocking.Count == 0) return null;
        var e = new FieldErrors();
        foreach (var v in blocking) e.Add(v.Field, v.Text);
        return new StepOutcome(null, e, blocking.Select(v => v.ToView()).ToList());
    }

    // ---------------------------------------------------------------- steps

    public async Task<StepOutcome> RecordStepAsync(Guid id, StepInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var r = await db.DevelopmentRecords.Include(x => x.Steps).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null) return new StepOutcome(null, NotFound: true);
        var today = clock.Today();
        var e = InputErrors(input);
        if (input.Kind is { } k0 && Enum.IsDefined(k0) && !DevelopmentProcedure.IsStep(k0))
            e.Add("kind", "撤回申请、取消资格请在“终止发展程序”中办理");
        if (e.Any) return new StepOutcome(null, e);

        var settings = await SettingsService.LoadAsync(db, ct);
        var now = clock.GetUtcNow();
        var (s, persons, personErrors) = await BuildStepAsync(db, r.Id, input, input.Kind!.Value, now, ct);
        if (personErrors is not null) return new StepOutcome(null, personErrors);
        if (input.LeavingOn is { } leaving) r.LeavingOn = leaving;
        var adopted = settings.Get(SettingDefinitions.DevelopmentRuleVersion);
        var book = DevelopmentRuleBook.InForce(s.OccurredOn, adopted);
        s.RuleVersion = book.Version;
        var before = DevelopmentProgress.From(r.Steps);
        var violations = DevelopmentProcedure.Evaluate(Facts(r), before, s, persons, settings.Get(SettingDefinitions.CandidatePublicNoticeWorkingDays), book, today);
        if (Refusal(violations) is { } refused) return refused;
        // The rules compute a vote's result from its counts.
        if (s.Kind == K.AdmissionVote) s.Decision = DevelopmentProcedure.VoteDecision(s, StepDecision.Approved);
        if (s.Kind == K.ConfirmationVote) s.Decision = DevelopmentProcedure.VoteDecision(s, s.Decision!.Value);

        r.Steps.Add(s);
        db.DevelopmentSteps.Add(s);
        var stageBefore = before.Stage;
        Refresh(r);
        r.UpdatedAt = now;
        if (s.Kind == K.AdmissionApproval && s.Decision == StepDecision.Approved)
        {
            if (await AdmitAsync(db, r, today, ct) is { } admitErrors) return new StepOutcome(null, admitErrors);
        }
        else if (s.Kind == K.ConfirmationApproval && r.Stage == DevelopmentStage.Full && stageBefore != DevelopmentStage.Full)
        {
            if (await ConfirmAsync(db, r, today, ct) is { } confirmErrors) return new StepOutcome(null, confirmErrors);
        }
        db.AuditAs(r, "development.step");
        await db.SaveChangesAsync(ct);
        return new StepOutcome(await GetAsync(r.Id, ct));
    }

    private static FieldErrors InputErrors(StepInput input)
    {
        var e = new FieldErrors()
            .MaxLength("actor", input.Actor, 100, "办理人").MaxLength("documents", input.Documents, 500, "材料")
            .MaxLength("note", input.Note, 500, "备注").MaxLength("method", input.Method, 50, "产生方式");
        if (input.Kind is not { } kind || !Enum.IsDefined(kind)) e.Add("kind", "请选择要办理的步骤");
        if (input.OccurredOn is null) e.Add("occurredOn", "请填写办理日期");
        if (input.Decision is { } d && !Enum.IsDefined(d)) e.Add("decision", "决定无效");
        if (input.PersonIds is { Count: > 5 }) e.Add("personIds", "人员过多");
        return e;
    }

    /// <summary>A step row from the input, with mentors or sponsors resolved against the registry (in scope).</summary>
    private static async Task<(DevelopmentStep Step, List<PersonRef>? Persons, FieldErrors? Errors)> BuildStepAsync(
        JicengDbContext db, Guid recordId, StepInput input, K kind, DateTimeOffset now, CancellationToken ct)
    {
        var s = new DevelopmentStep
        {
            Id = Guid.CreateVersion7(now), RecordId = recordId, Kind = kind, OccurredOn = input.OccurredOn!.Value,
            Actor = input.Actor?.Trim(), Documents = input.Documents?.Trim(), Note = input.Note?.Trim(), Decision = input.Decision,
            Method = input.Method?.Trim(), Entitled = input.Entitled, Attending = input.Attending, VotesFor = input.VotesFor,
            VotesAgainst = input.VotesAgainst, VotesAbstaining = input.VotesAbstaining, TrainingDays = input.TrainingDays, TrainingHours = input.TrainingHours,
            NoticeFrom = input.NoticeFrom, NoticeTo = input.NoticeTo, ApprovalExtended = input.ApprovalExtended ?? false,
            ExtensionMonths = input.Decision == StepDecision.ExtendProbation ? input.ExtensionMonths : null, RecordedBy = db.Actor.UserName, RecordedAt = now,
        };
        List<PersonRef>? persons = null;
        if (s.Kind is K.MentorAssignment or K.SponsorAssignment && input.PersonIds is not null)
        {
            var ids = input.PersonIds.Distinct().ToList();
            var found = await db.Members.AsNoTracking().Where(m => ids.Contains(m.Id))
                .Select(m => new { m.Id, m.Name, m.State, m.Status }).ToListAsync(ct);
            if (found.Count != ids.Count) return (s, null, new FieldErrors().Add("personIds", "所选党员不存在，或不在您的管理范围内"));
            persons = ids.Select(i => found.Single(x => x.Id == i))
                .Select(m => new PersonRef(m.Id, m.Name, m.State == MemberState.Full && PartyMembership.IsCurrent(m.Status))).ToList();
            s.PersonIds = string.Join(",", persons.Select(x => x.Id));
            s.PersonNames = string.Join("、", persons.Select(x => x.Name));
        }
        else if (s.Kind is K.MentorAssignment or K.SponsorAssignment) persons = [];
        return (s, persons, null);
    }

    /// <summary>The approval makes the person a probationary member: a registry record checked by the registry's own rules,
    /// 入党日期 = the assembly's vote, saved with the step.</summary>
    private async Task<FieldErrors?> AdmitAsync(JicengDbContext db, DevelopmentRecord r, DateOnly today, CancellationToken ct)
    {
        var input = new MemberInput
        {
            Name = r.Name, IdNumber = protector.Decrypt(r.IdNumberCipher), Phone = r.PhoneCipher is null ? null : protector.Decrypt(r.PhoneCipher),
            Ethnicity = r.Ethnicity, Education = r.Education, Occupation = r.Occupation, WorkUnit = r.WorkUnit, OrganizationId = r.OrganizationId,
            State = MemberState.Probationary, JoinedOn = r.VotedOn, Status = MemberStatus.Normal,
        };
        // A former member applied again (PartyMembership.MayApplyAgain): the person's registry row comes back instead of a duplicate.
        var former = await MemberService.FindByIdNumberHashAsync(db, r.IdNumberHash, ct);
        if (former is not null && !PartyMembership.MayApplyAgain(former.Status)) former = null; // a current member: refused as a duplicate below
        var errors = former is not null ? await members.ReturnAsync(db, input, former, today, ct) : await members.ValidateAsync(db, input, null, today, ct);
        if (errors.Any)
        {
            var e = new FieldErrors();
            foreach (var (field, messages) in errors.All) foreach (var m in messages) e.Add("member", $"不能登记为预备党员：{m}");
            return e;
        }
        if (former is not null)
        {
            db.AuditAs(former, "development.readmit");
            r.MemberId = former.Id;
            return null;
        }
        var now = clock.GetUtcNow();
        var member = new Member { Id = Guid.CreateVersion7(now), Name = "", CreatedAt = now };
        members.Apply(member, input, now);
        db.Members.Add(member);
        db.AuditAs(member, "development.admit");
        r.MemberId = member.Id;
        return null;
    }

    /// <summary>转正: the member becomes a full member, 转正日期 = the end of probation (党龄 counts from it).</summary>
    private static async Task<FieldErrors?> ConfirmAsync(JicengDbContext db, DevelopmentRecord r, DateOnly today, CancellationToken ct)
    {
        var member = r.MemberId is { } mid ? await db.Members.FirstOrDefaultAsync(m => m.Id == mid, ct) : null;
        if (member is null) return new FieldErrors().Add("member", "党员名册中找不到该预备党员（可能已转出本组织），请由其现所在党组织办理转正");
        var check = MemberRules.Check(MemberState.Full, member.BirthDate, member.JoinedOn, r.FullMemberOn, member.Occupation, today);
        if (check.Count > 0) return new FieldErrors().Add("member", "不能转为正式党员：" + string.Join("；", check.Values));
        member.State = MemberState.Full;
        member.FullMemberOn = r.FullMemberOn;
        member.UpdatedAt = db.Clock.GetUtcNow();
        db.AuditAs(member, "development.confirm");
        return null;
    }

    // ---------------------------------------------------------------- closure

    /// <summary>Ends the process: the applicant withdraws, the branch committee cancels the activist or candidate listing, or
    /// (党章 第七条) the branch assembly cancels a probationary member's status with the approval above. The closure is a row
    /// in the record's history; the record leaves the board (status Closed) and its open alerts are resolved. A cancelled
    /// probation also takes the member out of the registry's counted members (status ProbationCancelled) in the same
    /// transaction.</summary>
    public async Task<StepOutcome> CloseAsync(Guid id, ClosureInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var r = await db.DevelopmentRecords.Include(x => x.Steps).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null) return new StepOutcome(null, NotFound: true);
        var today = clock.Today();
        var e = new FieldErrors()
            .MaxLength("actor", input.Actor, 100, "决定或批准的组织").MaxLength("documents", input.Documents, 500, "材料")
            .MaxLength("reason", input.Reason, 500, "原因");
        if (input.Kind is not { } kind || !DevelopmentProcedure.IsClosure(kind)) e.Add("kind", "请选择终止方式（本人撤回申请、取消入党积极分子/发展对象资格、取消预备党员资格）");
        if (input.OccurredOn is null) e.Add("occurredOn", input.Kind == K.ProbationCancellation ? "请填写上级党组织批准的日期" : "请填写日期");
        if (e.Any) return new StepOutcome(null, e);

        var settings = await SettingsService.LoadAsync(db, ct);
        var now = clock.GetUtcNow();
        var book = DevelopmentRuleBook.InForce(input.OccurredOn!.Value, settings.Get(SettingDefinitions.DevelopmentRuleVersion));
        var s = new DevelopmentStep
        {
            Id = Guid.CreateVersion7(now), RecordId = r.Id, Kind = input.Kind!.Value, OccurredOn = input.OccurredOn!.Value,
            DecidedOn = input.Kind == K.ProbationCancellation ? input.DecidedOn : null,
            Actor = input.Actor?.Trim(), Documents = input.Documents?.Trim(), Reason = input.Reason?.Trim(),
            Decision = StepDecision.Approved, RuleVersion = book.Version, RecordedBy = db.Actor.UserName, RecordedAt = now,
        };
        if (s.Kind == K.ProbationCancellation)
            (s.Entitled, s.Attending, s.VotesFor, s.VotesAgainst, s.VotesAbstaining) = (input.Entitled, input.Attending, input.VotesFor, input.VotesAgainst, input.VotesAbstaining);
        var progress = DevelopmentProgress.From(r.Steps);
        if (Refusal(DevelopmentProcedure.EvaluateClosure(progress, s, book, today)) is { } refused) return refused;

        if (s.Kind == K.ProbationCancellation)
        {
            var member = r.MemberId is { } mid ? await db.Members.FirstOrDefaultAsync(m => m.Id == mid, ct) : null;
            var error = member switch
            {
                null => "党员名册中找不到该预备党员（可能已转出本组织），请由其现所在党组织办理",
                { Status: MemberStatus.TransferredOut } => "该预备党员已转出本组织，请由其现所在党组织办理",
                { Status: MemberStatus.Mobile } => "该预备党员为流动党员，请先在流动党员登记中办理“结束流动”",
                { State: MemberState.Full } => "党员名册中该党员已是正式党员",
                { Status: not (MemberStatus.Normal or MemberStatus.Abroad) } => $"党员名册中该党员的状态为“{member.Status.ToChinese()}”，不能取消预备党员资格",
                _ => null,
            };
            if (error is not null) return new StepOutcome(null, new FieldErrors().Add("member", error));
            // Off the roll on the day the organization above approved: seats and alerts end with it (a mobile member was refused above).
            await MembershipChanges.LeaveRollAsync(db, member!, MemberStatus.ProbationCancelled, s.OccurredOn, "development.cancel-probation", ct);
        }
        r.Steps.Add(s);
        db.DevelopmentSteps.Add(s);
        Refresh(r);
        r.UpdatedAt = now;
        db.AuditAs(r, "development.close");
        // The record's deadlines end with it: its open alerts are resolved in the same transaction (the daily evaluation would too).
        var subject = r.Id.ToString();
        foreach (var alert in await db.Alerts.Where(a => a.SubjectType == DevelopmentAlertRules.SubjectType && a.SubjectId == subject && a.ResolvedAt == null).ToListAsync(ct))
            alert.ResolvedAt = now;
        await db.SaveChangesAsync(ct);
        return new StepOutcome(await GetAsync(r.Id, ct));
    }

    // ---------------------------------------------------------------- correction

    /// <summary>Corrects a recorded step (a mistyped date, a wrong count): a new entry of the same kind that replaces the
    /// original, which stays in the history marked as corrected. The whole record is checked again with the correction in
    /// place; a correction that would make any step break a blocking rule is refused. Dates the registry holds (入党日期 =
    /// the vote, 转正日期) follow in the same transaction.</summary>
    public async Task<StepOutcome> CorrectStepAsync(Guid id, Guid stepId, CorrectionInput input, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var r = await db.DevelopmentRecords.Include(x => x.Steps).FirstOrDefaultAsync(x => x.Id == id, ct);
        var original = r?.Steps.FirstOrDefault(x => x.Id == stepId);
        if (r is null || original is null) return new StepOutcome(null, NotFound: true);
        var today = clock.Today();
        input.Kind ??= original.Kind;
        var e = InputErrors(input).Required("reason", input.Reason, "更正原因").MaxLength("reason", input.Reason, 500, "更正原因");
        if (DevelopmentProcedure.IsClosure(original.Kind)) e.Add("kind", "终止发展程序的记录不能更正");
        else if (input.Kind != original.Kind) e.Add("kind", "更正不能改变步骤，请更正日期或内容");
        if (DevelopmentProcedure.Superseded(r.Steps).Contains(original.Id)) e.Add("stepId", "该记录已被更正，请在最新的记录上更正");
        if (e.Any) return new StepOutcome(null, e);

        var settings = await SettingsService.LoadAsync(db, ct);
        var now = clock.GetUtcNow();
        var (s, persons, personErrors) = await BuildStepAsync(db, r.Id, input, original.Kind, now, ct);
        if (personErrors is not null) return new StepOutcome(null, personErrors);
        if (input.PersonIds is null) (s.PersonIds, s.PersonNames) = (original.PersonIds, original.PersonNames);
        else if (persons?.FirstOrDefault(x => !x.IsFullMember) is { } notFull)
            return new StepOutcome(null, new FieldErrors().Add("personIds", $"{notFull.Name}不是正式党员"));
        s.CorrectsStepId = original.Id;
        s.Reason = input.Reason!.Trim();
        var adopted = settings.Get(SettingDefinitions.DevelopmentRuleVersion);
        s.RuleVersion = DevelopmentRuleBook.InForce(s.OccurredOn, adopted).Version;
        if (s.Kind == K.AdmissionVote) s.Decision = DevelopmentProcedure.VoteDecision(s, StepDecision.Approved);
        if (s.Kind == K.ConfirmationVote && s.Decision is { } proposal) s.Decision = DevelopmentProcedure.VoteDecision(s, proposal);
        // The registry already follows the approvals: their outcome is not corrected here (取消预备党员资格 has its own procedure).
        if (s.Kind is K.AdmissionApproval or K.ConfirmationApproval && s.Decision != original.Decision)
            return new StepOutcome(null, new FieldErrors().Add("decision", "审批结论不能通过更正改变；不具备党员条件的，应由支部大会讨论取消预备党员资格"));
        if (s.Kind == K.ConfirmationVote && original.Decision != StepDecision.Rejected && s.Decision != original.Decision
            && DevelopmentProcedure.Effective(r.Steps).Any(x => x.Kind == K.ConfirmationApproval && x.OccurredOn >= original.OccurredOn))
            return new StepOutcome(null, new FieldErrors().Add("decision", "上级党委已审批该转正决议，讨论结果不能通过更正改变"));

        // Check the record again with the correction in place: the rules that fire now and did not before refuse it.
        var noticeDays = settings.Get(SettingDefinitions.CandidatePublicNoticeWorkingDays);
        var factsBefore = Facts(r);
        var factsAfter = s.Kind == K.Application ? factsBefore with { AppliedOn = s.OccurredOn } : factsBefore;
        static string Key(RuleViolation v) => $"{v.Rule.Code}|{v.Step}|{v.Message}";
        var before = DevelopmentProcedure.Check(factsBefore, r.Steps, noticeDays, adopted, today).Where(v => v.Field != "deadline").Select(Key).ToHashSet();
        var after = DevelopmentProcedure.Check(factsAfter, [.. r.Steps, s], noticeDays, adopted, today)
            .Where(v => v.Rule.Blocks && v.Field != "deadline" && !before.Contains(Key(v))).ToList();
        if (after.Count > 0)
        {
            var book = DevelopmentRuleBook.InForce(today, adopted);
            var refusal = new RuleViolation(DevelopmentRules.StepCorrection, book.Cite(DevelopmentRules.StepCorrection),
                "更正后程序检查不通过，未保存：" + string.Join("；", after.Select(v => (v.Step is { } k && DevelopmentProcedure.IsStep(k) ? $"第{(int)k}步" : "") + v.Message)),
                "occurredOn", s.Kind, s.OccurredOn);
            return Refusal([refusal, .. after])!;
        }

        r.Steps.Add(s);
        db.DevelopmentSteps.Add(s);
        if (s.Kind == K.Application) r.AppliedOn = s.OccurredOn;
        Refresh(r);
        r.UpdatedAt = now;
        // The registry follows the record that admitted the member last: a correction of an earlier record of a readmitted
        // person leaves the current membership's dates alone.
        if (r.MemberId is { } memberId && r.ApprovedOn is { } approvedOn
            && !await db.DevelopmentRecords.IgnoreQueryFilters().AnyAsync(x => x.MemberId == memberId && x.Id != r.Id && x.ApprovedOn > approvedOn, ct)
            && await db.Members.FirstOrDefaultAsync(m => m.Id == memberId, ct) is { } member)
        {
            var joined = r.VotedOn ?? member.JoinedOn;
            var fullOn = member.State == MemberState.Full ? r.FullMemberOn : member.FullMemberOn;
            if (joined != member.JoinedOn || fullOn != member.FullMemberOn)
            {
                var check = MemberRules.Check(member.State, member.BirthDate, joined, fullOn, member.Occupation, today);
                if (check.Count > 0) return new StepOutcome(null, new FieldErrors().Add("member", "更正后党员名册的日期不符合要求：" + string.Join("；", check.Values)));
                member.JoinedOn = joined;
                member.JoinedMonthDay = joined.Month * 100 + joined.Day;
                member.FullMemberOn = fullOn;
                member.UpdatedAt = now;
                db.AuditAs(member, "development.correct");
            }
        }
        db.AuditAs(r, "development.correct");
        await db.SaveChangesAsync(ct);
        return new StepOutcome(await GetAsync(r.Id, ct));
    }

    // ---------------------------------------------------------------- checks

    public async Task<RecordCheck?> CheckAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var r = await db.DevelopmentRecords.AsNoTracking().Include(x => x.Steps).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null) return null;
        var settings = await SettingsService.LoadAsync(db, ct);
        return Check(r, settings, clock.Today());
    }

    private static RecordCheck Check(DevelopmentRecord r, ISettingsReader settings, DateOnly today) =>
        new(r.Id, r.Name, r.Stage, r.Stage.StageName(), DevelopmentProcedure.Check(Facts(r), r.Steps,
            settings.Get(SettingDefinitions.CandidatePublicNoticeWorkingDays), settings.Get(SettingDefinitions.DevelopmentRuleVersion), today)
            .Select(v => v.ToView()).ToList());

    /// <summary>The 发展党员质量 review of an organization's subtree: every record with every violation, as one query.</summary>
    public async Task<OrganizationCheck?> CheckOrganizationAsync(Guid orgId, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var org = await db.Organizations.AsNoTracking().Where(o => o.Id == orgId).Select(o => new { o.Name, o.Path }).FirstOrDefaultAsync(ct);
        if (org is null) return null;
        var settings = await SettingsService.LoadAsync(db, ct);
        var records = await db.DevelopmentRecords.AsNoTracking().InSubtree(org.Path, r => r.Organization!.Path)
            .Include(r => r.Steps).AsSplitQuery().OrderBy(r => r.Name).ThenBy(r => r.Id).ToListAsync(ct);
        var today = clock.Today();
        var findings = records.Select(r => Check(r, settings, today)).Where(c => c.Violations.Count > 0).ToList();
        return new OrganizationCheck(orgId, org.Name, records.Count, findings.Count, findings);
    }

    /// <summary>Full members of the record's branch (or matching a name within the caller's scope), to choose mentors and sponsors.</summary>
    public async Task<List<PersonOption>?> PersonOptionsAsync(Guid id, string? q, CancellationToken ct = default)
    {
        await using var db = await dbs.CreateAsync(ct);
        var orgId = await db.DevelopmentRecords.Where(r => r.Id == id).Select(r => (Guid?)r.OrganizationId).FirstOrDefaultAsync(ct);
        if (orgId is null) return null;
        var query = db.Members.AsNoTracking().Where(m => m.State == MemberState.Full && PartyMembership.Current.Contains(m.Status));
        query = string.IsNullOrWhiteSpace(q) ? query.Where(m => m.OrganizationId == orgId) : query.Where(m => m.Name.Contains(q.Trim()));
        return await query.OrderBy(m => m.Name).Take(50).Select(m => new PersonOption(m.Id, m.Name, m.Organization!.Name)).ToListAsync(ct);
    }
}
