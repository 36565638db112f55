using System.Buffers;

namespace Jiceng.Web.Features.Ledgers;

/// <summary>
/// Text for spreadsheet cells. A cell that starts with = + - @ (or a tab / carriage return, or their
/// full-width forms, which Chinese input methods produce) can be taken as a formula once the file is
/// re-saved or pasted elsewhere (CSV/formula injection, rules.md §9, OWASP ASVS 5.3.10). Such text
/// is written with a leading single quote, so it stays text.
/// </summary>
public static class SpreadsheetText
{
    private static readonly SearchValues<char> FormulaStarts = SearchValues.Create("=+-@\t\r＝＋－＠");

    public static string? Escape(string? value) =>
        value is { Length: > 0 } && FormulaStarts.Contains(value[0]) ? "'" + value : value;

    /// <summary>The inverse of <see cref="Escape"/> for imported text, so an exported file imports back unchanged.</summary>
    public static string? Unescape(string? value) =>
        value is { Length: > 1 } && value[0] == '\'' && FormulaStarts.Contains(value[1]) ? value[1..] : value;
}
