using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;

namespace Jiceng.Domain.OrganizationalLife;

/// <summary>优秀 / 合格 / 基本合格 / 不合格.</summary>
public enum AppraisalGrade { Excellent = 1, Qualified = 2, BasicallyQualified = 3, Unqualified = 4 }

public enum AppraisalStatus { Open = 1, Submitted = 2 }

/// <summary>A yearly 民主评议党员 round of one branch.</summary>
public class AppraisalRound : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public int Year { get; set; }
    public AppraisalStatus Status { get; set; } = AppraisalStatus.Open;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public string? SubmittedBy { get; set; }
    public List<AppraisalEntry> Entries { get; set; } = [];
}

/// <summary>One appraised member of a round and their grade (null until graded).</summary>
public class AppraisalEntry : IOrgScoped
{
    public Guid RoundId { get; set; }
    public AppraisalRound? Round { get; set; }
    public Guid MemberId { get; set; }
    public Member? Member { get; set; }
    public Guid OrganizationId { get; set; }
    public AppraisalGrade? Grade { get; set; }
    /// <summary>Required for 不合格.</summary>
    public string? Reason { get; set; }
}

public enum FollowUpStatus { Open = 1, Closed = 2 }

/// <summary>A member graded 不合格: the branch follows up (限期改正, 劝退 or 除名 are the branch's decisions, recorded here).</summary>
public class AppraisalFollowUp : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid RoundId { get; set; }
    public Guid MemberId { get; set; }
    public Member? Member { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public required string Reason { get; set; }
    public FollowUpStatus Status { get; set; } = FollowUpStatus.Open;
    public string? Outcome { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>How the follow-up was closed (<see cref="FollowUpRules"/>).</summary>
    public FollowUpOutcome? OutcomeKind { get; set; }
    /// <summary>The date of the decision (the 支部大会 or 支委会 meeting).</summary>
    public DateOnly? DecidedOn { get; set; }
    /// <summary>The body that decided, as written (e.g. 支部大会).</summary>
    public string? DecidedBy { get; set; }
    /// <summary>The party organization above that approved a 劝退 or 除名.</summary>
    public string? ApprovedBy { get; set; }
    public string? Note { get; set; }
    public string? ClosedBy { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
}

/// <summary>How a 不合格 follow-up ends.</summary>
public enum FollowUpOutcome
{
    /// <summary>限期改正 and, at the end of the period, judged to have corrected (改正后合格).</summary>
    Corrected = 1,
    /// <summary>劝其退党 (劝退).</summary>
    AdvisedToLeave = 2,
    /// <summary>除名.</summary>
    Removed = 3,
}

/// <summary>
/// Closing the follow-up of a member graded 不合格. Source: 党章 第九条 (not quoted in rules.md; article number unverified
/// here): a member who does not meet the conditions is educated and asked to correct within a time limit (限期改正); one who
/// after education does not change is advised to leave the party (劝其退党), by decision of the 支部大会 with approval of the
/// party organization above; one who refuses to leave is removed (除名), likewise by the 支部大会 and approved above. The
/// 1988 中组部《关于进行民主评议党员工作的意见》 names the same three dispositions for 不合格党员 (unverified). rules.md §4
/// (民主评议党员). The system records the branch's decision and its date; it decides nothing. A recorded 劝退 or 除名 (with
/// the approval above) takes the member out of the active registry in the same transaction (<see cref="StatusAfter"/>:
/// 出党, no longer counted in dues, organizational life or the registry's figures); 限期改正后合格 keeps the member.
/// </summary>
public static class FollowUpRules
{
    public const int NoteMaxLength = 500;

    public static string ToChinese(this FollowUpOutcome o) => o switch
    {
        FollowUpOutcome.Corrected => "限期改正后合格", FollowUpOutcome.AdvisedToLeave => "劝其退党", _ => "除名",
    };

    /// <summary>劝退 and 除名 need the 支部大会's decision and the approval above; 改正 is judged by the branch.</summary>
    public static bool NeedsApprovalAbove(FollowUpOutcome o) => o is FollowUpOutcome.AdvisedToLeave or FollowUpOutcome.Removed;

    /// <summary>The member's registry status after the decision: 出党 (<see cref="MemberStatus.LeftParty"/>) for 劝其退党 and 除名,
    /// null (unchanged) for 限期改正后合格. 党章 第九条 (unverified): both end the membership; the record keeps which one it was.</summary>
    public static MemberStatus? StatusAfter(FollowUpOutcome o) => NeedsApprovalAbove(o) ? MemberStatus.LeftParty : null;

    /// <summary>A 劝退 or 除名 changes the registry, so the member must still be on the branch's active roll (counted, not
    /// transferred, deceased or already out); the message when not. 限期改正 changes nothing and is not checked.</summary>
    public static string? CheckMemberForLeaving(FollowUpOutcome? outcome, MemberStatus? memberStatus)
    {
        if (outcome is not { } o || StatusAfter(o) is null) return null;
        if (memberStatus is not { } s) return "该党员已不在本支部，不能作出此处置";
        return PartyMembership.IsCurrent(s) ? null : $"该党员当前状态为“{s.ToChinese()}”，不在册，不能作出此处置";
    }

    /// <summary>Field → message for a close; empty when it may close.</summary>
    public static Dictionary<string, string> CheckClose(FollowUpStatus status, FollowUpOutcome? outcome, DateOnly? decidedOn, string? decidedBy,
        string? approvedBy, DateOnly startedOn, DateOnly today)
    {
        var e = new Dictionary<string, string>();
        if (status == FollowUpStatus.Closed) { e["outcome"] = "该不合格党员的处置已经办结"; return e; }
        if (outcome is not { } o || !Enum.IsDefined(o)) e["outcome"] = "请选择处置结果（限期改正后合格、劝其退党或除名）";
        if (decidedOn is not { } d) e["decidedOn"] = "请填写决定日期";
        else if (d > today) e["decidedOn"] = "决定日期不能晚于今天";
        else if (d < startedOn) e["decidedOn"] = $"决定日期不能早于评议结果提交的{startedOn:yyyy年M月d日}";
        if (string.IsNullOrWhiteSpace(decidedBy)) e["decidedBy"] = "请填写作出决定的组织（如支部大会）";
        if (outcome is { } x && NeedsApprovalAbove(x) && string.IsNullOrWhiteSpace(approvedBy))
            e["approvedBy"] = $"{x.ToChinese()}须经支部大会讨论决定并报上级党组织批准，请填写批准的上级党组织";
        return e;
    }
}

/// <summary>
/// 民主评议党员 grades. 优秀 may go to at most one third of the members appraised, rounded down
/// (3 → 1, 5 → 1, 6 → 2). Decision for fewer than 3 appraised (1 or 2 members): the limit is applied literally,
/// floor(2/3) = 0, so no 优秀 can be given — a third of two people is not a whole person, and rounding up would let one
/// of two (50%) be 优秀. 不合格 needs a reason and starts a follow-up record.
/// Source: rules.md §4 (民主评议党员 yearly; 优秀 at most 1/3 of those assessed), seed 002 (every December).
/// </summary>
public static class AppraisalRules
{
    public const string Source = "民主评议党员：优秀不超过参评党员的三分之一";
    public const int ReasonMaxLength = 500;

    public static int MaxExcellent(int appraised) => appraised < 0 ? 0 : appraised / 3;

    public static string ToChinese(this AppraisalGrade g) => g switch
    {
        AppraisalGrade.Excellent => "优秀", AppraisalGrade.Qualified => "合格", AppraisalGrade.BasicallyQualified => "基本合格", _ => "不合格",
    };

    public static string ToChinese(this AppraisalStatus s) => s == AppraisalStatus.Submitted ? "已提交" : "评议中";

    /// <summary>The one-third message, or null when the number of 优秀 is within the limit.</summary>
    public static string? CheckExcellent(int excellent, int appraised)
    {
        var max = MaxExcellent(appraised);
        if (excellent <= max) return null;
        return max == 0
            ? $"参评党员{appraised}人，按“优秀不超过参评党员的三分之一（向下取整）”，本次不能评定优秀等次（已选{excellent}人）"
            : $"参评党员{appraised}人，优秀最多{max}人（不超过三分之一，向下取整），当前选了{excellent}人，请调整";
    }

    public static string? CheckReason(AppraisalGrade? grade, string? reason) =>
        grade == AppraisalGrade.Unqualified && string.IsNullOrWhiteSpace(reason) ? "评为不合格须写明理由"
        : reason is { Length: > ReasonMaxLength } ? $"理由不能超过{ReasonMaxLength}个字符" : null;
}
