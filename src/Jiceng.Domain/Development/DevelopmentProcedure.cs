using Jiceng.Domain.Members;
using static Jiceng.Domain.Development.DevelopmentRules;
using K = Jiceng.Domain.Development.DevelopmentStepKind;

namespace Jiceng.Domain.Development;

/// <summary>A rule broken by a step (or by a deadline that has passed), with the version and article it is checked against.</summary>
public sealed record RuleViolation(DevelopmentRule Rule, RuleCitation Citation, string Message, string Field, DevelopmentStepKind? Step = null, DateOnly? On = null)
{
    /// <summary>"message（依据：document article）", the text users see.</summary>
    public string Text => $"{Message}（依据：{Citation.Text}）";
}

/// <summary>A mentor or sponsor as the registry knows them when the step is recorded.</summary>
public sealed record PersonRef(Guid Id, string Name, bool IsFullMember);

/// <summary>A deadline that is open on a record: which step is due, by when, under which rule.</summary>
public sealed record Deadline(DevelopmentRule Rule, DevelopmentStepKind Step, DateOnly DueOn, string What);

/// <summary>The facts of a record the rules need besides its steps.</summary>
public sealed record DevelopmentFacts(DateOnly BirthDate, DateOnly AppliedOn, DateOnly? LeavingOn);

/// <summary>What the steps so far add up to (folded in date order).</summary>
public sealed class DevelopmentProgress
{
    /// <summary>The latest counting (not rejected) step of each kind in the current cycle.</summary>
    public Dictionary<K, DevelopmentStep> Done { get; } = [];
    public DevelopmentStage Stage { get; private set; } = DevelopmentStage.Applicant;
    public DevelopmentStatus Status { get; private set; } = DevelopmentStatus.Active;
    public DateOnly? ActivistOn { get; private set; }
    public DateOnly? CandidateOn { get; private set; }
    public DateOnly? VotedOn { get; private set; }
    public DateOnly? ApprovedOn { get; private set; }
    public DateOnly? ProbationEndsOn { get; private set; }
    public DateOnly? FullMemberOn { get; private set; }
    public int ExtendedMonths { get; private set; }
    public DateOnly? LastActivistAssessment { get; private set; }
    public DateOnly? LastProbationAssessment { get; private set; }
    /// <summary>The closure that ended the process (withdrawal, termination, probation cancellation), if any.</summary>
    public DevelopmentStep? Closure { get; private set; }

    /// <summary>Folds the effective steps (corrections replace what they correct) in date order.</summary>
    public static DevelopmentProgress From(IEnumerable<DevelopmentStep> steps)
    {
        var p = new DevelopmentProgress();
        foreach (var s in DevelopmentProcedure.Effective(steps)) p.Apply(s);
        return p;
    }

    public bool IsDone(K kind) => Done.ContainsKey(kind);

    public void Apply(DevelopmentStep s)
    {
        if (DevelopmentProcedure.IsClosure(s.Kind))
        {
            Closure = s;
            Status = DevelopmentStatus.Closed;
            return;
        }
        if (s.Decision == StepDecision.Rejected)
        {
            if (s.Kind == K.AdmissionApproval) Status = DevelopmentStatus.Closed;
            // The committee did not approve the branch's 转正 resolution: the branch discusses again.
            if (s.Kind == K.ConfirmationApproval) Done.Remove(K.ConfirmationVote);
            return;
        }
        Done[s.Kind] = s;
        switch (s.Kind)
        {
            case K.ActivistDetermination: Stage = DevelopmentStage.Activist; ActivistOn = s.OccurredOn; break;
            case K.ActivistAssessment: LastActivistAssessment = s.OccurredOn; break;
            case K.CandidateDetermination: Stage = DevelopmentStage.Candidate; CandidateOn = s.OccurredOn; break;
            case K.AdmissionVote: VotedOn = s.OccurredOn; break;
            case K.AdmissionApproval:
                Stage = DevelopmentStage.Probationary; ApprovedOn = s.OccurredOn;
                ProbationEndsOn = VotedOn is { } v ? ProbationEnds(v) : null;
                break;
            case K.ProbationAssessment: LastProbationAssessment = s.OccurredOn; break;
            case K.ConfirmationApproval when Done.TryGetValue(K.ConfirmationVote, out var vote):
                if (vote.Decision == StepDecision.ExtendProbation && vote.ExtensionMonths is { } m)
                {
                    ExtendedMonths += m;
                    ProbationEndsOn = ProbationEndsOn?.AddMonths(m);
                    // A new cycle: application, discussion and approval again when the extended probation ends.
                    Done.Remove(K.ConfirmationApplication); Done.Remove(K.ConfirmationVote); Done.Remove(K.ConfirmationApproval);
                }
                else
                {
                    Stage = DevelopmentStage.Full; FullMemberOn = ProbationEndsOn;
                }
                break;
            case K.Archiving: Status = DevelopmentStatus.Completed; break;
        }
    }
}

