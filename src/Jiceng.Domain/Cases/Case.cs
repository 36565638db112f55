using Jiceng.Domain.Organizations;

namespace Jiceng.Domain.Cases;

/// <summary>Where a case came from. Stored as numbers: append, never renumber.</summary>
public enum CaseSource { QrCode = 1, Hotline = 2, Visit = 3, Patrol = 4, Api = 5 }

/// <summary>The states of a case (群众诉求). Stored as numbers: append, never renumber.</summary>
public enum CaseStatus
{
    Received = 1,   // 已受理登记 (待响应)
    Accepted = 2,   // 已响应
    Handling = 3,   // 处置中
    Whistled = 4,   // 已吹哨，部门处置中
    Closed = 5,     // 已办结 (handler says done)
    Resolved = 6,   // 已解决 (resident confirmed, or 回访 confirmed)
    Reopened = 7,   // 居民不满意，重新办理
    Rejected = 8,   // 不予受理
}

/// <summary>What happened to a case; each is one row of its history.</summary>
public enum CaseAction
{
    Submit = 1, Accept = 2, Handle = 3, Whistle = 4, DepartmentAccept = 5, DepartmentReport = 6,
    Close = 7, Confirm = 8, Reopen = 9, FollowUp = 10, Reject = 11, Transfer = 12, Escalate = 13, Comment = 14, Rate = 15,
}

/// <summary>A department's part in a whistled case (街道吹哨、部门报到).</summary>
public enum DispatchStatus { Whistled = 1, Accepted = 2, Reported = 3 }

/// <summary>Who performs an action: staff of the owning organization, the street (whistle), a department, the resident, the system.</summary>
public enum CaseActor { Staff = 1, Street = 2, Department = 3, Resident = 4, System = 5 }

/// <summary>A case category (建筑施工安全, 占道经营 ...) with its deadlines. Categories are data, not code.</summary>
public class CaseCategory
{
    public Guid Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    /// <summary>Hours within which the receiving unit must respond (contact the resident).</summary>
    public int ResponseHours { get; set; }
    /// <summary>Days within which the case must be closed.</summary>
    public int ResolutionDays { get; set; }
    public int SortOrder { get; set; }
    public bool Active { get; set; } = true;
}

