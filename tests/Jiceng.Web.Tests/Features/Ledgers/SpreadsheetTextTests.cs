using Jiceng.Web.Features.Ledgers;

namespace Jiceng.Web.Tests.Features.Ledgers;

public sealed class SpreadsheetTextTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    [InlineData("+1+2", "'+1+2")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "'\rcmd")]
    [InlineData("＝1+1", "'＝1+1")]
    [InlineData("张三", "张三")]
    [InlineData("a=b", "a=b")]
    [InlineData("110105********1234", "110105********1234")]
    [InlineData("'=already", "'=already")]
    [InlineData("", "")]
    public void Escape_prefixes_formula_starts_with_a_quote(string value, string expected) =>
        SpreadsheetText.Escape(value).ShouldBe(expected);

    [Fact]
    public void Escape_keeps_null() => SpreadsheetText.Escape(null).ShouldBeNull();

    [Theory]
    [InlineData("=SUM(1,2)")]
    [InlineData("-5")]
    [InlineData("普通文本")]
    [InlineData("'引号开头")]
    public void Unescape_undoes_escape(string value) =>
        SpreadsheetText.Unescape(SpreadsheetText.Escape(value)).ShouldBe(value);

    [Fact]
    public void Unescape_leaves_a_quote_before_ordinary_text() => SpreadsheetText.Unescape("'abc").ShouldBe("'abc");
}
