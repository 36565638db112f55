namespace Jiceng.Domain.Settings;

/// <summary>A rule parameter that is local practice: stored in the database, defaulting to rules.md.</summary>
public sealed record SettingDefinition(string Key, string Name, int Default, int Min, int Max, string Unit, string Source);

/// <summary>Every setting the system knows. Values are integers: days, months, counts.</summary>
public static class SettingDefinitions
{
    public static readonly SettingDefinition TermWarningDays = new(
        "org.termWarningDays", "任期届满提前提醒天数", 90, 0, 365, "天",
        "地方实践：换届工作一般提前3个月启动");

    public static readonly SettingDefinition GroupRequiredAtMembers = new(
        "org.groupRequiredAtMembers", "应设党小组的支部党员人数", 30, 3, 200, "人",
        "种子003：党员30人以上的支部全部设立党小组");

    public static readonly SettingDefinition TransferLetterValidMonths = new(
        "transfer.letterValidMonths", "组织关系介绍信有效期", 3, 1, 6, "月",
        "中组发〔2004〕10号：介绍信有效期一般不超过3个月");

    public static readonly SettingDefinition CandidatePublicNoticeWorkingDays = new(
        "development.publicNoticeWorkingDays", "发展对象公示期", 5, 1, 30, "个工作日",
        "地方实践：发展对象公示不少于5个工作日");

    public static readonly SettingDefinition DevelopmentRuleVersion = new(
        "development.ruleVersion", "发展党员工作细则适用版本（年份）", 2026, 2014, 2026, "年版",
        "《中国共产党发展党员工作细则》2014年版，2026年5月修订；各步骤按其日期适用当时有效且不晚于本设置的版本");

    public static readonly SettingDefinition CaseFollowUpDays = new(
        "cases.followUpDays", "办结后回访天数", 7, 1, 60, "天",
        "接诉即办实践：办结后回访，确认是否解决");

    public static readonly SettingDefinition MeetingPartyLessonPerYear = new(
        "life.partyLessonsPerYear", "每年党课次数", 4, 1, 12, "次",
        "种子002：每季度一次党课；全国规定书记每年至少讲1次");

    public static readonly SettingDefinition DuesFarmerMonthlyFen = new(
        "dues.farmerMonthlyFen", "农民党员每月党费", 20, 20, 100, "分",
        "中组部《关于中国共产党党费收缴、使用和管理的规定》（2008）：农民党员每月交纳党费0.2元至1元");
    public static readonly SettingDefinition LifeBranchAssembliesPerYear = new(
        "life.branchAssembliesPerYear", "每年支部党员大会次数", 4, 0, 12, "次",
        "《中国共产党支部工作条例（试行）》：支部党员大会一般每季度召开1次");

    public static readonly SettingDefinition LifeCommitteeMeetingsPerYear = new(
        "life.committeeMeetingsPerYear", "每年支委会次数", 12, 0, 12, "次",
        "《中国共产党支部工作条例（试行）》：支部委员会会议一般每月召开1次");

    public static readonly SettingDefinition LifeGroupMeetingsPerYear = new(
        "life.groupMeetingsPerYear", "每年党小组会次数", 12, 0, 12, "次",
        "《中国共产党支部工作条例（试行）》：党小组会一般每月召开1次");

    public static readonly SettingDefinition LifeThemeDaysPerYear = new(
        "life.themeDaysPerYear", "每年主题党日次数", 12, 0, 12, "次",
        "种子：每月固定1天开展主题党日（主题党日+）");

    public static readonly SettingDefinition LifeCriticismMeetingsPerYear = new(
        "life.criticismMeetingsPerYear", "每年组织生活会次数", 1, 0, 4, "次",
        "《中国共产党支部工作条例（试行）》：组织生活会一般每年召开1次，通常在第四季度");

    public static readonly SettingDefinition LifeHeartTalksPerYear = new(
        "life.heartTalksPerYear", "每年谈心谈话次数（每个支部）", 1, 0, 12, "次",
        "《中国共产党支部工作条例（试行）》：谈心谈话每年至少1次");

    public static readonly SettingDefinition LifeAppraisalsPerYear = new(
        "life.appraisalsPerYear", "每年民主评议党员次数", 1, 0, 1, "次",
        "民主评议党员每年1次（种子002：每年12月）");

    public static readonly SettingDefinition LifeAbsenceStreak = new(
        "life.absenceStreak", "连续无故缺席提醒次数", 3, 2, 12, "次",
        "地方实践：党员连续无故缺席组织生活达到次数即提醒（党章第九条：连续六个月不参加组织生活视为自行脱党）");

    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        TermWarningDays, GroupRequiredAtMembers, TransferLetterValidMonths,
        CandidatePublicNoticeWorkingDays, DevelopmentRuleVersion, CaseFollowUpDays, MeetingPartyLessonPerYear, DuesFarmerMonthlyFen,
        LifeBranchAssembliesPerYear, LifeCommitteeMeetingsPerYear, LifeGroupMeetingsPerYear, LifeThemeDaysPerYear,
        LifeCriticismMeetingsPerYear, LifeHeartTalksPerYear, LifeAppraisalsPerYear, LifeAbsenceStreak,
    ];

    public static SettingDefinition? Find(string key) => All.FirstOrDefault(d => d.Key == key);
}

/// <summary>Read access to settings; implemented over the database.</summary>
public interface ISettingsReader
{
    int Get(SettingDefinition definition);
}
