namespace Jiceng.Domain.Members;

/// <summary>
/// What a branch may reward with contribution points (党员量化积分).
/// Source: 国办函〔2026〕12号《政务移动互联网应用程序规范化管理办法》(2026-01-25): no forced 打卡签到;
/// no 积分排名 or 在线时长 as measures; 点赞、投票、转发、学习时长 are not evaluation criteria; no forced
/// upload of photos, videos or tracks (rules.md §8). Points therefore reward contributions recorded by
/// people (volunteering, a theme-day activity), never activity in an app; and the system shows yearly
/// totals per member sorted by name, never a ranking.
/// </summary>
public static class ContributionPointRules
{
    public const string Source = "国办函〔2026〕12号";
    public const int MinPoints = 1;
    public const int MaxPoints = 100;
    public const int NameMaxLength = 50;

    /// <summary>Words that name app activity rather than a contribution. "登陆" is the common misspelling
    /// of 登录; 照片/拍照/视频/轨迹 would turn points into a forced upload.</summary>
    public static readonly IReadOnlyList<string> ForbiddenWords =
    [
        "学习时长", "登录", "登陆", "在线", "时长", "点赞", "转发", "分享", "打卡", "签到", "投票", "浏览", "照片", "拍照", "视频", "轨迹",
    ];

    /// <summary>The forbidden word a point item's name contains (spaces ignored), or null.</summary>
    public static string? ForbiddenWordIn(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var compact = new string(name.Where(c => !char.IsWhiteSpace(c)).ToArray());
        return ForbiddenWords.FirstOrDefault(w => compact.Contains(w, StringComparison.Ordinal));
    }

    /// <summary>Checks a point item; returns field → Chinese message.</summary>
    public static Dictionary<string, string> CheckItem(string? name, int? points)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(name)) errors["name"] = "积分项目名称不能为空";
        else if (name.Trim().Length > NameMaxLength) errors["name"] = $"积分项目名称不能超过{NameMaxLength}个字符";
        else if (ForbiddenWordIn(name) is { } word)
            errors["name"] = $"不能设置含“{word}”的积分项目：依据{Source}《政务移动互联网应用程序规范化管理办法》，登录、在线时长、点赞、转发、分享、学习时长、打卡签到等不得作为积分或考核依据，也不得强制上传照片、视频";
        if (points is null) errors["points"] = "请填写分值";
        else if (points is < MinPoints or > MaxPoints) errors["points"] = $"分值须在{MinPoints}到{MaxPoints}之间";
        return errors;
    }
}
