namespace Jiceng.Domain.Members;

/// <summary>
/// Who is a current party member (在册党员), and what a person whose membership ended may do again.
/// Sources (rules.md §1, §2, §9 and the status list of issue 3): 党章 第七条 (a probationary member who does not meet the
/// conditions has the probationary status cancelled; membership begins by admission through the 发展党员 procedure),
/// 党章 第九条 (劝退 and 除名 end the membership: 出党), 《中国共产党党员教育管理工作条例》2019 (members' statuses: 流动党员 and
/// 出国境 members stay on their organization's roll; 停止党籍 for members who lost contact). Article numbers are cited as in
/// the brief and not verified against the published texts.
/// </summary>
public static class PartyMembership
{
    /// <summary>The statuses of current members (在册): counted in their organization, owing dues, taking part in organizational
    /// life and able to be transferred. For database queries (<c>Current.Contains(m.Status)</c>).</summary>
    public static readonly MemberStatus[] Current = [MemberStatus.Normal, MemberStatus.Mobile, MemberStatus.Abroad];

    /// <summary>正常, 流动 and 出国境 members are current; everyone else in the registry is a former member or not on this
    /// deployment's roll any more.</summary>
    public static bool IsCurrent(MemberStatus status) => status is MemberStatus.Normal or MemberStatus.Mobile or MemberStatus.Abroad;

    /// <summary>Why a person with this status cannot be treated as a current member (Chinese, for a field error); null for
    /// a current member.</summary>
    public static string? RefusalFor(MemberStatus status) => status switch
    {
        _ when IsCurrent(status) => null,
        MemberStatus.Suspended => "该党员已停止党籍，不是在册党员",
        MemberStatus.Deceased => "该党员已故",
        MemberStatus.TransferredOut => "该党员的组织关系已转出，不在本系统在册",
        MemberStatus.LeftParty => "该人员已出党（劝其退党或除名），不是党员",
        MemberStatus.ProbationCancelled => "该人员已被取消预备党员资格，不是党员",
        _ => $"该党员当前状态为“{status.ToChinese()}”，不是在册党员",
    };

    /// <summary>A person in the registry with this status may submit a new 入党申请 (and be admitted again through the whole
    /// procedure): one whose probationary status was cancelled (党章 第七条) or who left the party (出党: 劝退 or 除名, 党章 第九条).
    /// A current member may not, nor someone transferred out (still a member, elsewhere) or deceased, nor a suspended member:
    /// 停止党籍 suspends the membership without ending it, and a suspended member who comes back is reviewed by their
    /// organization, which restores the membership (恢复党籍) or removes them (<see cref="SuspensionRule"/>). A person not in the
    /// registry (null) may.</summary>
    public static bool MayApplyAgain(MemberStatus? registered) =>
        registered is null or MemberStatus.ProbationCancelled or MemberStatus.LeftParty;

    /// <summary>Why a person with this registry status cannot submit a new 入党申请; null when they may.</summary>
    public static string? ApplicationRefusal(MemberStatus? registered) => registered switch
    {
        _ when MayApplyAgain(registered) => null,
        MemberStatus.TransferredOut => "该身份证号在党员名册中为已转出的党员，仍是党员，请办理组织关系转入，不能再次申请入党",
        MemberStatus.Deceased => "该身份证号在党员名册中登记为已故，请核对身份证号",
        MemberStatus.Suspended => "该身份证号在党员名册中为停止党籍的党员，不能重新申请入党；本人要求恢复的，应由其所在党组织审查后办理恢复党籍（或予以除名）",
        _ => "该身份证号已登记为党员",
    };

    /// <summary>A person in the registry with this status may be registered again on receipt of an introduction letter from
    /// an organization outside this deployment (the registry row is reused): one who transferred out earlier, or who was
    /// admitted again elsewhere after 出党 or a cancelled probation (the letter shows the membership). A current member is on
    /// the roll already; a suspended member's status is this deployment's own decision; a deceased person cannot.</summary>
    public static bool MayTransferInAgain(MemberStatus? registered) =>
        registered is null or MemberStatus.TransferredOut or MemberStatus.LeftParty or MemberStatus.ProbationCancelled;

    /// <summary>Why a letter from outside cannot be received for a person with this registry status; null when it may.</summary>
    public static string? TransferInRefusal(MemberStatus? registered) => registered switch
    {
        _ when MayTransferInAgain(registered) => null,
        MemberStatus.Suspended => "该身份证号在党员名册中为停止党籍，应由原党组织处理，不能按转入办理",
        MemberStatus.Deceased => "该身份证号在党员名册中登记为已故，请核对身份证号",
        _ => "该身份证号已登记为本系统在册党员，请办理系统内转接",
    };
}
