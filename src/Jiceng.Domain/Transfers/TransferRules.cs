using System.Globalization;
using Jiceng.Domain.Alerts;

namespace Jiceng.Domain.Transfers;

/// <summary>Which side of a transfer acts next: the organization the member leaves, or the one they join.</summary>
public enum TransferSide { None = 0, Out = 1, In = 2 }

/// <summary>The dates and the approval chain of 组织关系转接 (中组发〔2004〕10号) as named rules.</summary>
public static class TransferRules
{
    /// <summary>Both sides are warned this many days before the letter runs out, so there is time to receive it.</summary>
    public const int ExpiryWarningDays = 7;

    /// <summary>The letter is valid through the same day <paramref name="months"/> months after issue; a day the
    /// target month lacks falls back to its last day (11-30 + 3 months = 02-28, or 02-29 in a leap year).</summary>
    public static DateOnly ValidUntil(DateOnly issuedOn, int months) => issuedOn.AddMonths(months);

    /// <summary>Statuses in which the transfer is still under way.</summary>
    public static bool IsOpen(TransferStatus s) => s is TransferStatus.Requested or TransferStatus.OutApproved or TransferStatus.InApproved;

    /// <summary>An expired letter is not closed until someone withdraws it: until then the member cannot start
    /// another transfer and the alert stays, so an expiry is never silently forgotten.</summary>
    public static bool IsUnresolved(TransferStatus s) => IsOpen(s) || s == TransferStatus.Expired;

    /// <summary>A letter that has been issued, has not been received, and whose last valid day is behind us.</summary>
    public static bool IsOverdue(TransferStatus s, DateOnly? validUntil, DateOnly today) =>
        s is TransferStatus.OutApproved or TransferStatus.InApproved && validUntil is { } v && today > v;

    /// <summary>The status as the users must see it: an overdue letter is expired whether or not anyone has
    /// touched the record since.</summary>
    public static TransferStatus EffectiveStatus(TransferStatus s, DateOnly? validUntil, DateOnly today) =>
        IsOverdue(s, validUntil, today) ? TransferStatus.Expired : s;

    /// <summary>Who acts next. Out: the out-side committee approves or rejects the request; for a letter to an
    /// organization outside the deployment it also records the receipt (回执) that comes back by post.
    /// In: the in-side committee approves, then the in-side confirms receipt.</summary>
    public static TransferSide NextSide(TransferKind kind, TransferStatus status) => status switch
    {
        TransferStatus.Requested => TransferSide.Out,
        TransferStatus.OutApproved => kind == TransferKind.ToExternal ? TransferSide.Out : TransferSide.In,
        TransferStatus.InApproved => TransferSide.In,
        _ => TransferSide.None,
    };

    /// <summary>The side that started the transfer and may withdraw it: the member's organization, except for a
    /// letter from outside, which the receiving organization records.</summary>
    public static TransferSide RequestingSide(TransferKind kind) => kind == TransferKind.FromExternal ? TransferSide.In : TransferSide.Out;

    /// <summary>The state that an approval leads to, or null when approval is not the next step.</summary>
    public static TransferStatus? AfterApproval(TransferKind kind, TransferStatus status) => status switch
    {
        TransferStatus.Requested => TransferStatus.OutApproved,
        TransferStatus.OutApproved when kind != TransferKind.ToExternal => TransferStatus.InApproved,
        _ => null,
    };

    /// <summary>Whether receipt is the next step: after the in-side approved, or, for a letter to outside, once issued.</summary>
    public static bool AwaitsReceipt(TransferKind kind, TransferStatus status) =>
        kind == TransferKind.ToExternal ? status == TransferStatus.OutApproved : status == TransferStatus.InApproved;

    /// <summary>The alert the letter's validity calls for: a warning in its last <see cref="ExpiryWarningDays"/>
    /// days, a critical alert once it has run out and is not withdrawn; null otherwise.</summary>
    public static AlertSeverity? ExpiryAlert(TransferStatus s, DateOnly? validUntil, DateOnly today)
    {
        if (validUntil is not { } v) return null;
        if (s == TransferStatus.Expired || IsOverdue(s, v, today)) return AlertSeverity.Critical;
        if (s is TransferStatus.OutApproved or TransferStatus.InApproved && v.DayNumber - today.DayNumber <= ExpiryWarningDays)
            return AlertSeverity.Warning;
        return null;
    }

    /// <summary>党费交至年月 as written on the letter: "yyyy-MM" (or a full date, whose month counts). Stored as the
    /// first day of that month; null when the text is neither.</summary>
    public static DateOnly? ParsePaidThrough(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        if (DateOnly.TryParseExact(t, ["yyyy-MM", "yyyy-M"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)) return month;
        if (DateOnly.TryParseExact(t, ["yyyy-MM-dd", "yyyy-M-d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return new DateOnly(day.Year, day.Month, 1);
        return null;
    }

    /// <summary>Checks 党费交至年月 against today: dues may be paid in advance (for a stay abroad, say), but not
    /// more than a year ahead. Returns a Chinese message, or null when fine.</summary>
    public static string? CheckPaidThrough(DateOnly paidThrough, DateOnly today)
    {
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        if (paidThrough > thisMonth.AddMonths(12)) return "党费交至年月不能超过本月之后12个月";
        if (paidThrough.Year < 1921) return "党费交至年月无效";
        return null;
    }

    /// <summary>The letter number: the year of issue and the end of the transfer's id (random bits of a
    /// version-7 GUID), so numbers are unique without a counter that concurrent approvals would contend for.</summary>
    public static string LetterNumber(DateOnly issuedOn, Guid transferId) =>
        $"{issuedOn:yyyy}-{transferId.ToString("N")[^10..].ToUpperInvariant()}";

    public static string ToChinese(this TransferSide side) => side switch
    {
        TransferSide.Out => "转出方",
        TransferSide.In => "转入方",
        _ => "无",
    };

    /// <summary>Chinese labels of the timeline's step codes.</summary>
    public static string StepName(string action) => action switch
    {
        Steps.Request => "发起转接",
        Steps.RecordIncoming => "登记外来介绍信",
        Steps.OutApprove => "转出方审批同意，开具介绍信",
        Steps.InApprove => "转入方审批同意",
        Steps.Receive => "确认接收（回执）",
        Steps.Reject => "退回",
        Steps.Cancel => "撤回",
        Steps.Expire => "介绍信过期",
        _ => action,
    };

    /// <summary>Step codes stored in <see cref="TransferStep.Action"/>.</summary>
    public static class Steps
    {
        public const string Request = "request";
        public const string RecordIncoming = "record-incoming";
        public const string OutApprove = "out-approve";
        public const string InApprove = "in-approve";
        public const string Receive = "receive";
        public const string Reject = "reject";
        public const string Cancel = "cancel";
        public const string Expire = "expire";
    }
}
