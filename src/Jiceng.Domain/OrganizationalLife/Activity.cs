using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;

namespace Jiceng.Domain.OrganizationalLife;

/// <summary>Kinds of organizational life (三会一课 and the rest). The numeric values are stored: append, never renumber.</summary>
public enum ActivityKind
{
    BranchAssembly = 1,    // 支部党员大会
    CommitteeMeeting = 2,  // 支委会
    GroupMeeting = 3,      // 党小组会
    PartyLesson = 4,       // 党课
    ThemeDay = 5,          // 主题党日
    CriticismMeeting = 6,  // 组织生活会
    HeartToHeartTalk = 7,  // 谈心谈话
    MemberAppraisal = 8,   // 民主评议
}

/// <summary>到会 / 请假 / 缺席.</summary>
public enum AttendanceStatus { Present = 1, Excused = 2, Absent = 3 }

/// <summary>One recorded activity of a branch or party group: what happened, once. Every compliance figure
/// (calendar, alerts, training hours) is counted from these records.</summary>
public class Activity : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public ActivityKind Kind { get; set; }
    public DateOnly Date { get; set; }
    public required string Place { get; set; }
    public required string Topic { get; set; }
    /// <summary>主持人.</summary>
    public required string Host { get; set; }
    /// <summary>授课人 (党课 only).</summary>
    public string? Lecturer { get; set; }
    /// <summary>学时 the lesson or training gives each member present (党课, 主题党日).</summary>
    public decimal? TrainingHours { get; set; }
    /// <summary>会议记录.</summary>
    public string? Minutes { get; set; }
    /// <summary>Counts of the attendance list, stored with the record so lists need no aggregation.</summary>
    public int PresentCount { get; set; }
    public int ExcusedCount { get; set; }
    public int AbsentCount { get; set; }
    /// <summary>支委会 only: committee members present and the committee's size on the day; null for other kinds.</summary>
    public int? CommitteePresent { get; set; }
    public int? CommitteeSize { get; set; }
    public string RecordedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public List<ActivityAttendance> Attendance { get; set; } = [];
}

/// <summary>One member on an activity's attendance list. <see cref="OrganizationId"/> and <see cref="Date"/> repeat the
/// activity's, so scope filters and the consecutive-absence rule read one table.</summary>
public class ActivityAttendance : IOrgScoped
{
    public Guid ActivityId { get; set; }
    public Activity? Activity { get; set; }
    public Guid MemberId { get; set; }
    public Member? Member { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public DateOnly Date { get; set; }
    public AttendanceStatus Status { get; set; }
    /// <summary>请假事由 (required when excused).</summary>
    public string? Reason { get; set; }
}

/// <summary>An optional file kept with an activity (never required: 国办函〔2026〕12号 forbids forced uploads).</summary>
public class ActivityAttachment : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid ActivityId { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public byte[] Content { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>书记 / 副书记 / 委员.</summary>
public enum CommitteePosition { Secretary = 1, DeputySecretary = 2, Member = 3 }

/// <summary>A seat on a branch committee (or a branch's secretary where no committee is set up), from one date until another.
/// It decides the 支委会 quorum and the 56-hour training requirement.</summary>
public class CommitteeSeat : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public Guid MemberId { get; set; }
    public Member? Member { get; set; }
    public CommitteePosition Position { get; set; }
    public DateOnly From { get; set; }
    public DateOnly? Until { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>How many activities in a row a member has been absent from without excuse, recomputed from their attendance
/// whenever an activity they are on is recorded (so the city-wide evaluation reads one row per member).</summary>
public class AbsenceStreak : IOrgScoped
{
    public Guid MemberId { get; set; }
    public Member? Member { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public int Count { get; set; }
    /// <summary>Date of the latest activity in the streak.</summary>
    public DateOnly? LastDate { get; set; }
}

public static class ActivityNames
{
    private static readonly Dictionary<ActivityKind, string> Names = new()
    {
        [ActivityKind.BranchAssembly] = "支部党员大会",
        [ActivityKind.CommitteeMeeting] = "支委会",
        [ActivityKind.GroupMeeting] = "党小组会",
        [ActivityKind.PartyLesson] = "党课",
        [ActivityKind.ThemeDay] = "主题党日",
        [ActivityKind.CriticismMeeting] = "组织生活会",
        [ActivityKind.HeartToHeartTalk] = "谈心谈话",
        [ActivityKind.MemberAppraisal] = "民主评议",
    };

    public static IReadOnlyDictionary<ActivityKind, string> All => Names;

    public static string ToChinese(this ActivityKind k) => Names.TryGetValue(k, out var n) ? n : k.ToString();

    public static string ToChinese(this AttendanceStatus s) => s switch
    {
        AttendanceStatus.Present => "到会", AttendanceStatus.Excused => "请假", AttendanceStatus.Absent => "缺席", _ => s.ToString(),
    };

    public static string ToChinese(this CommitteePosition p) => p switch
    {
        CommitteePosition.Secretary => "书记", CommitteePosition.DeputySecretary => "副书记", _ => "委员",
    };
}
