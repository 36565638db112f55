using Jiceng.Domain.Members;

namespace Jiceng.Domain.Dues;

/// <summary>党费类别: what the monthly amount is computed from.</summary>
public enum DuesCategory
{
    /// <summary>在职: monthly after-tax regular pay (工资收入中相对固定的、经常性的部分).</summary>
    Employed = 1,
    /// <summary>离退休: monthly pension.</summary>
    Retired = 2,
    /// <summary>学生: a fixed amount.</summary>
    Student = 3,
    /// <summary>下岗失业: a fixed amount.</summary>
    Unemployed = 4,
    /// <summary>农民: a fixed small amount (0.2–1 元, local practice).</summary>
    Farmer = 5,
    /// <summary>依靠抚恤或救济生活、低保: a fixed amount.</summary>
    Relief = 6,
}

/// <summary>One answer of the dues rule: the monthly amount, the rate applied (null for a fixed amount) and the rule in words.</summary>
public sealed record DuesQuote(decimal MonthlyAmount, decimal? Rate, string Rule);

/// <summary>
/// The monthly party dues (党费) of one member. Source: 中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》
/// (中组发〔2008〕3号, in force 2008-04-01), rules.md §3:
/// employed, on monthly after-tax regular pay: ≤ 3000 → 0.5%; 3000 &lt; x ≤ 5000 → 1%; 5000 &lt; x ≤ 10000 → 1.5%;
/// &gt; 10000 → 2%. Retirees, on pension: ≤ 5000 → 0.5%; &gt; 5000 → 1%. Students, 下岗失业, 依靠抚恤或救济生活 and 低保:
/// 0.2 元 a month. Farmers: 0.2–1 元 a month (the amount is a setting, default 0.2 元).
/// Rounding, stated once: amounts are <c>decimal</c> 元 rounded half away from zero (四舍五入) to the 分
/// (<see cref="RoundToFen"/>); a base must itself be given to the 分.
/// </summary>
public static class DuesRule
{
    public const string Source = "中组部《关于中国共产党党费收缴、使用和管理的规定》（2008）";
    public const decimal FixedMonthlyAmount = 0.20m;
    public const decimal FarmerMinAmount = 0.20m;
    public const decimal FarmerMaxAmount = 1.00m;
    public const decimal MaxBase = 10_000_000m;
    /// <summary>A voluntary one-off payment of at least this is allowed (规定 第七条); smaller extra amounts are allowed too, but this is the 大额 line.</summary>
    public const decimal LargeVoluntaryAmount = 1000m;

    /// <summary>(upper bound inclusive, rate) for employed members; the last bracket has no bound.</summary>
    public static readonly IReadOnlyList<(decimal UpTo, decimal Rate)> EmployedBrackets =
        [(3000m, 0.005m), (5000m, 0.01m), (10000m, 0.015m), (decimal.MaxValue, 0.02m)];

    public static readonly IReadOnlyList<(decimal UpTo, decimal Rate)> RetiredBrackets =
        [(5000m, 0.005m), (decimal.MaxValue, 0.01m)];

    /// <summary>The one rounding rule: half away from zero to the 分.</summary>
    public static decimal RoundToFen(decimal yuan) => Math.Round(yuan, 2, MidpointRounding.AwayFromZero);

    public static bool UsesBase(DuesCategory c) => c is DuesCategory.Employed or DuesCategory.Retired;

    /// <summary>The category that follows from a member's occupation (a suggestion; the branch confirms it).</summary>
    public static DuesCategory CategoryFor(Occupation o) => o switch
    {
        Occupation.Retired => DuesCategory.Retired,
        Occupation.Student => DuesCategory.Student,
        Occupation.Farmer => DuesCategory.Farmer,
        Occupation.Unemployed => DuesCategory.Unemployed,
        _ => DuesCategory.Employed,
    };

    /// <summary>Checks a base; returns a Chinese message or null.</summary>
    public static string? CheckBase(DuesCategory category, decimal? monthlyBase)
    {
        if (!UsesBase(category)) return null;
        if (monthlyBase is not { } b) return category == DuesCategory.Employed ? "请填写每月税后工资收入（党费计算基数）" : "请填写每月离退休费（党费计算基数）";
        if (b <= 0) return "党费计算基数须大于0";
        if (b > MaxBase) return "党费计算基数过大，请核对";
        if (b != Math.Round(b, 2)) return "党费计算基数最多保留两位小数（到分）";
        return null;
    }

