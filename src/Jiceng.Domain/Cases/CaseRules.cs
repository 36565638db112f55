using Jiceng.Domain.Alerts;

namespace Jiceng.Domain.Cases;

/// <summary>What a transition needs to know besides the current status.</summary>
public sealed record TransitionFacts(
    string? Text = null,
    int OpenDispatches = 0,
    int NewDepartments = 0,
    DateTimeOffset? ClosedAt = null,
    DateTimeOffset Now = default,
    int FollowUpDays = 7,
    bool? FollowUpResolved = null);

/// <summary>The answer of the state machine: the status after the action, or the field and the Chinese reason it is refused.</summary>
public sealed record TransitionResult(CaseStatus Next, string? Field = null, string? Error = null)
{
    public bool Allowed => Error is null;

    public static TransitionResult Refuse(CaseStatus current, string field, string error) => new(current, field, error);
}

/// <summary>
/// The case workflow (rules.md §6; 《北京市接诉即办工作条例》2021; seeds 001, 003): received → accepted (响应) →
/// handling → optionally whistled to departments (街道吹哨、部门报到: each accepts, then reports back) → closed (办结,
/// with the result) → resolved (解决: the resident confirms, or a 回访 after N days confirms) or reopened.
/// Rejections, transfers and reopening need a reason. 办结 and 解决 are kept apart so nobody can game the rates.
/// </summary>
public static class CaseStateMachine
{
    public const int MaxTextLength = 2000;

    public static bool IsOpen(CaseStatus s) => s is CaseStatus.Received or CaseStatus.Accepted or CaseStatus.Handling or CaseStatus.Whistled or CaseStatus.Reopened;

    public static bool IsTerminal(CaseStatus s) => s is CaseStatus.Resolved or CaseStatus.Rejected;

    /// <summary>Actions on the case itself (not department steps) that each status allows, for showing buttons.</summary>
    public static IReadOnlyList<CaseAction> StaffActions(CaseStatus s) => s switch
    {
        CaseStatus.Received => [CaseAction.Accept, CaseAction.Reject, CaseAction.Transfer],
        CaseStatus.Accepted => [CaseAction.Handle, CaseAction.Whistle, CaseAction.Close, CaseAction.Transfer],
        CaseStatus.Handling => [CaseAction.Whistle, CaseAction.Close],
        CaseStatus.Whistled => [CaseAction.Whistle, CaseAction.Close],
        CaseStatus.Reopened => [CaseAction.Handle, CaseAction.Whistle, CaseAction.Close],
        CaseStatus.Closed => [CaseAction.FollowUp],
        _ => [],
    };

