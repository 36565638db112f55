using System.Globalization;

namespace Jiceng.Domain.Security;

/// <summary>Citizen identity numbers (居民身份证号码) by GB 11643-1999: 17 digits, the birth date at
/// positions 7-14, and an ISO 7064 MOD 11-2 check character (0-9 or X).</summary>
public static class IdCardNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckChars = "10X98765432";

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return CheckChars[sum % 11];
    }

    /// <summary>The Chinese reason the number is invalid, or null when valid.</summary>
    public static string? Validate(string? value, DateOnly? today = null)
    {
        if (string.IsNullOrWhiteSpace(value)) return "身份证号不能为空";
        var v = Normalize(value);
        if (v.Length != 18) return "身份证号应为18位";
        for (var i = 0; i < 17; i++)
            if (!char.IsAsciiDigit(v[i])) return "身份证号前17位应为数字";
        if (BirthDate(v) is not { } birth) return "身份证号中的出生日期无效";
        if (today is { } t && birth > t) return "身份证号中的出生日期晚于今天";
        if (CheckCharacter(v) != v[17]) return "身份证号校验位不正确";
        return null;
    }

    public static bool IsValid(string? value) => Validate(value) is null;

    public static string Normalize(string value) => value.Trim().ToUpperInvariant();

    public static DateOnly? BirthDate(string v) =>
        v.Length >= 14 && DateOnly.TryParseExact(v.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>Appends the check character to 17 digits (used by the demo generator).</summary>
    public static string Complete(string first17) => first17 + CheckCharacter(first17);
}

/// <summary>Masked display of protected values (个人信息保护法: minimum disclosure).</summary>
public static class Masking
{
    /// <summary>110105********1234: the region code and the last four.</summary>
    public static string IdNumber(string v) => v.Length <= 10 ? new string('*', v.Length) : v[..6] + new string('*', v.Length - 10) + v[^4..];

    /// <summary>138****1234: the operator prefix and the last four.</summary>
    public static string Phone(string v) => v.Length < 8 ? new string('*', Math.Max(0, v.Length - 2)) + v[^Math.Min(2, v.Length)..] : v[..3] + new string('*', v.Length - 7) + v[^4..];
}