/// <summary>The 25 steps, their order and the checks applied when one is recorded and when a record is reviewed.</summary>
public static class DevelopmentProcedure
{
    /// <summary>A deadline this close raises a warning before it passes.</summary>
    public const int DueSoonDays = 14;

    public sealed record StepInfo(K Kind, int Number, string Name, DevelopmentStage Phase, string PhaseName, K[] Requires, bool Repeatable, bool BodyDecides);

    private static StepInfo S(K k, string name, int phase, K[] requires, bool repeatable = false, bool decides = false) =>
        new(k, (int)k, name, phase switch { 1 => DevelopmentStage.Applicant, 2 => DevelopmentStage.Activist, 3 => DevelopmentStage.Candidate, 4 => DevelopmentStage.Candidate, _ => DevelopmentStage.Probationary },
            PhaseNames[phase - 1], requires, repeatable, decides);

    public static readonly string[] PhaseNames = ["一、入党申请", "二、入党积极分子的确定和培养", "三、发展对象的确定和考察", "四、预备党员的接收", "五、预备党员的教育考察和转正"];

    public static IReadOnlyList<StepInfo> Steps { get; } =
    [
        S(K.Application, "递交入党申请书", 1, []),
        S(K.ApplicationTalk, "党组织派人谈话", 1, [K.Application]),
        S(K.ActivistDetermination, "推荐和确定入党积极分子", 2, [K.ApplicationTalk], decides: true),
        S(K.ActivistFiling, "报上级党委备案", 2, [K.ActivistDetermination]),
        S(K.MentorAssignment, "指定培养联系人", 2, [K.ActivistDetermination]),
        S(K.ActivistAssessment, "培养教育考察（每半年一次）", 2, [K.ActivistDetermination], repeatable: true),
        S(K.CandidateDetermination, "确定发展对象（含公示）", 3, [K.ActivistFiling, K.MentorAssignment], decides: true),
        S(K.CandidateFiling, "报上级党委备案", 3, [K.CandidateDetermination]),
        S(K.SponsorAssignment, "确定入党介绍人", 3, [K.CandidateDetermination]),
        S(K.PoliticalReview, "进行政治审查", 3, [K.CandidateDetermination], decides: true),
        S(K.CentralizedTraining, "开展集中培训", 3, [K.CandidateDetermination]),
        S(K.CommitteeReview, "支部委员会审查", 4, [K.CandidateFiling, K.SponsorAssignment, K.PoliticalReview, K.CentralizedTraining], decides: true),
        S(K.PreReview, "上级党委预审", 4, [K.CommitteeReview], decides: true),
        S(K.ApplicationForm, "填写入党志愿书", 4, [K.PreReview]),
        S(K.AdmissionVote, "支部大会讨论", 4, [K.ApplicationForm], decides: true),
        S(K.CommitteeTalk, "上级党委派人谈话", 4, [K.AdmissionVote]),
        S(K.AdmissionApproval, "上级党委审批", 4, [K.CommitteeTalk], decides: true),
        S(K.AdmissionFiling, "再上级党委组织部门备案", 4, [K.AdmissionApproval]),
        S(K.GroupPlacement, "编入党支部和党小组", 5, [K.AdmissionApproval]),
        S(K.Oath, "入党宣誓", 5, [K.AdmissionApproval]),
        S(K.ProbationAssessment, "继续教育考察（每半年一次）", 5, [K.AdmissionApproval], repeatable: true),
        S(K.ConfirmationApplication, "提出转正申请", 5, [K.AdmissionApproval]),
        S(K.ConfirmationVote, "支部大会讨论转正", 5, [K.ConfirmationApplication], decides: true),
        S(K.ConfirmationApproval, "上级党委审批转正", 5, [K.ConfirmationVote], decides: true),
        S(K.Archiving, "材料归档", 5, [K.ConfirmationApproval]),
    ];

