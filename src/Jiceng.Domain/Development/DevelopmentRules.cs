using Jiceng.Domain.Members;

namespace Jiceng.Domain.Development;

/// <summary>
/// The rules of 发展党员 (rules.md §2, 《中国共产党发展党员工作细则》 2014, revised 2026; articles per version in
/// <see cref="DevelopmentRuleBook"/>). Each rule is named here with its boundary as a pure function; the procedure
/// (<see cref="DevelopmentProcedure"/>) applies them to a record's steps. Organizational decisions stay human: the
/// rules check dates, counts and order, they never decide.
/// </summary>
public static class DevelopmentRules
{
    public static readonly DevelopmentRule StepOrder = new("development.order", "办理顺序", true);
    /// <summary>细则 第五条: 年满十八岁 may apply.</summary>
    public static readonly DevelopmentRule AgeAtApplication = new("development.age", "申请入党须年满18周岁", true);
    /// <summary>细则 第七条: the organization talks with the applicant within one month of receiving the application.</summary>
    public static readonly DevelopmentRule TalkWithinOneMonth = new("development.talk", "收到入党申请书后一个月内派人谈话", false);
    /// <summary>细则 第八条: activists are put forward by 党员推荐 / 群团组织推优 and decided by the 支委会.</summary>
    public static readonly DevelopmentRule ActivistDetermination = new("development.activist", "入党积极分子经推荐、支委会研究决定", true);
    /// <summary>细则 第九条: one or two full members as 培养联系人.</summary>
    public static readonly DevelopmentRule Mentors = new("development.mentors", "指定一至两名正式党员作培养联系人", true);
    /// <summary>细则 第十一条: the branch assesses activists every half year.</summary>
    public static readonly DevelopmentRule ActivistAssessedHalfYearly = new("development.activist-assessment", "每半年对入党积极分子考察一次", false);
    /// <summary>细则 第十三条: after more than one year of training an activist may be listed as 发展对象.</summary>
    public static readonly DevelopmentRule OneYearBeforeCandidate = new("development.one-year", "培养教育一年以上方可列为发展对象", true);
    /// <summary>Local practice (rules.md §2): the candidate listing is publicly noticed for at least N working days (setting).</summary>
    public static readonly DevelopmentRule PublicNotice = new("development.public-notice", "发展对象公示", true);
    /// <summary>细则 第十四条: two full members as 入党介绍人.</summary>
    public static readonly DevelopmentRule Sponsors = new("development.sponsors", "两名正式党员作入党介绍人", true);
    /// <summary>细则 第十六条: political review before admission.</summary>
    public static readonly DevelopmentRule PoliticalReview = new("development.political-review", "政治审查合格", true);
    /// <summary>细则 第十七条: short centralized training of at least 3 days or 24 学时.</summary>
    public static readonly DevelopmentRule CentralizedTraining = new("development.training", "集中培训不少于3天或24学时", true);
    /// <summary>细则 第十九条: someone leaving the unit within three months is generally not processed.</summary>
    public static readonly DevelopmentRule NotLeavingWithinThreeMonths = new("development.leaving", "三个月内将离开单位的不办理接收手续", true);
    /// <summary>细则 第二十条: the assembly may meet when attendees with voting rights exceed half of those entitled.</summary>
    public static readonly DevelopmentRule AssemblyQuorum = new("development.quorum", "有表决权的到会人数超过应到会人数的半数", true);
    /// <summary>细则 第二十一条: the resolution passes when "for" votes exceed half of the full members entitled to vote.</summary>
    public static readonly DevelopmentRule AssemblyMajority = new("development.majority", "赞成人数超过应到会有表决权的正式党员的半数", true);
    /// <summary>细则 第二十三条: a committee member or 组织员 talks with the person before approval.</summary>
    public static readonly DevelopmentRule TalkBeforeApproval = new("development.committee-talk", "审批前党委派人谈话", true);
    /// <summary>细则 第二十四条: approval within three months of the vote; extendable to at most six with the consent of the
    /// organization department above.</summary>
    public static readonly DevelopmentRule ApprovalWithinThreeMonths = new("development.approval", "支部大会通过后三个月内审批（经同意最长六个月）", true);
    /// <summary>细则 第三十二条, 党章 第七条: probation of one year from the day of the assembly's vote.</summary>
    public static readonly DevelopmentRule ProbationOneYear = new("development.probation", "预备期一年，自支部大会通过之日算起", true);
    /// <summary>细则 第二十八条: the branch assesses probationary members every half year.</summary>
    public static readonly DevelopmentRule ProbationAssessedHalfYearly = new("development.probation-assessment", "每半年对预备党员考察一次", false);
    /// <summary>细则 第三十二条: when probation ends the branch discusses 转正 without delay.</summary>
    public static readonly DevelopmentRule ConfirmationWhenProbationEnds = new("development.confirmation", "预备期满及时讨论转正", false);
    /// <summary>细则 第三十二条, 党章 第七条: probation may be extended, by at least six months and at most one year.</summary>
    public static readonly DevelopmentRule ProbationExtension = new("development.extension", "延长预备期不少于半年、最长不超过一年", true);
    /// <summary>细则 第三十四条: the committee approves 转正 within three months of the branch's decision.</summary>
    public static readonly DevelopmentRule ConfirmationApprovalWithinThreeMonths = new("development.confirmation-approval", "转正决议三个月内审批", false);