    public static TransitionResult Apply(CaseStatus s, CaseAction action, TransitionFacts f)
    {
        string? NeedText(string label) =>
            string.IsNullOrWhiteSpace(f.Text) ? $"{label}不能为空" : f.Text.Length > MaxTextLength ? $"{label}不能超过{MaxTextLength}个字符" : null;
        TransitionResult Wrong() => TransitionResult.Refuse(s, "action", $"当前状态为“{s.ToChinese()}”，不能执行“{action.ToChinese()}”");

        switch (action)
        {
            case CaseAction.Accept:
                return s == CaseStatus.Received ? new(CaseStatus.Accepted) : Wrong();
            case CaseAction.Handle:
                return s is CaseStatus.Accepted or CaseStatus.Reopened ? new(CaseStatus.Handling) : Wrong();
            case CaseAction.Whistle:
                if (s is not (CaseStatus.Accepted or CaseStatus.Handling or CaseStatus.Reopened or CaseStatus.Whistled)) return Wrong();
                return f.NewDepartments < 1 ? TransitionResult.Refuse(s, "departmentIds", "请选择至少一个尚未吹哨的部门") : new(CaseStatus.Whistled);
            case CaseAction.DepartmentAccept:
                return s == CaseStatus.Whistled ? new(s) : Wrong();
            case CaseAction.DepartmentReport:
                if (s != CaseStatus.Whistled) return Wrong();
                return NeedText("处置情况") is { } e1 ? TransitionResult.Refuse(s, "text", e1) : new(s);
            case CaseAction.Close:
                if (s is not (CaseStatus.Accepted or CaseStatus.Handling or CaseStatus.Reopened or CaseStatus.Whistled)) return Wrong();
                if (f.OpenDispatches > 0) return TransitionResult.Refuse(s, "action", $"还有{f.OpenDispatches}个部门未反馈处置情况，不能办结");
                return NeedText("办理结果") is { } e2 ? TransitionResult.Refuse(s, "text", e2) : new(CaseStatus.Closed);
            case CaseAction.Confirm:
                return s == CaseStatus.Closed ? new(CaseStatus.Resolved) : Wrong();
            case CaseAction.Reopen:
                if (s != CaseStatus.Closed) return Wrong();
                return NeedText("重办理由") is { } e3 ? TransitionResult.Refuse(s, "text", e3) : new(CaseStatus.Reopened);
            case CaseAction.FollowUp:
                if (s != CaseStatus.Closed) return Wrong();
                if (f.ClosedAt is not { } closed || f.Now < FollowUpRule.DueAt(closed, f.FollowUpDays))
                    return TransitionResult.Refuse(s, "action", $"办结{f.FollowUpDays}天后居民仍未确认的，才进行回访");
                if (f.FollowUpResolved is not { } resolved) return TransitionResult.Refuse(s, "resolved", "请填写回访结果：是否已解决");
                if (resolved) return new(CaseStatus.Resolved);
                return NeedText("回访情况") is { } e4 ? TransitionResult.Refuse(s, "text", e4) : new(CaseStatus.Reopened);
            case CaseAction.Reject:
                if (s != CaseStatus.Received) return Wrong();
                return NeedText("不予受理的理由") is { } e5 ? TransitionResult.Refuse(s, "text", e5) : new(CaseStatus.Rejected);
            case CaseAction.Transfer:
                if (s is not (CaseStatus.Received or CaseStatus.Accepted)) return Wrong();
                return NeedText("转办理由") is { } e6 ? TransitionResult.Refuse(s, "text", e6) : new(CaseStatus.Received);
            case CaseAction.Escalate:
                return IsOpen(s) ? new(s) : Wrong();
            case CaseAction.Comment:
                if (s == CaseStatus.Rejected) return Wrong();
                return NeedText("补充内容") is { } e7 ? TransitionResult.Refuse(s, "text", e7) : new(s);
            case CaseAction.Rate:
                return s is CaseStatus.Closed or CaseStatus.Resolved ? new(s) : Wrong();
            default:
                return Wrong();
        }
    }

    /// <summary>A department's own part: it accepts (报到) a whistle, then reports back (反馈) once.</summary>
    public static string? DispatchError(DispatchStatus d, CaseAction action) => (action, d) switch
    {
        (CaseAction.DepartmentAccept, DispatchStatus.Whistled) => null,
        (CaseAction.DepartmentAccept, _) => "本部门已报到",
        (CaseAction.DepartmentReport, DispatchStatus.Accepted) => null,
        (CaseAction.DepartmentReport, DispatchStatus.Whistled) => "请先报到，再反馈处置情况",
        (CaseAction.DepartmentReport, _) => "本部门已反馈处置情况",
        _ => "不是部门的操作",
    };
}

/// <summary>Deadlines of a case and of a department's part, from its category (data): respond within the
/// category's hours (接诉即办: contact the resident within 24 hours), close within its days.</summary>
public static class CaseDeadlines
{
    /// <summary>Alerts warn this long before a deadline.</summary>
    public static readonly TimeSpan WarningBefore = TimeSpan.FromHours(24);

    public static (DateTimeOffset ResponseDue, DateTimeOffset ResolutionDue) For(DateTimeOffset receivedAt, int responseHours, int resolutionDays) =>
        (receivedAt.AddHours(responseHours), receivedAt.AddDays(resolutionDays));

    /// <summary>A whistled department must accept within the category's response hours and report back within its
    /// resolution days, counted from the whistle; never later than the case's own resolution deadline
    /// when that is still ahead.</summary>
    public static (DateTimeOffset AcceptDue, DateTimeOffset ReportDue) ForDispatch(DateTimeOffset whistledAt, int responseHours, int resolutionDays, DateTimeOffset caseResolutionDue)
    {
        var report = whistledAt.AddDays(resolutionDays);
        if (caseResolutionDue > whistledAt && caseResolutionDue < report) report = caseResolutionDue;
        var accept = whistledAt.AddHours(responseHours);
        return (accept < report ? accept : report, report);
    }

    /// <summary>No alert until <see cref="WarningBefore"/> the deadline; a warning up to and including the deadline; critical after it.</summary>
    public static AlertSeverity? Alert(DateTimeOffset due, DateTimeOffset now) =>
        now > due ? AlertSeverity.Critical : now >= due - WarningBefore ? AlertSeverity.Warning : null;
}

/// <summary>回访 (rules.md §6): a closed case the resident has not confirmed is followed up after N days (setting
/// cases.followUpDays, default 7).</summary>
public static class FollowUpRule
{
    public static DateTimeOffset DueAt(DateTimeOffset closedAt, int days) => closedAt.AddDays(days);