    public static StepInfo Info(K kind) => IsStep(kind) ? Steps[(int)kind - 1] : throw new ArgumentOutOfRangeException(nameof(kind), kind, "not one of the 25 steps");

    /// <summary>One of the 25 steps (not a closure).</summary>
    public static bool IsStep(K kind) => kind is >= K.Application and <= K.Archiving;

    /// <summary>A closure of the process: withdrawal, termination, probation cancellation.</summary>
    public static bool IsClosure(K kind) => kind is K.Withdrawal or K.Termination or K.ProbationCancellation;

    public static string ClosureName(K kind) => kind switch
    {
        K.Withdrawal => "本人撤回入党申请",
        K.Termination => "取消入党积极分子/发展对象资格",
        K.ProbationCancellation => "取消预备党员资格",
        _ => Info(kind).Name,
    };

    /// <summary>Which closures the stage allows: a withdrawal before admission, the branch's termination of an activist or
    /// candidate, the cancellation of a probationary member's status.</summary>
    public static bool ClosureAllowed(K kind, DevelopmentStage stage) => kind switch
    {
        K.Withdrawal => stage is DevelopmentStage.Applicant or DevelopmentStage.Activist or DevelopmentStage.Candidate,
        K.Termination => stage is DevelopmentStage.Activist or DevelopmentStage.Candidate,
        K.ProbationCancellation => stage is DevelopmentStage.Probationary,
        _ => false,
    };

    public static string StageName(this DevelopmentStage s) => s switch
    {
        DevelopmentStage.Applicant => "入党申请人",
        DevelopmentStage.Activist => "入党积极分子",
        DevelopmentStage.Candidate => "发展对象",
        DevelopmentStage.Probationary => "预备党员",
        _ => "正式党员",
    };

    public static string DecisionName(this StepDecision d, K kind) => d switch
    {
        StepDecision.Approved when kind is K.AdmissionVote => "通过接收为预备党员",
        StepDecision.Approved when kind is K.ConfirmationVote => "同意按期转正",
        StepDecision.Approved when kind is K.PoliticalReview => "合格",
        StepDecision.Approved => "同意",
        StepDecision.Rejected when kind is K.AdmissionVote or K.ConfirmationVote => "未通过",
        StepDecision.Rejected when kind is K.PoliticalReview => "不合格",
        StepDecision.Rejected => "不同意",
        _ => "延长预备期",
    };

    /// <summary>Steps in the order they happened; same-day steps in the order they were recorded, then by step number. A
    /// correction takes the place of the entry it corrects (the recording time of the first entry of its chain), so
    /// correcting a date does not move a same-day step behind the ones that followed it.</summary>
    public static IEnumerable<DevelopmentStep> InOrder(IEnumerable<DevelopmentStep> steps)
    {
        var list = steps as IReadOnlyCollection<DevelopmentStep> ?? steps.ToList();
        if (!list.Any(s => s.CorrectsStepId is not null)) return list.OrderBy(s => s.OccurredOn).ThenBy(s => s.RecordedAt).ThenBy(s => s.Kind);
        var byId = list.ToDictionary(s => s.Id);
        DateTimeOffset First(DevelopmentStep s)
        {
            for (var hops = 0; s.CorrectsStepId is { } c && byId.TryGetValue(c, out var o) && hops < list.Count; hops++) s = o;
            return s.RecordedAt;
        }
        return list.OrderBy(s => s.OccurredOn).ThenBy(First).ThenBy(s => s.RecordedAt).ThenBy(s => s.Kind);
    }