    /// <summary>Local practice: an applicant may withdraw the application at any time before admission; the record keeps
    /// the date and the reason the person gave. After admission the way out is 取消预备党员资格, not a withdrawal.</summary>
    public static readonly DevelopmentRule Withdrawal = new("development.withdrawal", "入党申请人本人撤回申请（接收为预备党员前）", true);
    /// <summary>Local practice: the branch committee that decided the activist or candidate listing (细则 第八条, 第十三条) is the
    /// body that cancels it (取消入党积极分子资格 / 取消发展对象资格), with the reason on record.</summary>
    public static readonly DevelopmentRule Termination = new("development.termination", "取消入党积极分子、发展对象资格由支部委员会研究决定", true);
    /// <summary>党章 第七条: a probationary member who does not fulfil the duties or meet the conditions loses the status;
    /// 转正, extension and cancellation all need the branch assembly's vote and the approval of the committee above.</summary>
    public static readonly DevelopmentRule ProbationCancellation = new("development.cancel-probation", "取消预备党员资格须经支部大会讨论通过和上级党组织批准", true);
    /// <summary>Local practice (发展党员档案 must stay faithful): a recorded step is corrected by a new entry with its reason;
    /// the original stays in the history, and the corrected record is checked again by every rule.</summary>
    public static readonly DevelopmentRule StepCorrection = new("development.correction", "更正已记录的步骤须说明原因，原记录保留并重新检查", true);

    public static IReadOnlyList<DevelopmentRule> All { get; } =
    [
        Withdrawal, Termination, ProbationCancellation, StepCorrection,
        StepOrder, AgeAtApplication, TalkWithinOneMonth, ActivistDetermination, Mentors, ActivistAssessedHalfYearly, OneYearBeforeCandidate,
        PublicNotice, Sponsors, PoliticalReview, CentralizedTraining, NotLeavingWithinThreeMonths, AssemblyQuorum, AssemblyMajority,
        TalkBeforeApproval, ApprovalWithinThreeMonths, ProbationOneYear, ProbationAssessedHalfYearly, ConfirmationWhenProbationEnds,
        ProbationExtension, ConfirmationApprovalWithinThreeMonths,
    ];

    public const int MinimumAge = MemberRules.MinimumAge;
    public const int MinTrainingDays = 3;
    public const int MinTrainingHours = 24;
    public const int ApprovalMonths = 3;
    public const int ExtendedApprovalMonths = 6;
    public const int AssessmentIntervalMonths = 6;
    public const int MinExtensionMonths = 6;
    public const int MaxExtensionMonths = 12;
    public const int LeavingHorizonMonths = 3;

    public static bool OldEnough(DateOnly birth, DateOnly appliedOn) => MemberRules.Age(birth, appliedOn) >= MinimumAge;

    public static DateOnly TalkDue(DateOnly appliedOn) => appliedOn.AddMonths(1);

    /// <summary>The first day an activist may be listed as 发展对象: one full year (a Feb 29 start reaches it on Feb 28).</summary>
    public static DateOnly EarliestCandidateListing(DateOnly activistOn) => activistOn.AddYears(1);

    public static DateOnly NextAssessmentDue(DateOnly since) => since.AddMonths(AssessmentIntervalMonths);

    public static bool TrainingEnough(int? days, int? hours) => days >= MinTrainingDays || hours >= MinTrainingHours;

    /// <summary>Monday to Friday between two dates, both included (public holidays are not known to the system).</summary>
    public static int WorkingDays(DateOnly from, DateOnly to)
    {
        var n = 0;
        for (var d = from; d <= to; d = d.AddDays(1))
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) n++;
        return n;
    }

    /// <summary>True when the person leaves within the next three months (the day three months ahead included).</summary>
    public static bool LeavingTooSoon(DateOnly? leavingOn, DateOnly on) => leavingOn is { } l && l <= on.AddMonths(LeavingHorizonMonths);

    /// <summary>Valid when attendees with voting rights exceed half of those entitled (4 of 7 yes, 3 of 7 no).</summary>
    public static bool QuorumMet(int entitled, int attending) => attending * 2 > entitled;

    /// <summary>Passes when "for" exceeds half of the full members entitled to vote (exactly half fails).</summary>
    public static bool MajorityReached(int entitled, int votesFor) => votesFor * 2 > entitled;

    /// <summary>The last day to approve: three months after the vote, six with the department's consent.</summary>
    public static DateOnly ApprovalDue(DateOnly votedOn, bool extended) => votedOn.AddMonths(extended ? ExtendedApprovalMonths : ApprovalMonths);

    public static DateOnly ProbationEnds(DateOnly votedOn) => votedOn.AddYears(1);

    /// <summary>Checks an extension: 6 to 12 months, and at most 12 months over all extensions. Null when fine.</summary>
    public static string? CheckExtension(int months, int alreadyExtendedMonths)
    {
        if (months < MinExtensionMonths || months > MaxExtensionMonths) return $"延长预备期应不少于{MinExtensionMonths}个月、不超过{MaxExtensionMonths}个月";
        if (alreadyExtendedMonths + months > MaxExtensionMonths) return $"预备期累计最多延长{MaxExtensionMonths}个月，已延长{alreadyExtendedMonths}个月";
        return null;
    }

    public static DateOnly ConfirmationApprovalDue(DateOnly confirmationVoteOn) => confirmationVoteOn.AddMonths(ApprovalMonths);

    /// <summary>The result of a branch assembly vote by 细则 第二十条/第二十一条.</summary>
    public sealed record VoteResult(bool Valid, bool Passed);

    public static VoteResult Vote(int entitled, int attending, int votesFor) =>
        new(QuorumMet(entitled, attending), QuorumMet(entitled, attending) && MajorityReached(entitled, votesFor));
}
