namespace Jiceng.Domain.Cases;

/// <summary>
/// A category's deadlines (rules.md §6, 《北京市接诉即办工作条例》2021: respond fast, then resolve): the response within
/// <c>ResponseHours</c>, the resolution within <c>ResolutionDays</c>. Both are positive, and the response cannot come
/// after the resolution (hours &lt;= days × 24). Upper bounds keep a typo from switching the alerts off for years.
/// </summary>
public static class CategoryDeadlineRule
{
    public const int MaxResponseHours = 720;
    public const int MaxResolutionDays = 365;

    /// <summary>The problems, by field (responseHours, resolutionDays), in Chinese; empty when the deadlines are valid.</summary>
    public static IReadOnlyList<(string Field, string Message)> Check(int? responseHours, int? resolutionDays)
    {
        var errors = new List<(string, string)>();
        if (responseHours is not { } h) errors.Add(("responseHours", "请填写响应时限（小时）"));
        else if (h <= 0) errors.Add(("responseHours", "响应时限须为正整数（小时）"));
        else if (h > MaxResponseHours) errors.Add(("responseHours", $"响应时限不能超过{MaxResponseHours}小时"));
        if (resolutionDays is not { } d) errors.Add(("resolutionDays", "请填写办理时限（天）"));
        else if (d <= 0) errors.Add(("resolutionDays", "办理时限须为正整数（天）"));
        else if (d > MaxResolutionDays) errors.Add(("resolutionDays", $"办理时限不能超过{MaxResolutionDays}天"));
        if (errors.Count == 0 && responseHours > resolutionDays * 24)
            errors.Add(("responseHours", $"响应时限不能晚于办理时限（{resolutionDays}天即{resolutionDays * 24}小时）"));
        return errors;
    }
}