    /// <summary>The ids of entries a later correction replaced.</summary>
    public static HashSet<Guid> Superseded(IEnumerable<DevelopmentStep> steps) =>
        steps.Where(s => s.CorrectsStepId is not null).Select(s => s.CorrectsStepId!.Value).ToHashSet();

    /// <summary>The entries that count, in order: every entry no correction replaced.</summary>
    public static IEnumerable<DevelopmentStep> Effective(IEnumerable<DevelopmentStep> steps)
    {
        var list = steps as IReadOnlyCollection<DevelopmentStep> ?? steps.ToList();
        var superseded = Superseded(list);
        return InOrder(list).Where(s => !superseded.Contains(s.Id));
    }

    /// <summary>Whether a step can be recorded now (order and stage only); the reason when not.</summary>
    public static RuleViolation? Blocked(K kind, DevelopmentProgress p, DevelopmentRuleBook book)
    {
        RuleViolation Order(string message) => new(StepOrder, book.Cite(StepOrder), message, "kind", kind);
        var info = Info(kind);
        if (p.Closure is { } closure) return Order($"发展程序已终止（{ClosureName(closure.Kind)}，{closure.OccurredOn:yyyy年M月d日}）");
        if (p.Status == DevelopmentStatus.Closed) return Order("上级党委未批准接收，发展程序已终止");
        if (p.Status == DevelopmentStatus.Completed) return Order("发展程序已完成并归档");
        if (kind == K.Application) return Order("入党申请已登记");
        if (FirstMissing(kind, p) is { } missing) return Order($"须先完成第{(int)missing}步“{Info(missing).Name}”");
        if (!info.Repeatable && p.IsDone(kind)) return Order($"第{info.Number}步“{info.Name}”已记录");
        if (kind == K.ActivistAssessment && p.IsDone(K.CandidateDetermination)) return Order("已列为发展对象，入党积极分子阶段的考察已结束");
        if (kind == K.ProbationAssessment && p.Stage == DevelopmentStage.Full) return Order("已转为正式党员");
        if (kind is K.ConfirmationApplication or K.ConfirmationVote or K.ConfirmationApproval && p.Stage == DevelopmentStage.Full) return Order("已转为正式党员");
        return null;
    }

    /// <summary>The earliest step not done among the step's prerequisites and theirs, so the message names where to start.</summary>
    private static K? FirstMissing(K kind, DevelopmentProgress p)
    {
        foreach (var r in Info(kind).Requires.OrderBy(r => r))
            if (!p.IsDone(r)) return FirstMissing(r, p) ?? r;
        return null;
    }

    /// <summary>The earliest date the step may carry because of date rules (besides its prerequisites' dates).</summary>
    public static (DateOnly On, DevelopmentRule Rule)? EarliestByRule(K kind, DevelopmentProgress p) => kind switch
    {
        K.CandidateDetermination when p.ActivistOn is { } a => (EarliestCandidateListing(a), OneYearBeforeCandidate),
        K.ConfirmationVote when p.ProbationEndsOn is { } e => (e, ProbationOneYear),
        _ => null,
    };