    public static bool IsDue(CaseStatus s, DateTimeOffset? closedAt, DateTimeOffset now, int days) =>
        s == CaseStatus.Closed && closedAt is { } c && now >= DueAt(c, days);
}

public enum EscalationReason { Response = 1, Resolution = 2 }

/// <summary>An overdue case goes one level up the tree automatically (grid → community → street → district), once for
/// a missed response and once for a missed resolution; the step is written to its history.</summary>
public static class CaseEscalation
{
    public static EscalationReason? Due(CaseStatus s, DateTimeOffset responseDue, DateTimeOffset resolutionDue,
        bool escalatedForResponse, bool escalatedForResolution, DateTimeOffset now)
    {
        if (s == CaseStatus.Received && now > responseDue && !escalatedForResponse) return EscalationReason.Response;
        if (CaseStateMachine.IsOpen(s) && now > resolutionDue && !escalatedForResolution) return EscalationReason.Resolution;
        return null;
    }

    public static string Describe(EscalationReason r) => r == EscalationReason.Response ? "超过响应时限未响应，自动上提一级" : "超过办理时限未办结，自动上提一级";
}

/// <summary>Facts of one case that the rates count.</summary>
public sealed record CaseFacts(CaseStatus Status, DateTimeOffset ReceivedAt, DateTimeOffset ResponseDue, DateTimeOffset? RespondedAt,
    DateTimeOffset? ClosedAt, int ReopenCount, int? Rating, int? CloseMinutes);

/// <summary>Counts over the cases received in a period, from which every rate follows. Counts add up: the counts of
/// a period are the sums of its months', and a case's change moves its counts by <c>after - before</c>.</summary>
public sealed record CaseCounts(int Received, int Rejected, int RespondedInTime, int Closed, int Resolved, int EverClosed, int Reopened,
    int Rated, int Satisfied, long CloseMinutesTotal)
{
    public static readonly CaseCounts Zero = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public bool IsZero => this == Zero;

    /// <summary>What one case contributes.</summary>
    public static CaseCounts Of(CaseFacts c) => CaseRates.Count([c]);

    public static CaseCounts operator +(CaseCounts a, CaseCounts b) => new(a.Received + b.Received, a.Rejected + b.Rejected,
        a.RespondedInTime + b.RespondedInTime, a.Closed + b.Closed, a.Resolved + b.Resolved, a.EverClosed + b.EverClosed,
        a.Reopened + b.Reopened, a.Rated + b.Rated, a.Satisfied + b.Satisfied, a.CloseMinutesTotal + b.CloseMinutesTotal);

    public static CaseCounts operator -(CaseCounts a, CaseCounts b) => a + new CaseCounts(-b.Received, -b.Rejected,
        -b.RespondedInTime, -b.Closed, -b.Resolved, -b.EverClosed, -b.Reopened, -b.Rated, -b.Satisfied, -b.CloseMinutesTotal);
}

/// <summary>
/// The counts of the cases one organization received in one month (Asia/Shanghai), kept beside the cases so that
/// rates over whole months add up a few rows per organization instead of aggregating every case (issue 6: rates of
/// any subtree and month p95 under 300 ms with 5,000,000 cases). <see cref="CaseCountMonth"/> holds the settled sums;
/// every change of a case adds a <see cref="CaseCountDelta"/> in its own transaction (an insert: concurrent submissions
/// never wait for a shared counter row), and a compaction folds the deltas into the months. A month's counts are
/// its row plus its deltas, exact at every moment. Rebuilt from the cases after a bulk load.
/// </summary>
public abstract class CaseCountRow
{
    public Guid OrganizationId { get; set; }
    /// <summary>First day of the month.</summary>
    public DateOnly Month { get; set; }
    public int Received { get; set; }
    public int Rejected { get; set; }
    public int RespondedInTime { get; set; }
    public int Closed { get; set; }
    public int Resolved { get; set; }
    public int EverClosed { get; set; }
    public int Reopened { get; set; }
    public int Rated { get; set; }
    public int Satisfied { get; set; }
    public long CloseMinutesTotal { get; set; }

    public CaseCounts Counts
    {
        get => new(Received, Rejected, RespondedInTime, Closed, Resolved, EverClosed, Reopened, Rated, Satisfied, CloseMinutesTotal);
        set => (Received, Rejected, RespondedInTime, Closed, Resolved, EverClosed, Reopened, Rated, Satisfied, CloseMinutesTotal) =
            (value.Received, value.Rejected, value.RespondedInTime, value.Closed, value.Resolved, value.EverClosed, value.Reopened,
             value.Rated, value.Satisfied, value.CloseMinutesTotal);
    }