/// <summary>
/// A resident's request or a reported issue, handled as a ticket. <see cref="OrganizationId"/> is where it arose
/// (the grid's branch, or a community) and fixes who may read it; <see cref="HandlingOrganizationId"/> is the
/// level that owns it now (one level up after an escalation). Counted fields (RespondedAt, ClosedAt, ...) are
/// set by the transitions, so every rate is counted from the records.
/// </summary>
public class Case
{
    public Guid Id { get; set; }
    /// <summary>Short number for people to quote (e.g. on the phone): yyyyMMdd-NNNNNN.</summary>
    public required string Number { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public Guid HandlingOrganizationId { get; set; }
    /// <summary>
    /// The street (街道党工委) that <see cref="OrganizationId"/> lies in, the organization itself if it is one; null for an
    /// organization above or beside the streets. Copied from the tree so that a street's list, newest first, is one index
    /// range instead of a walk over the whole city's newest cases (bench/results/2026-12-03-all-33.4-s8-final.md: 3,285
    /// organization probes for a page of 20). Kept by case creation, transfer and organization moves.
    /// </summary>
    public Guid? StreetId { get; set; }
    public Guid? GridId { get; set; }
    public Guid? HouseholdId { get; set; }
    public Guid CategoryId { get; set; }
    public CaseCategory? Category { get; set; }
    public CaseSource Source { get; set; }
    public CaseStatus Status { get; set; } = CaseStatus.Received;
    public required string Description { get; set; }
    public string? Place { get; set; }
    public string? ReporterName { get; set; }
    public string? PhoneCipher { get; set; }
    public string? PhoneHash { get; set; }
    public string? PhoneMasked { get; set; }
    /// <summary>SHA-256 of the resident's tracking code; the code itself is never stored.</summary>
    public string? TrackingHash { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset ResponseDue { get; set; }
    public DateTimeOffset ResolutionDue { get; set; }
    public DateTimeOffset? RespondedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? Result { get; set; }
    public int ReopenCount { get; set; }
    /// <summary>Minutes from receipt to the last close, summed for the average time to close.</summary>
    public int? CloseMinutes { get; set; }
    public bool EscalatedForResponse { get; set; }
    public bool EscalatedForResolution { get; set; }
    /// <summary>Satisfaction 1..5 given by the resident (4 and 5 count as satisfied).</summary>
    public int? Rating { get; set; }
    public bool HasPhoto { get; set; }
    /// <summary>Optimistic concurrency: every transition increments it; a stale version is refused.</summary>
    public int Version { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One line of a case's history: the action, who, when, the reason or result, and the status after it.</summary>
public class CaseEvent
{
    public Guid Id { get; set; }
    public Guid CaseId { get; set; }
    public Case? Case { get; set; }
    public CaseAction Action { get; set; }
    public CaseStatus StatusAfter { get; set; }
    public CaseActor Actor { get; set; }
    public string? ActorName { get; set; }
    public Guid? DepartmentId { get; set; }
    public Guid? OrganizationId { get; set; }
    public string? Text { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>A department serving a street (or the district): 城管执法队, 市场监管所 ... Handlers are accounts with
/// the DepartmentHandler role who are members of it.</summary>
public class Department : IOrgScoped
{
    public Guid Id { get; set; }
    public Guid OrganizationId { get; set; }
    public Organization? Organization { get; set; }
    public required string Name { get; set; }
    public bool Active { get; set; } = true;
}

public class DepartmentHandler
{
    public Guid Id { get; set; }
    public Guid DepartmentId { get; set; }
    public Department? Department { get; set; }
    public required string UserId { get; set; }
}

/// <summary>A case whistled to one department, with its own deadlines to accept and to report back.</summary>
public class CaseDispatch
{
    public Guid Id { get; set; }
    public Guid CaseId { get; set; }
    public Case? Case { get; set; }
    public Guid DepartmentId { get; set; }
    public Department? Department { get; set; }
    public DispatchStatus Status { get; set; } = DispatchStatus.Whistled;
    public DateTimeOffset WhistledAt { get; set; }
    public DateTimeOffset AcceptDue { get; set; }
    public DateTimeOffset ReportDue { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public DateTimeOffset? ReportedAt { get; set; }
    public string? Report { get; set; }
}

/// <summary>An optional photo sent with a case (never required).</summary>
public class CasePhoto
{
    public Guid Id { get; set; }
    public Guid CaseId { get; set; }
    public Case? Case { get; set; }
    public required string ContentType { get; set; }
    public required byte[] Content { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public static class CaseNames
{
    public static string ToChinese(this CaseStatus s) => s switch
    {
        CaseStatus.Received => "待响应", CaseStatus.Accepted => "已响应", CaseStatus.Handling => "处置中", CaseStatus.Whistled => "部门处置中",
        CaseStatus.Closed => "已办结", CaseStatus.Resolved => "已解决", CaseStatus.Reopened => "重新办理", CaseStatus.Rejected => "不予受理", _ => s.ToString(),
    };

    public static string ToChinese(this CaseSource s) => s switch
    {
        CaseSource.QrCode => "扫码上报", CaseSource.Hotline => "热线", CaseSource.Visit => "走访发现", CaseSource.Patrol => "巡查发现", CaseSource.Api => "接口", _ => s.ToString(),
    };

    public static string ToChinese(this CaseAction a) => a switch
    {
        CaseAction.Submit => "登记", CaseAction.Accept => "响应受理", CaseAction.Handle => "开始处置", CaseAction.Whistle => "街道吹哨",
        CaseAction.DepartmentAccept => "部门报到", CaseAction.DepartmentReport => "部门反馈", CaseAction.Close => "办结",
        CaseAction.Confirm => "居民确认解决", CaseAction.Reopen => "居民申请重办", CaseAction.FollowUp => "回访", CaseAction.Reject => "不予受理",
        CaseAction.Transfer => "转办", CaseAction.Escalate => "超时上提一级", CaseAction.Comment => "补充说明", CaseAction.Rate => "满意度评价", _ => a.ToString(),
    };

    public static string ToChinese(this DispatchStatus s) => s switch
    {
        DispatchStatus.Whistled => "待报到", DispatchStatus.Accepted => "已报到", DispatchStatus.Reported => "已反馈", _ => s.ToString(),
    };
}