    /// <summary>Every rule the new step breaks, given the steps before it. Blocking violations refuse the step;
    /// the others are recorded with it and show in the procedure check. <paramref name="persons"/> are the mentors or
    /// sponsors as the registry knows them (null when replaying stored steps).</summary>
    public static List<RuleViolation> Evaluate(DevelopmentFacts facts, DevelopmentProgress p, DevelopmentStep s, IReadOnlyList<PersonRef>? persons,
        int publicNoticeWorkingDays, DevelopmentRuleBook book, DateOnly today)
    {
        var v = new List<RuleViolation>();
        void Add(DevelopmentRule rule, string message, string field) => v.Add(new RuleViolation(rule, book.Cite(rule), message, field, s.Kind, s.OccurredOn));
        var info = Info(s.Kind);

        if (s.OccurredOn > today) Add(StepOrder, "日期不能晚于今天", "occurredOn");
        if (s.Kind != K.Application)
        {
            if (Blocked(s.Kind, p, book) is { } blocked) { v.Add(blocked with { On = s.OccurredOn }); return v; }
            var latestPrereq = info.Requires.Select(r => p.Done[r].OccurredOn).DefaultIfEmpty(facts.AppliedOn).Max();
            if (s.OccurredOn < latestPrereq)
                Add(StepOrder, $"日期不能早于前一步骤（{latestPrereq:yyyy年M月d日}）", "occurredOn");
            if (EarliestByRule(s.Kind, p) is { } earliest && s.OccurredOn < earliest.On)
                Add(earliest.Rule, earliest.Rule == OneYearBeforeCandidate
                    ? $"确定为入党积极分子（{p.ActivistOn:yyyy年M月d日}）满一年后方可列为发展对象，最早{earliest.On:yyyy年M月d日}"
                    : $"预备期{earliest.On:yyyy年M月d日}届满，届满后方可讨论转正", "occurredOn");
        }
        if (info.BodyDecides && s.Decision is null && s.Kind is not (K.AdmissionVote or K.ConfirmationVote))
            Add(StepOrder, "请选择决定（同意/不同意）", "decision");

        switch (s.Kind)
        {
            case K.Application when !OldEnough(facts.BirthDate, facts.AppliedOn):
                Add(AgeAtApplication, $"申请入党时应年满{MinimumAge}周岁（出生日期{facts.BirthDate:yyyy年M月d日}）", "appliedOn");
                break;
            case K.ApplicationTalk when s.OccurredOn > TalkDue(facts.AppliedOn):
                Add(TalkWithinOneMonth, $"谈话应在{TalkDue(facts.AppliedOn):yyyy年M月d日}前进行，实际{s.OccurredOn:yyyy年M月d日}", "occurredOn");
                break;
            case K.ActivistDetermination when string.IsNullOrWhiteSpace(s.Method):
                Add(ActivistDetermination, "请填写产生方式（党员推荐或群团组织推优）", "method");
                break;
            case K.MentorAssignment:
                CheckPersons(1, 2, Mentors, "培养联系人应为一至两名正式党员");
                break;
            case K.ActivistAssessment:
                CheckInterval(p.LastActivistAssessment ?? p.ActivistOn, ActivistAssessedHalfYearly, "入党积极分子考察");
                break;
            case K.CandidateDetermination:
                CheckInterval(p.LastActivistAssessment ?? p.ActivistOn, ActivistAssessedHalfYearly, "入党积极分子考察");
                if (s.NoticeFrom is not { } nf || s.NoticeTo is not { } nt) Add(PublicNotice, "请填写公示起止日期", "noticeFrom");
                else if (nt < nf) Add(PublicNotice, "公示结束日期不能早于开始日期", "noticeTo");
                else if (WorkingDays(nf, nt) < publicNoticeWorkingDays)
                    Add(PublicNotice, $"公示期应不少于{publicNoticeWorkingDays}个工作日，实际{WorkingDays(nf, nt)}个工作日", "noticeTo");
                break;
            case K.CandidateFiling when p.Done.TryGetValue(K.CandidateDetermination, out var cd) && cd.NoticeTo is { } end && s.OccurredOn <= end:
                Add(PublicNotice, $"公示期至{end:yyyy年M月d日}，期满后方可报上级党委备案", "occurredOn");
                break;
            case K.SponsorAssignment:
                CheckPersons(2, 2, Sponsors, "入党介绍人应为两名正式党员");
                break;
            case K.CentralizedTraining when !TrainingEnough(s.TrainingDays, s.TrainingHours):
                Add(CentralizedTraining, $"集中培训时间一般不少于{MinTrainingDays}天或{MinTrainingHours}个学时", "trainingDays");
                break;
            case K.CommitteeReview or K.PreReview when LeavingTooSoon(facts.LeavingOn, s.OccurredOn):
                Add(NotLeavingWithinThreeMonths, $"预计{facts.LeavingOn:yyyy年M月d日}离开本单位（三个月内），一般不办理接收预备党员的手续", "leavingOn");
                break;
            case K.AdmissionVote:
                if (LeavingTooSoon(facts.LeavingOn, s.OccurredOn))
                    Add(NotLeavingWithinThreeMonths, $"预计{facts.LeavingOn:yyyy年M月d日}离开本单位（三个月内），一般不办理接收预备党员的手续", "leavingOn");
                CheckVote();
                break;
            case K.AdmissionApproval when p.VotedOn is { } voted:
                if (s.OccurredOn > ApprovalDue(voted, true))
                    Add(ApprovalWithinThreeMonths, $"支部大会于{voted:yyyy年M月d日}通过，审批最迟{ApprovalDue(voted, true):yyyy年M月d日}，已超过六个月", "occurredOn");
                else if (s.OccurredOn > ApprovalDue(voted, false) && !s.ApprovalExtended)
                    Add(ApprovalWithinThreeMonths, $"支部大会于{voted:yyyy年M月d日}通过，应在{ApprovalDue(voted, false):yyyy年M月d日}前审批；超过三个月须经上一级党委组织部门同意延长", "approvalExtended");
                break;
            case K.ProbationAssessment:
                CheckInterval(p.LastProbationAssessment ?? p.VotedOn, ProbationAssessedHalfYearly, "预备党员考察");
                break;
            case K.ConfirmationVote:
                if (s.Decision is not (StepDecision.Approved or StepDecision.ExtendProbation))
                    Add(StepOrder, "请选择讨论的事项（按期转正或延长预备期）", "decision");
                if (s.Decision == StepDecision.ExtendProbation && CheckExtension(s.ExtensionMonths ?? 0, p.ExtendedMonths) is { } ext)
                    Add(ProbationExtension, ext, "extensionMonths");
                CheckVote();
                break;
            case K.ConfirmationApproval when p.Done.TryGetValue(K.ConfirmationVote, out var cv) && s.OccurredOn > ConfirmationApprovalDue(cv.OccurredOn):
                Add(ConfirmationApprovalWithinThreeMonths, $"支部大会于{cv.OccurredOn:yyyy年M月d日}通过转正决议，应在{ConfirmationApprovalDue(cv.OccurredOn):yyyy年M月d日}前审批", "occurredOn");
                break;
        }
        return v;

        void CheckPersons(int min, int max, DevelopmentRule rule, string message)
        {
            var count = persons?.Count ?? (s.PersonIds ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Length;
            if (count < min || count > max) Add(rule, message, "personIds");
            else if (persons is not null && persons.FirstOrDefault(x => !x.IsFullMember) is { } notFull)
                Add(rule, $"{notFull.Name}不是正式党员。{message}", "personIds");
            else if (persons is not null && persons.Select(x => x.Id).Distinct().Count() != persons.Count) Add(rule, message, "personIds");
        }

        void CheckInterval(DateOnly? since, DevelopmentRule rule, string what)
        {
            if (since is { } from && s.OccurredOn > NextAssessmentDue(from))
                Add(rule, $"{what}间隔超过半年：上次{from:yyyy年M月d日}，应在{NextAssessmentDue(from):yyyy年M月d日}前考察", "occurredOn");
        }

        void CheckVote()
        {
            if (s.Entitled is not { } entitled || s.Attending is not { } attending || s.VotesFor is not { } votesFor)
            {
                Add(AssemblyQuorum, "请填写应到会有表决权人数、实到人数和赞成票数", "entitled");
                return;
            }
            int against = s.VotesAgainst ?? 0, abstaining = s.VotesAbstaining ?? 0;
            if (entitled < 1 || attending < 0 || votesFor < 0 || against < 0 || abstaining < 0)
                Add(AssemblyQuorum, "人数和票数不能为负数，应到会人数至少为1", "entitled");
            else if (attending > entitled) Add(AssemblyQuorum, "实到人数不能超过应到会有表决权人数", "attending");
            // Written opinions of absent members count in the votes (细则 第二十一条), so the votes may exceed those attending, not those entitled.
            else if (votesFor + against + abstaining > entitled) Add(AssemblyMajority, "赞成、反对、弃权票数之和不能超过应到会有表决权人数", "votesFor");
            else if (!QuorumMet(entitled, attending))
                Add(AssemblyQuorum, $"应到会有表决权{entitled}人，实到{attending}人，未超过半数，会议无效，不能表决", "attending");
        }
    }

    /// <summary>Every rule a closure breaks, given the steps before it (all of them block). Withdrawal: before admission, with
    /// the person's reason. Termination: an activist or candidate, decided by the branch committee. Probation cancellation:
    /// a probationary member, the branch assembly's valid vote with a majority (细则 第二十条/第二十一条), then the approval above.</summary>
    public static List<RuleViolation> EvaluateClosure(DevelopmentProgress p, DevelopmentStep s, DevelopmentRuleBook book, DateOnly today)
    {
        var v = new List<RuleViolation>();
        var rule = s.Kind switch { K.Withdrawal => Withdrawal, K.Termination => Termination, _ => ProbationCancellation };
        void Add(DevelopmentRule r, string message, string field) => v.Add(new RuleViolation(r, book.Cite(r), message, field, s.Kind, s.OccurredOn));
        if (!IsClosure(s.Kind)) { Add(StepOrder, "请选择终止方式", "kind"); return v; }
        if (p.Closure is { } closed) { Add(StepOrder, $"发展程序已于{closed.OccurredOn:yyyy年M月d日}终止（{ClosureName(closed.Kind)}）", "kind"); return v; }
        if (p.Status == DevelopmentStatus.Closed) { Add(StepOrder, "上级党委未批准接收，发展程序已终止", "kind"); return v; }
        if (p.Status == DevelopmentStatus.Completed || p.Stage == DevelopmentStage.Full) { Add(rule, "已转为正式党员，发展程序已完成", "kind"); return v; }
        if (!ClosureAllowed(s.Kind, p.Stage))
        {
            Add(rule, s.Kind switch
            {
                K.Withdrawal => "已接收为预备党员，不能撤回入党申请；不具备党员条件的，应由支部大会讨论取消预备党员资格",
                K.Termination when p.Stage == DevelopmentStage.Applicant => "尚未确定为入党积极分子，没有可取消的资格；本人不再申请的请登记撤回申请",
                K.Termination => "已接收为预备党员，应由支部大会讨论取消预备党员资格",
                _ => $"{p.Stage.StageName()}不是预备党员，不能取消预备党员资格",
            }, "kind");
            return v;
        }
        if (s.OccurredOn > today) Add(StepOrder, "日期不能晚于今天", "occurredOn");
        if (string.IsNullOrWhiteSpace(s.Reason)) Add(rule, "请填写原因", "reason");
        var latest = p.Done.Values.Select(d => d.OccurredOn).DefaultIfEmpty(DateOnly.MinValue).Max();
        if (s.Kind == K.ProbationCancellation)
        {
            if (string.IsNullOrWhiteSpace(s.Actor)) Add(rule, "请填写批准的上级党组织", "actor");
            if (s.DecidedOn is not { } decided) Add(rule, "请填写支部大会讨论通过的日期", "decidedOn");
            else
            {
                if (p.ApprovedOn is { } approved && decided < approved)
                    Add(StepOrder, $"支部大会讨论日期不能早于接收预备党员的审批日期（{approved:yyyy年M月d日}）", "decidedOn");
                if (s.OccurredOn < decided) Add(rule, $"上级党组织批准日期不能早于支部大会讨论日期（{decided:yyyy年M月d日}）", "occurredOn");
            }
            if (s.Entitled is not { } entitled || s.Attending is not { } attending || s.VotesFor is not { } votesFor)
                Add(AssemblyQuorum, "请填写支部大会应到会有表决权人数、实到人数和赞成票数", "entitled");
            else if (entitled < 1 || attending < 0 || votesFor < 0 || (s.VotesAgainst ?? 0) < 0 || (s.VotesAbstaining ?? 0) < 0)
                Add(AssemblyQuorum, "人数和票数不能为负数，应到会人数至少为1", "entitled");
            else if (attending > entitled) Add(AssemblyQuorum, "实到人数不能超过应到会有表决权人数", "attending");
            else if (votesFor + (s.VotesAgainst ?? 0) + (s.VotesAbstaining ?? 0) > entitled)
                Add(AssemblyMajority, "赞成、反对、弃权票数之和不能超过应到会有表决权人数", "votesFor");
            else if (!QuorumMet(entitled, attending))
                Add(AssemblyQuorum, $"应到会有表决权{entitled}人，实到{attending}人，未超过半数，会议无效", "attending");
            else if (!MajorityReached(entitled, votesFor))
                Add(AssemblyMajority, $"赞成{votesFor}票，未超过应到会有表决权人数{entitled}人的半数，取消预备党员资格的决议未通过", "votesFor");
        }
        else
        {
            if (s.Kind == K.Termination && string.IsNullOrWhiteSpace(s.Actor)) Add(rule, "请填写作出决定的组织（如：支部委员会）", "actor");
        }
        if (s.OccurredOn < latest) Add(StepOrder, $"日期不能早于最近一次办理的步骤（{latest:yyyy年M月d日}）", "occurredOn");
        return v;
    }

    /// <summary>The decision a vote records: the rules compute whether it passed from the counts.</summary>
    public static StepDecision VoteDecision(DevelopmentStep s, StepDecision proposal) =>
        s.Entitled is { } e && s.Attending is { } a && s.VotesFor is { } f && Vote(e, a, f).Passed ? proposal : StepDecision.Rejected;

    /// <summary>The deadlines open on a record (independent of today; the caller compares).</summary>
    public static List<Deadline> Deadlines(DevelopmentFacts facts, DevelopmentProgress p)
    {
        var d = new List<Deadline>();
        if (p.Status != DevelopmentStatus.Active) return d;
        if (!p.IsDone(K.ApplicationTalk)) d.Add(new(TalkWithinOneMonth, K.ApplicationTalk, TalkDue(facts.AppliedOn), "入党申请谈话"));
        if (p.ActivistOn is { } a && !p.IsDone(K.CandidateDetermination))
            d.Add(new(ActivistAssessedHalfYearly, K.ActivistAssessment, NextAssessmentDue(p.LastActivistAssessment ?? a), "入党积极分子半年考察"));
        if (p.VotedOn is { } v && p.ApprovedOn is null)
            d.Add(new(ApprovalWithinThreeMonths, K.AdmissionApproval, ApprovalDue(v, false), "上级党委审批接收预备党员"));
        if (p.Stage == DevelopmentStage.Probationary && p.ProbationEndsOn is { } ends && p.VotedOn is { } voted)
        {
            var nextAssessment = NextAssessmentDue(p.LastProbationAssessment ?? voted);
            if (nextAssessment < ends) d.Add(new(ProbationAssessedHalfYearly, K.ProbationAssessment, nextAssessment, "预备党员半年考察"));
            if (p.Done.TryGetValue(K.ConfirmationVote, out var cv))
                d.Add(new(ConfirmationApprovalWithinThreeMonths, K.ConfirmationApproval, ConfirmationApprovalDue(cv.OccurredOn), "上级党委审批转正"));
            else
                d.Add(new(ConfirmationWhenProbationEnds, K.ConfirmationVote, ends, "预备期满讨论转正"));
        }
        return d;
    }

    /// <summary>The 发展党员质量 review of one record: every rule its recorded steps break (each checked against the
    /// version in force on its date) and every deadline that has passed without the step.</summary>
    public static List<RuleViolation> Check(DevelopmentFacts facts, IEnumerable<DevelopmentStep> steps, int publicNoticeWorkingDays, int adoptedYear, DateOnly today)
    {
        var violations = new List<RuleViolation>();
        var p = new DevelopmentProgress();
        foreach (var s in Effective(steps))
        {
            var book = DevelopmentRuleBook.InForce(s.OccurredOn, adoptedYear);
            violations.AddRange(IsClosure(s.Kind) ? EvaluateClosure(p, s, book, today) : Evaluate(facts, p, s, null, publicNoticeWorkingDays, book, today));
            p.Apply(s);
        }
        foreach (var d in Deadlines(facts, p).Where(d => d.DueOn < today))
        {
            var book = DevelopmentRuleBook.InForce(today, adoptedYear);
            violations.Add(new RuleViolation(d.Rule, book.Cite(d.Rule), $"{d.What}已逾期：应于{d.DueOn:yyyy年M月d日}前办理", "deadline", d.Step, d.DueOn));
        }
        return violations;
    }
}
