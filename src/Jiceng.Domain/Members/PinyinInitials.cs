using System.Reflection;
using System.Text;

namespace Jiceng.Domain.Members;

/// <summary>
/// Pinyin first letters of a Chinese name, for search ("zs" finds 张三). The table is derived from
/// Unicode's Unihan kMandarin readings (tools/generate-pinyin-initials.py); a surname reads
/// differently from the common reading for a few characters (曾 zēng, 单 shàn ...), so the first
/// character of a name is looked up in the surname table first.
/// </summary>
public static class PinyinInitials
{
    private const int First = 0x4E00;
    private static readonly string Table = Load();

    private static readonly Dictionary<char, char> Surnames = new()
    {
        ['曾'] = 'z', ['单'] = 's', ['仇'] = 'q', ['区'] = 'o', ['解'] = 'x', ['查'] = 'z', ['朴'] = 'p', ['翟'] = 'z',
        ['盖'] = 'g', ['乐'] = 'y', ['覃'] = 'q', ['尉'] = 'y', ['缪'] = 'm', ['繁'] = 'p', ['召'] = 's', ['员'] = 'y',
        ['秘'] = 'b', ['种'] = 'c', ['重'] = 'c', ['长'] = 'c', ['沈'] = 's', ['柏'] = 'b', ['藏'] = 'z', ['贾'] = 'j',
    };

    private static string Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Jiceng.Domain.Members.PinyinInitials.txt")
            ?? throw new InvalidOperationException("PinyinInitials.txt is not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static char? Of(char c, bool isSurname = false)
    {
        if (isSurname && Surnames.TryGetValue(c, out var s)) return s;
        if (char.IsAsciiLetter(c)) return char.ToLowerInvariant(c);
        var i = c - First;
        return i >= 0 && i < Table.Length && Table[i] != '_' ? Table[i] : null;
    }

    /// <summary>"张三" → "zs"; letters in the name are kept, other characters dropped.</summary>
    public static string Of(string name)
    {
        var sb = new StringBuilder(name.Length);
        var first = true;
        foreach (var c in name.Trim())
        {
            if (Of(c, first) is { } letter) sb.Append(letter);
            if (!char.IsWhiteSpace(c)) first = false;
        }
        return sb.ToString();
    }

    /// <summary>Whether a search text is pinyin initials (ASCII letters) rather than Chinese characters.</summary>
    public static bool LooksLikeInitials(string text) => text.Length > 0 && text.All(char.IsAsciiLetter);
}
