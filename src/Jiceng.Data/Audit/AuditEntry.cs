namespace Jiceng.Data.Audit;

/// <summary>One record of the append-only, hash-chained audit trail. The trail is <see cref="AuditLanes.Count"/>
/// parallel chains (lanes, ADR 004): a writing transaction holds one lane's lock until it commits, and
/// <see cref="Sequence"/> is assigned under it as the lane's previous + 1, so each lane has no gaps and no forks.</summary>
public class AuditEntry
{
    /// <summary>The chain this record is on (0 .. <see cref="AuditLanes.Count"/> - 1; always 0 on SQLite).</summary>
    public short Lane { get; set; }
    /// <summary>Position within the lane, from 1.</summary>
    public long Sequence { get; set; }
    public DateTimeOffset At { get; set; }
    public string? UserId { get; set; }
    public string? UserName { get; set; }
    public string Roles { get; set; } = "";
    public required string Action { get; set; }
    public required string EntityType { get; set; }
    public string? EntityId { get; set; }
    public Guid? OrganizationId { get; set; }
    public string? ClientAddress { get; set; }
    public bool Success { get; set; } = true;
    /// <summary>JSON object of changed fields: {"Name":["old","new"]}. Secret fields never appear.</summary>
    public string? Changes { get; set; }
    public required string PreviousHash { get; set; }
    public string Hash { get; set; } = "";
}

/// <summary>How many audit chains may be extended at once. One chain serialized every audited write in the system
/// behind one lock held until commit (case submissions ran at 5% of the database's insert rate); with lanes, concurrent
/// transactions commit together (PostgreSQL groups their WAL flushes). 16 covers the connection pool's busy writers on
/// the 2-core target machine; more lanes only lengthen verification. SQLite has one writer at a time and uses lane 0.</summary>
public static class AuditLanes
{
    public const int Count = 16;
}

public static class AuditActions
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Delete = "delete";
    public const string Move = "move";
    public const string Archive = "archive";
    public const string LoginSuccess = "login.success";
    public const string LoginFailure = "login.failure";
    public const string Logout = "logout";
    public const string RoleChange = "role.change";
    public const string Reveal = "reveal";
    public const string Export = "export";
    public const string SettingChange = "setting.change";
    public const string Unlock = "account.unlock";
    public const string AccessDenied = "access.denied";

    public static string ToChinese(string action) => action switch
    {
        Create => "新增",
        Update => "修改",
        Delete => "删除",
        Move => "移动",
        Archive => "撤销",
        LoginSuccess => "登录成功",
        LoginFailure => "登录失败",
        Logout => "退出",
        RoleChange => "角色变更",
        Reveal => "查看完整敏感信息",
        Export => "导出",
        SettingChange => "参数设置",
        Unlock => "解锁账户",
        AccessDenied => "越权访问被拒绝",
        _ => action,
    };
}
