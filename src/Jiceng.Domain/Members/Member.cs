using Jiceng.Domain.Organizations;

namespace Jiceng.Domain.Members;

public enum Gender { Male = 1, Female = 2 }

/// <summary>职业类别 (the dues category follows from it).</summary>
public enum Occupation { Employed = 1, Retired = 2, Student = 3, Farmer = 4, Unemployed = 5, Other = 6 }

public enum Education { Unknown = 0, Primary = 1, JuniorHigh = 2, SeniorHigh = 3, JuniorCollege = 4, Bachelor = 5, Master = 6, Doctor = 7 }

/// <summary>预备党员 / 正式党员.</summary>
public enum MemberState { Probationary = 1, Full = 2 }

/// <summary>正常 / 流动 / 出国境 / 停止党籍 / 已故 / 转出 / 出党 / 取消预备党员资格. Only Normal, Mobile and Abroad members count in
/// their organization (<see cref="PartyMembership.IsCurrent"/>). <see cref="LeftParty"/> (出党) follows from a 劝退 or 除名 decision recorded on an appraisal follow-up
/// (<see cref="Jiceng.Domain.OrganizationalLife.FollowUpRules.StatusAfter"/>), never set by hand. ProbationCancelled is set only by the
/// development record (党章 第七条: 支部大会讨论通过和上级党组织批准); the row stays, so the history and what refers to it (dues,
/// registrations) stay consistent, and the person is no longer a member.</summary>
public enum MemberStatus { Normal = 1, Mobile = 2, Abroad = 3, Suspended = 4, Deceased = 5, TransferredOut = 6, LeftParty = 7, ProbationCancelled = 8 }

/// <summary>A party member in the registry. 身份证号 and phone are protected fields: only their cipher,
/// keyed hash and mask are stored.</summary>
public class Member : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public required string Name { get; set; }
    /// <summary>Pinyin initials of the name, for search ("zs" finds 张三).</summary>
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
    /// <summary>Last four digits, the part a masked phone shows, so staff can find a member by it.</summary>
    public string? PhoneTail { get; set; }
    public Education Education { get; set; }
    public Occupation Occupation { get; set; }
    public string? WorkUnit { get; set; }
    public string? HomeAddress { get; set; }
    /// <summary>The community where the member lives (for 双报到), which may differ from their organization.</summary>
    public Guid? ResidenceCommunityId { get; set; }
    public MemberState State { get; set; }
    /// <summary>入党日期: the branch assembly's vote (the start of probation).</summary>
    public DateOnly JoinedOn { get; set; }
    /// <summary>Month and day of <see cref="JoinedOn"/> as MMDD, so the 政治生日 list is an index range.</summary>
    public int JoinedMonthDay { get; set; }
    /// <summary>转正日期.</summary>
    public DateOnly? FullMemberOn { get; set; }
    public MemberStatus Status { get; set; } = MemberStatus.Normal;
    /// <summary>The date of the open suspension (停止党籍, China date), a copy of its <see cref="MemberSuspension.SuspendedOn"/>, so the
    /// 2-year decision alert (<see cref="SuspensionRule"/>) reads the (Status, SuspendedOn) index alone; null when no suspension
    /// is open, or for a member suspended before the date was recorded (<see cref="SuspensionDateMissingRule"/>).</summary>
    public DateOnly? SuspendedOn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public static class MemberNames
{
    public static string ToChinese(this Gender g) => g == Gender.Male ? "男" : "女";

    public static string ToChinese(this Occupation o) => o switch
    {
        Occupation.Employed => "在职", Occupation.Retired => "退休", Occupation.Student => "学生",
        Occupation.Farmer => "农民", Occupation.Unemployed => "下岗失业", _ => "其他",
    };

    public static string ToChinese(this Education e) => e switch
    {
        Education.Primary => "小学", Education.JuniorHigh => "初中", Education.SeniorHigh => "高中/中专", Education.JuniorCollege => "大专",
        Education.Bachelor => "本科", Education.Master => "硕士研究生", Education.Doctor => "博士研究生", _ => "未填写",
    };

    public static string ToChinese(this MemberState s) => s == MemberState.Full ? "正式党员" : "预备党员";

    public static string ToChinese(this MemberStatus s) => s switch
    {
        MemberStatus.Normal => "正常", MemberStatus.Mobile => "流动", MemberStatus.Abroad => "出国境", MemberStatus.Suspended => "停止党籍",
        MemberStatus.Deceased => "已故", MemberStatus.TransferredOut => "转出", MemberStatus.LeftParty => "出党",
        MemberStatus.ProbationCancelled => "取消预备党员资格", _ => s.ToString(),
    };
}
