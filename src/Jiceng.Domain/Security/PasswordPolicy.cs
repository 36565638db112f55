namespace Jiceng.Domain.Security;

/// <summary>GB/T 22239-2019 (等保2.0) level 3 identity rule: at least 8 characters drawn from at least
/// 3 of the 4 classes (upper case, lower case, digits, symbols).</summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 8;
    public const int RequiredClasses = 3;

    public static int ClassCount(string password)
    {
        int upper = 0, lower = 0, digit = 0, other = 0;
        foreach (var c in password)
        {
            if (char.IsAsciiLetterUpper(c)) upper = 1;
            else if (char.IsAsciiLetterLower(c)) lower = 1;
            else if (char.IsAsciiDigit(c)) digit = 1;
            else other = 1;
        }
        return upper + lower + digit + other;
    }

    /// <summary>The Chinese reason a password is refused, or null when it is acceptable.</summary>
    public static string? Check(string? password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinimumLength)
            return $"密码至少{MinimumLength}位";
        if (ClassCount(password) < RequiredClasses)
            return "密码须包含大写字母、小写字母、数字、符号中的至少3类";
        return null;
    }
}
