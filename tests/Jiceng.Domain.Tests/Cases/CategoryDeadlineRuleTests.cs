using Jiceng.Domain.Cases;

namespace Jiceng.Domain.Tests.Cases;

public class CategoryDeadlineRuleTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(24, 1)]
    [InlineData(24, 7)]
    [InlineData(720, 30)]
    [InlineData(2, 365)]
    public void Positive_deadlines_with_the_response_not_after_the_resolution_are_valid(int hours, int days) =>
        CategoryDeadlineRule.Check(hours, days).ShouldBeEmpty();

    [Theory]
    [InlineData(null, 7, "responseHours")]
    [InlineData(0, 7, "responseHours")]
    [InlineData(-1, 7, "responseHours")]
    [InlineData(721, 31, "responseHours")]
    [InlineData(24, null, "resolutionDays")]
    [InlineData(24, 0, "resolutionDays")]
    [InlineData(24, 366, "resolutionDays")]
    [InlineData(25, 1, "responseHours")]
    [InlineData(169, 7, "responseHours")]
    public void Missing_non_positive_too_long_or_response_after_resolution_is_refused(int? hours, int? days, string field)
    {
        var errors = CategoryDeadlineRule.Check(hours, days);
        errors.Count.ShouldBe(1);
        errors[0].Field.ShouldBe(field);
    }

    [Fact]
    public void The_message_says_how_many_hours_the_resolution_allows() =>
        CategoryDeadlineRule.Check(49, 2)[0].Message.ShouldBe("响应时限不能晚于办理时限（2天即48小时）");
}
