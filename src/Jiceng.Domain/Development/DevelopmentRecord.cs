using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;

namespace Jiceng.Domain.Development;

/// <summary>The four stages a person passes before full membership (申请人 → 积极分子 → 发展对象 → 预备党员), and
/// the end (正式党员).</summary>
public enum DevelopmentStage { Applicant = 1, Activist = 2, Candidate = 3, Probationary = 4, Full = 5 }

/// <summary>Active: under way. Completed: archived after 转正. Closed: ended without admission (not approved, withdrawn,
/// qualification cancelled) or probation cancelled.</summary>
public enum DevelopmentStatus { Active = 1, Completed = 2, Closed = 3 }

/// <summary>The 25 steps of 发展党员 in their five stages (《中国共产党发展党员工作细则》 chapters 2-6).</summary>
public enum DevelopmentStepKind
{
    Application = 1, ApplicationTalk = 2,
    ActivistDetermination = 3, ActivistFiling = 4, MentorAssignment = 5, ActivistAssessment = 6,
    CandidateDetermination = 7, CandidateFiling = 8, SponsorAssignment = 9, PoliticalReview = 10, CentralizedTraining = 11,
    CommitteeReview = 12, PreReview = 13, ApplicationForm = 14, AdmissionVote = 15, CommitteeTalk = 16, AdmissionApproval = 17, AdmissionFiling = 18,
    GroupPlacement = 19, Oath = 20, ProbationAssessment = 21, ConfirmationApplication = 22, ConfirmationVote = 23, ConfirmationApproval = 24, Archiving = 25,
    // Closures: not steps of the procedure but the end of it, stored as a step row so the history keeps them with their date,
    // body, reason and documents. They are recorded through the closure API, never as a step.
    /// <summary>The applicant withdrew the application (本人撤回入党申请).</summary>
    Withdrawal = 26,
    /// <summary>The branch committee stopped the process: 取消入党积极分子资格 / 取消发展对象资格.</summary>
    Termination = 27,
    /// <summary>取消预备党员资格 (党章 第七条): branch assembly decision (<see cref="DevelopmentStep.DecidedOn"/>), approved by the
    /// committee above (<see cref="DevelopmentStep.OccurredOn"/>).</summary>
    ProbationCancellation = 28,
}

/// <summary>What a body decided at a step. Approved: agreed (for 转正 votes: to confirm). Rejected: did not agree
/// (the step then does not count as done). ExtendProbation: the branch assembly decided to extend the probation.</summary>
public enum StepDecision { Approved = 1, Rejected = 2, ExtendProbation = 3 }

/// <summary>A development record (发展党员档案) for one person, from 入党申请 to 转正. 身份证号 and phone are protected
/// fields like a member's; on admission they are copied into the member registry as they are.</summary>
public class DevelopmentRecord : IOrgScoped
{
    public Guid Id { get; set; }
    /// <summary>The branch that develops the person.</summary>
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public required string Name { get; set; }
    public string NameInitials { get; set; } = "";
    public Gender Gender { get; set; }
    public string Ethnicity { get; set; } = "汉族";
    public DateOnly BirthDate { get; set; }
    public string IdNumberCipher { get; set; } = "";
    public string IdNumberHash { get; set; } = "";
    public string IdNumberMasked { get; set; } = "";
    public string? PhoneCipher { get; set; }
    public string? PhoneHash { get; set; }
    public string? PhoneMasked { get; set; }
    public Education Education { get; set; }
    public Occupation Occupation { get; set; }
    public string? WorkUnit { get; set; }
    public DevelopmentStage Stage { get; set; } = DevelopmentStage.Applicant;
    public DevelopmentStatus Status { get; set; } = DevelopmentStatus.Active;
    public DateOnly AppliedOn { get; set; }
    public DateOnly? ActivistOn { get; set; }
    public DateOnly? CandidateOn { get; set; }
    /// <summary>The 支部大会 vote that received the person: 入党日期, the start of probation.</summary>
    public DateOnly? VotedOn { get; set; }
    public DateOnly? ApprovedOn { get; set; }
    /// <summary>One year after the vote, moved by an approved extension.</summary>
    public DateOnly? ProbationEndsOn { get; set; }
    public DateOnly? FullMemberOn { get; set; }
    /// <summary>When the person is expected to leave the unit (细则: not processed if leaving within 3 months).</summary>
    public DateOnly? LeavingOn { get; set; }
    /// <summary>The member in the registry, from the approval on.</summary>
    public Guid? MemberId { get; set; }
    /// <summary>The earliest open deadline, recomputed whenever a step is recorded, so the board orders by it in one query.</summary>
    public DateOnly? NextDueOn { get; set; }
    /// <summary>The step that <see cref="NextDueOn"/> is for.</summary>
    public DevelopmentStepKind? NextDueStep { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<DevelopmentStep> Steps { get; set; } = [];
}

/// <summary>One recorded step: when, who, the documents referred to, and the decision where a body decides.</summary>
public class DevelopmentStep
{
    public Guid Id { get; set; }
    public Guid RecordId { get; set; }
    public DevelopmentStepKind Kind { get; set; }
    public DateOnly OccurredOn { get; set; }
    /// <summary>Who acted: the talker, the committee, the approving committee.</summary>
    public string? Actor { get; set; }
    /// <summary>Documents referred to (text; attachments are optional and kept elsewhere).</summary>
    public string? Documents { get; set; }
    public string? Note { get; set; }
    public StepDecision? Decision { get; set; }
    /// <summary>How activists were put forward (党员推荐 / 群团组织推优).</summary>
    public string? Method { get; set; }
    /// <summary>Mentors or sponsors: member ids (comma-separated) and their names at the time.</summary>
    public string? PersonIds { get; set; }
    public string? PersonNames { get; set; }
    public int? Entitled { get; set; }
    public int? Attending { get; set; }
    public int? VotesFor { get; set; }
    public int? VotesAgainst { get; set; }
    public int? VotesAbstaining { get; set; }
    public int? TrainingDays { get; set; }
    public int? TrainingHours { get; set; }
    public DateOnly? NoticeFrom { get; set; }
    public DateOnly? NoticeTo { get; set; }
    /// <summary>The organization department above agreed to approve later than 3 months (at most 6).</summary>
    public bool ApprovalExtended { get; set; }
    public int? ExtensionMonths { get; set; }
    /// <summary>A correction: the step this row replaces. The original stays in the history; only the newest row of a
    /// correction chain counts (<see cref="DevelopmentProcedure.Effective"/>).</summary>
    public Guid? CorrectsStepId { get; set; }
    /// <summary>Why a correction was made, or why the process was closed.</summary>
    public string? Reason { get; set; }
    /// <summary>For a probation cancellation: the date of the branch assembly's decision (the approval above is <see cref="OccurredOn"/>).</summary>
    public DateOnly? DecidedOn { get; set; }
    /// <summary>The rule version the step was checked against.</summary>
    public string RuleVersion { get; set; } = "";
    public string? RecordedBy { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
