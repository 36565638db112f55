using Jiceng.Domain.Alerts;
using Jiceng.Domain.Members;

namespace Jiceng.Domain.Dues;

/// <summary>
/// Dues paid for months after the dues ended with the member's leaving the roll (<see cref="DuesObligation.EndMonth"/>): a
/// payment made in advance (a quarter or a year at once) before a 停止党籍, 已故, 出党 or 取消预备党员资格 whose date lies before
/// the months it covered, typically a decision recorded after the fact. Those months owe nothing (the member is not on the
/// roll), yet they stay paid and count in the ledger's 实交. The 规定 (rules.md §3) says nothing of refunds, so this rule is the
/// system's own: it names the months and the amount and asks the branch to check them; the branch decides (a refund through
/// the payment's 退还 removes the months and the alert; nothing is refunded automatically). A member transferred out
/// (转出) is not flagged: the letter carries 党费交至 and the receiving organization counts the paid months. A member who is
/// back on the roll (恢复党籍) is not flagged either: the branch assesses them anew and their paid months count again.
/// </summary>
public static class DuesPaidAfterEndRule
{
    public const string Code = "dues.paid-after-leaving";

    /// <summary>Off the roll and not transferred out: the statuses whose dues simply end, the ones this rule looks at.</summary>
    public static readonly MemberStatus[] Statuses = [MemberStatus.Suspended, MemberStatus.Deceased, MemberStatus.LeftParty, MemberStatus.ProbationCancelled];

    /// <summary>The finding for a member who left the roll with dues ended from <paramref name="endMonth"/>, or null when no paid
    /// month is at or after it, when the member is current again, or transferred out.</summary>
    /// <param name="paidMonths">The member's paid months and their amounts in 分 (any order).</param>
    public static AlertFinding? Evaluate(Guid memberId, string name, Guid organizationId, MemberStatus status, DateOnly endMonth,
        IEnumerable<(DateOnly Month, long AmountFen)> paidMonths)
    {
        if (!Statuses.Contains(status)) return null;
        // A month paid at 0 (免交, recorded in cash) holds no money to check.
        var after = paidMonths.Where(p => p.Month >= endMonth && p.AmountFen > 0).OrderBy(p => p.Month).ToList();
        if (after.Count == 0) return null;
        var fen = after.Sum(p => p.AmountFen);
        var span = after.Count == 1 ? $"{after[0].Month:yyyy年M月}" : $"{after[0].Month:yyyy年M月}至{after[^1].Month:yyyy年M月}";
        return new AlertFinding(Code, organizationId, AlertSeverity.Info,
            $"{name}（{status.ToChinese()}）自{endMonth:yyyy年M月}起停止计收党费，但{span}共{after.Count}个月已交党费{fen / 100m:0.00}元；" +
            "请支部核实，需要退还的在交纳记录中办理退还（本系统规则，《关于中国共产党党费收缴、使用和管理的规定》未规定退还）",
            "member", memberId.ToString(), null);
    }
}
