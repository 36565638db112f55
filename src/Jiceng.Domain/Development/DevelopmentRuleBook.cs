namespace Jiceng.Domain.Development;

/// <summary>A named rule of 发展党员. <see cref="Blocks"/>: a step that breaks it is refused; otherwise it is
/// recorded and the breach shows in the procedure check (a late talk still happened; the record must say so).</summary>
public sealed record DevelopmentRule(string Code, string Name, bool Blocks);

/// <summary>Where a rule is written: the version of the rule set, the document and the article.</summary>
public sealed record RuleCitation(string Version, string Document, string Article)
{
    public string Text => $"{Document}{Article}";
}

/// <summary>
/// One version of the rule set. 《中国共产党发展党员工作细则》 was issued on 2014-06-10 (中办发〔2014〕号, in force
/// the same day) and revised in May 2026 (rules.md §2). A record is checked step by step against the version in force
/// on the step's date, but never against a version newer than the one the deployment has adopted (setting
/// <c>development.ruleVersion</c>), so a district can switch once it has checked the revised text.
/// </summary>
/// <remarks>
/// Article numbers of the 2014 text: 第十九条 (committee review, pre-review, leaving within 3 months) and 第二十条 (the
/// assembly's quorum) were checked against published copies; the others follow the 2014 text's chapter order and must
/// be verified against the official text. The 2026 revision's text was not available when this was written: its entry
/// carries the same numbers and articles as 2014 until someone checks the published revision and edits this table
/// (the structure lets each version have its own articles and its own parameters).
/// </remarks>
public sealed class DevelopmentRuleBook
{
    public required string Version { get; init; }
    public required int Year { get; init; }
    public required DateOnly EffectiveFrom { get; init; }
    public required string Document { get; init; }
    public required IReadOnlyDictionary<string, string> Articles { get; init; }

    public RuleCitation Cite(DevelopmentRule rule) =>
        new(Version, Articles.TryGetValue(rule.Code, out var a) && a.StartsWith('《') ? "" : Document, Articles.GetValueOrDefault(rule.Code, "有关规定"));

    private static readonly Dictionary<string, string> Articles2014 = new()
    {
        [DevelopmentRules.StepOrder.Code] = "第二章至第六章（发展党员的程序）",
        [DevelopmentRules.AgeAtApplication.Code] = "第五条",
        [DevelopmentRules.TalkWithinOneMonth.Code] = "第七条",
        [DevelopmentRules.ActivistDetermination.Code] = "第八条",
        [DevelopmentRules.Mentors.Code] = "第九条",
        [DevelopmentRules.ActivistAssessedHalfYearly.Code] = "第十一条",
        [DevelopmentRules.OneYearBeforeCandidate.Code] = "第十三条",
        [DevelopmentRules.PublicNotice.Code] = "《地方实践：发展对象公示制度》（公示期为设置项）",
        [DevelopmentRules.Sponsors.Code] = "第十四条",
        [DevelopmentRules.PoliticalReview.Code] = "第十六条",
        [DevelopmentRules.CentralizedTraining.Code] = "第十八条",
        [DevelopmentRules.NotLeavingWithinThreeMonths.Code] = "第十九条",
        [DevelopmentRules.AssemblyQuorum.Code] = "第二十条",
        [DevelopmentRules.AssemblyMajority.Code] = "第二十一条",
        [DevelopmentRules.TalkBeforeApproval.Code] = "第二十三条",
        [DevelopmentRules.ApprovalWithinThreeMonths.Code] = "第二十四条",
        [DevelopmentRules.ProbationOneYear.Code] = "第二十七条（党章第七条）",
        [DevelopmentRules.ProbationAssessedHalfYearly.Code] = "第二十八条",
        [DevelopmentRules.ConfirmationWhenProbationEnds.Code] = "第二十九条",
        [DevelopmentRules.ProbationExtension.Code] = "第三十条（党章第七条）",
        [DevelopmentRules.ConfirmationApprovalWithinThreeMonths.Code] = "第三十一条",
    };

    public static readonly DevelopmentRuleBook V2014 = new()
    {
        Version = "2014", Year = 2014, EffectiveFrom = new DateOnly(2014, 6, 10),
        Document = "《中国共产党发展党员工作细则》（2014年）", Articles = Articles2014,
    };

    /// <summary>The May 2026 revision. Effective date and articles to be verified against the published text (see remarks).</summary>
    public static readonly DevelopmentRuleBook V2026 = new()
    {
        Version = "2026", Year = 2026, EffectiveFrom = new DateOnly(2026, 5, 1),
        Document = "《中国共产党发展党员工作细则》（2026年修订）", Articles = Articles2014,
    };

    public static IReadOnlyList<DevelopmentRuleBook> All { get; } = [V2014, V2026];

    /// <summary>The version in force on <paramref name="on"/>, limited to versions up to <paramref name="adoptedYear"/>.
    /// Dates before the first version fall under the first.</summary>
    public static DevelopmentRuleBook InForce(DateOnly on, int adoptedYear) =>
        All.Where(b => b.EffectiveFrom <= on && b.Year <= adoptedYear).OrderBy(b => b.EffectiveFrom).LastOrDefault() ?? V2014;
}
