namespace Jiceng.Domain.Alerts;

public enum AlertSeverity
{
    Info = 1,      // 提示
    Warning = 2,   // 预警
    Critical = 3,  // 严重 / 已逾期
}

/// <summary>What a rule says about one subject. The alert engine turns findings into stored
/// alerts and resolves the stored ones that no rule produces any more.</summary>
/// <param name="RuleCode">The named rule that fired.</param>
/// <param name="SubjectKey">Distinguishes several findings of one rule for one organization.</param>
public sealed record AlertFinding(
    string RuleCode,
    Guid OrganizationId,
    AlertSeverity Severity,
    string Message,
    string SubjectType,
    string SubjectId,
    DateOnly? DueOn = null,
    string SubjectKey = "")
{
    public string DedupKey => $"{RuleCode}|{OrganizationId:N}|{SubjectType}|{SubjectId}|{SubjectKey}";
}

public static class AlertSeverityNames
{
    public static string ToChinese(this AlertSeverity s) => s switch
    {
        AlertSeverity.Info => "提示",
        AlertSeverity.Warning => "预警",
        AlertSeverity.Critical => "严重",
        _ => s.ToString(),
    };
}
