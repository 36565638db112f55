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
/// Article numbers of the 2014 text: see the comment at the top of <c>Articles2014</c> for which were checked against
/// which copies of the text and which are still unverified. The 2026 revision's text was not available when this was written: its entry
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
    /// <summary>False while the version's article numbers have not been checked against its published text: its citations of
    /// the 细则 then say so, so nobody quotes an article number the system only assumed.</summary>
    public bool ArticlesVerified { get; init; } = true;

    public const string UnverifiedNote = "（条款号沿用2014年版，待核对修订文本）";

    public RuleCitation Cite(DevelopmentRule rule)
    {
        var article = Articles.GetValueOrDefault(rule.Code, "有关规定");
        var otherDocument = article.StartsWith('《');
        return new(Version, otherDocument ? "" : Document, otherDocument || ArticlesVerified ? article : article + UnverifiedNote);
    }

    // 2014 article numbers, checked 2026-12-01 against copies of the 2014 text of 《中国共产党发展党员工作细则》
    // found by text search: the 党内法规库 copy (ajjhl.com/col_dnfgk/202503/297AEF90675D4AE90E902D1DD0B38F38,
    // only its opening reached the search index) and other published full or partial copies that number the articles
    // (dongfangbook.com 《制度治党》 chapter 2; couxd.com; taodocs.com; and pages quoting single articles with their number).
    //   Checked: 第五条 (年满十八岁), 第七条 (一个月内谈话), 第八条 (推荐, 支委会研究决定), 第九条 (一至两名培养联系人),
    //   第十一条 (每半年考察积极分子), 第十三条 (一年以上 → 发展对象), 第十四条 (两名正式党员作入党介绍人),
    //   第十六条 (the article just before 第十七条, ending "未经政治审查或政治审查不合格的，不能发展入党"),
    //   第十七条 (集中培训 不少于三天或二十四个学时; was 第十八条, which is 接收预备党员按党章程序),
    //   第十九条 (预审; 三个月内将离开), 第二十条 (到会人数超过半数), 第二十一条 (赞成人数超过半数),
    //   第三十二条 (预备期一年, 期满及时讨论转正, 延长不少于半年最长不超过一年; was 第二十七/二十九/三十条),
    //   第三十三条 (转正手续, same quorum and majority), 第三十四条 (转正决议三个月内审批; was 第三十一条).
    //   Not verified (no copy of those articles was found): TalkBeforeApproval 第二十三条,
    //   ApprovalWithinThreeMonths 第二十四条, ProbationAssessedHalfYearly 第二十八条.
    // The 2026 entry reuses these numbers; the 2026 text itself is unverified (see remarks).
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
        [DevelopmentRules.CentralizedTraining.Code] = "第十七条",
        [DevelopmentRules.NotLeavingWithinThreeMonths.Code] = "第十九条",
        [DevelopmentRules.AssemblyQuorum.Code] = "第二十条",
        [DevelopmentRules.AssemblyMajority.Code] = "第二十一条",
        [DevelopmentRules.TalkBeforeApproval.Code] = "第二十三条",
        [DevelopmentRules.ApprovalWithinThreeMonths.Code] = "第二十四条",
        [DevelopmentRules.ProbationOneYear.Code] = "第三十二条（党章第七条）",
        [DevelopmentRules.ProbationAssessedHalfYearly.Code] = "第二十八条",
        [DevelopmentRules.ConfirmationWhenProbationEnds.Code] = "第三十二条",
        [DevelopmentRules.ProbationExtension.Code] = "第三十二条（党章第七条）",
        [DevelopmentRules.ConfirmationApprovalWithinThreeMonths.Code] = "第三十四条",
        [DevelopmentRules.Withdrawal.Code] = "《地方实践：入党申请人撤回申请》",
        [DevelopmentRules.Termination.Code] = "《地方实践：取消入党积极分子、发展对象资格》（参照细则第八条、第十三条由支部委员会决定）",
        // 党章 第七条, checked 2026-12-02 against the published 党章 text (ebook.theorychina.org.cn, 《中国共产党章程》 p.19).
        [DevelopmentRules.ProbationCancellation.Code] = "《中国共产党章程》第七条",
        [DevelopmentRules.StepCorrection.Code] = "《地方实践：发展党员档案更正留痕》",
    };

    public static readonly DevelopmentRuleBook V2014 = new()
    {
        Version = "2014", Year = 2014, EffectiveFrom = new DateOnly(2014, 6, 10),
        Document = "《中国共产党发展党员工作细则》（2014年）", Articles = Articles2014,
    };

    /// <summary>The May 2026 revision. Effective date and articles to be verified against the published text (see remarks).</summary>
    /// <remarks>
    /// Searched again on 2026-12-02 (stored public pages and documentation; queries for the 2026 revision, 修订, 新旧对照, 解读):
    /// every hit was the 2014 text or the news of its issue (中共中央办公厅印发, 2014-06-10, people.com.cn / xinhuanet), none
    /// the 2026 revision, its date of issue or its changes. rules.md §2 says only "revised May 2026: verify against the current
    /// text". So the effective date stays the assumed 2026-05-01, the articles stay the 2014 numbers, and
    /// <see cref="ArticlesVerified"/> is false so every citation under this version says the numbers are unchecked.
    /// When the published revision is at hand: give it its own article table, its real effective date, set
    /// ArticlesVerified, and adjust the boundary tests in DevelopmentRulesTests.
    /// </remarks>
    public static readonly DevelopmentRuleBook V2026 = new()
    {
        Version = "2026", Year = 2026, EffectiveFrom = new DateOnly(2026, 5, 1),
        Document = "《中国共产党发展党员工作细则》（2026年修订）", Articles = Articles2014, ArticlesVerified = false,
    };

    public static IReadOnlyList<DevelopmentRuleBook> All { get; } = [V2014, V2026];

    /// <summary>The version in force on <paramref name="on"/>, limited to versions up to <paramref name="adoptedYear"/>.
    /// Dates before the first version fall under the first.</summary>
    public static DevelopmentRuleBook InForce(DateOnly on, int adoptedYear) =>
        All.Where(b => b.EffectiveFrom <= on && b.Year <= adoptedYear).OrderBy(b => b.EffectiveFrom).LastOrDefault() ?? V2014;
}