    /// <summary>The monthly amount. <paramref name="farmerAmount"/> is the local setting for farmers.</summary>
    public static DuesQuote Quote(DuesCategory category, decimal? monthlyBase, decimal farmerAmount = FixedMonthlyAmount)
    {
        if (CheckBase(category, monthlyBase) is { } error) throw new ArgumentException(error, nameof(monthlyBase));
        switch (category)
        {
            case DuesCategory.Employed:
            case DuesCategory.Retired:
            {
                var b = monthlyBase!.Value;
                var brackets = category == DuesCategory.Employed ? EmployedBrackets : RetiredBrackets;
                var i = 0;
                while (b > brackets[i].UpTo) i++;
                var rate = brackets[i].Rate;
                var lower = i == 0 ? null : (decimal?)brackets[i - 1].UpTo;
                var upper = brackets[i].UpTo == decimal.MaxValue ? null : (decimal?)brackets[i].UpTo;
                var range = (lower, upper) switch
                {
                    (null, { } u) => $"{u:0}元及以下",
                    ({ } l, { } u) => $"{l:0}元以上至{u:0}元",
                    ({ } l, null) => $"{l:0}元以上",
                    _ => "",
                };
                var what = category == DuesCategory.Employed ? "在职党员每月税后工资收入" : "离退休党员每月离退休费";
                return new DuesQuote(RoundToFen(b * rate), rate, $"{what}{range}，按{rate * 100:0.#}%交纳（{Source}）");
            }
            case DuesCategory.Farmer:
                if (farmerAmount is < FarmerMinAmount or > FarmerMaxAmount) throw new ArgumentOutOfRangeException(nameof(farmerAmount));
                return new DuesQuote(RoundToFen(farmerAmount), null, $"农民党员每月交纳党费{farmerAmount:0.00}元（规定为0.2元至1元，按本地设置）（{Source}）");
            default:
                return new DuesQuote(FixedMonthlyAmount, null, $"{category.ToChinese()}党员每月交纳党费{FixedMonthlyAmount:0.00}元（{Source}）");
        }
    }

    /// <summary>Parses the API's category names (employed, retired, student, unemployed, farmer, relief), case-insensitive.</summary>
    public static DuesCategory? ParseCategory(string? text) =>
        Enum.TryParse<DuesCategory>(text?.Trim(), ignoreCase: true, out var c) && Enum.IsDefined(c) && !int.TryParse(text, out _) ? c : null;

    public static string ToChinese(this DuesCategory c) => c switch
    {
        DuesCategory.Employed => "在职", DuesCategory.Retired => "离退休", DuesCategory.Student => "学生",
        DuesCategory.Unemployed => "下岗失业", DuesCategory.Farmer => "农民", DuesCategory.Relief => "依靠抚恤救济或低保",
        _ => c.ToString(),
    };

    /// <summary>Yuan to 分 for storage (the databases store whole 分 so that both can sum them exactly).</summary>
    public static long ToFen(decimal yuan) => (long)(RoundToFen(yuan) * 100m);

    /// <summary>分 to yuan with two decimals (30.00, not 30), as the API shows money.</summary>
    public static decimal FromFen(long fen) => fen / 100m + 0.00m;
}

/// <summary>Months as the first day of the month (DateOnly), the way dues are counted.</summary>
public static class DuesMonth
{
    public static DateOnly Of(DateOnly d) => new(d.Year, d.Month, 1);

    public static DateOnly? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        if (t.Length == 7 && DateOnly.TryParseExact(t + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d))
            return d;
        return null;
    }

    public static string Format(DateOnly month) => month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Months from <paramref name="from"/> to <paramref name="to"/>, both included (empty when to &lt; from).</summary>
    public static IEnumerable<DateOnly> Range(DateOnly from, DateOnly to)
    {
        for (var m = Of(from); m <= to; m = m.AddMonths(1)) yield return m;
    }

    public static int Between(DateOnly from, DateOnly to) => (to.Year - from.Year) * 12 + to.Month - from.Month;
}