    /// <summary>The month (Asia/Shanghai) a case received at <paramref name="receivedAt"/> counts in.</summary>
    public static DateOnly MonthOf(DateTimeOffset receivedAt)
    {
        var day = Jiceng.Domain.OrganizationalLife.ChinaDate.Of(receivedAt);
        return new DateOnly(day.Year, day.Month, 1);
    }
}

/// <summary>Settled counts of one organization and month; key (OrganizationId, Month).</summary>
public sealed class CaseCountMonth : CaseCountRow;

/// <summary>A change of one organization's month counts, written with the case change that caused it.</summary>
public sealed class CaseCountDelta : CaseCountRow
{
    public long Id { get; set; }
}

public sealed record CaseRateFigures(CaseCounts Counts, double? ResponseRate, double? ClosedRate, double? ResolvedRate, double? SatisfactionRate,
    double? ReopenRate, double? AverageHoursToClose);

/// <summary>
/// 接诉即办 measures (rules.md §6), over the cases received in the period:
/// response rate = responded (accepted or rejected) within the response deadline / received;
/// 办结率 = now closed or resolved / valid (received minus rejected); 解决率 = resolved (resident or 回访 confirmed) / valid;
/// satisfaction = ratings 4 or 5 / rated; reopen rate = reopened at least once / ever closed;
/// average time to close over the cases now closed or resolved, from receipt to their last close.
/// Rates are percentages with one decimal, or null when nothing is counted.
/// </summary>
public static class CaseRates
{
    public const int SatisfiedFrom = 4;

    public static CaseCounts Count(IEnumerable<CaseFacts> cases)
    {
        int received = 0, rejected = 0, responded = 0, closed = 0, resolved = 0, everClosed = 0, reopened = 0, rated = 0, satisfied = 0;
        long minutes = 0;
        foreach (var c in cases)
        {
            received++;
            if (c.Status == CaseStatus.Rejected) rejected++;
            if (c.RespondedAt is { } r && r <= c.ResponseDue) responded++;
            if (c.Status is CaseStatus.Closed or CaseStatus.Resolved) { closed++; minutes += c.CloseMinutes ?? 0; }
            if (c.Status == CaseStatus.Resolved) resolved++;
            if (c.ClosedAt is not null) everClosed++;
            if (c.ReopenCount > 0) reopened++;
            if (c.Rating is { } rating) { rated++; if (rating >= SatisfiedFrom) satisfied++; }
        }
        return new CaseCounts(received, rejected, responded, closed, resolved, everClosed, reopened, rated, satisfied, minutes);
    }

    public static CaseRateFigures From(CaseCounts c)
    {
        var valid = c.Received - c.Rejected;
        return new CaseRateFigures(c, Percent(c.RespondedInTime, c.Received), Percent(c.Closed, valid), Percent(c.Resolved, valid),
            Percent(c.Satisfied, c.Rated), Percent(c.Reopened, c.EverClosed),
            c.Closed == 0 ? null : Math.Round(c.CloseMinutesTotal / 60.0 / c.Closed, 1));
    }

    public static double? Percent(int part, int whole) => whole <= 0 ? null : Math.Round(100.0 * part / whole, 1, MidpointRounding.AwayFromZero);

    /// <summary>Minutes from receipt to a close, the figure summed for the average.</summary>
    public static int CloseMinutes(DateTimeOffset receivedAt, DateTimeOffset closedAt) => (int)Math.Max(0, (closedAt - receivedAt).TotalMinutes);
}

/// <summary>The resident's tracking code: 16 random bytes (128 bits, over the 80 required) in Crockford base32, so it
/// cannot be guessed. Only its SHA-256 is stored.</summary>
public static class TrackingCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int Bytes = 16;
    public const int Length = 26; // ceil(128 / 5)

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var sb = new System.Text.StringBuilder((bytes.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) sb.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        return sb.ToString();
    }

    /// <summary>Upper case, without spaces or dashes; O→0, I/L→1 as Crockford allows. Null when it cannot be a code.</summary>
    public static string? Normalize(string? code)
    {
        if (code is null) return null;
        var s = code.Trim().Replace("-", "").Replace(" ", "").ToUpperInvariant().Replace('O', '0').Replace('I', '1').Replace('L', '1');
        return s.Length == Length && s.All(ch => Alphabet.Contains(ch)) ? s : null;
    }
}

