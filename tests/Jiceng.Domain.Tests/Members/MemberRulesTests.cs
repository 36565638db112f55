using Jiceng.Domain.Members;

namespace Jiceng.Domain.Tests.Members;

public class MemberRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    [Theory]
    [InlineData("2000-11-23", 26)] // birthday today
    [InlineData("2000-11-24", 25)] // birthday tomorrow
    [InlineData("2000-11-22", 26)]
    public void Age_counts_completed_years(string birth, int age) => MemberRules.Age(DateOnly.Parse(birth), Today).ShouldBe(age);

    [Fact]
    public void Party_age_counts_from_full_membership_not_from_joining()
    {
        MemberRules.PartyAge(MemberState.Full, new DateOnly(2016, 11, 23), Today).ShouldBe(10);
        MemberRules.PartyAge(MemberState.Full, new DateOnly(2016, 11, 24), Today).ShouldBe(9);
        MemberRules.PartyAge(MemberState.Probationary, null, Today).ShouldBeNull();
    }

    [Fact]
    public void Anniversary_of_february_29_falls_on_february_28_in_common_years()
    {
        var joined = new DateOnly(2008, 2, 29);
        MemberRules.Anniversary(joined, 2027).ShouldBe(new DateOnly(2027, 2, 28));
        MemberRules.Anniversary(joined, 2028).ShouldBe(new DateOnly(2028, 2, 29));
        MemberRules.NextAnniversary(joined, new DateOnly(2027, 2, 28)).ShouldBe(new DateOnly(2027, 2, 28));
        MemberRules.NextAnniversary(joined, new DateOnly(2027, 3, 1)).ShouldBe(new DateOnly(2028, 2, 29));
        MemberRules.CompletedYears(joined, new DateOnly(2027, 2, 28)).ShouldBe(19);
        MemberRules.CompletedYears(joined, new DateOnly(2027, 2, 27)).ShouldBe(18);
    }

    [Fact]
    public void Next_anniversary_wraps_into_next_year()
    {
        MemberRules.NextAnniversary(new DateOnly(1990, 1, 5), new DateOnly(2026, 12, 20)).ShouldBe(new DateOnly(2027, 1, 5));
        MemberRules.NextAnniversary(new DateOnly(1990, 12, 20), new DateOnly(2026, 12, 20)).ShouldBe(new DateOnly(2026, 12, 20));
    }

    [Fact]
    public void State_and_dates_must_agree()
    {
        var birth = new DateOnly(1990, 5, 1);
        MemberRules.Check(MemberState.Full, birth, new DateOnly(2015, 7, 1), new DateOnly(2016, 7, 1), Occupation.Employed, Today).ShouldBeEmpty();
        MemberRules.Check(MemberState.Probationary, birth, new DateOnly(2026, 7, 1), null, Occupation.Employed, Today).ShouldBeEmpty();
        MemberRules.Check(MemberState.Probationary, birth, new DateOnly(2026, 7, 1), new DateOnly(2026, 8, 1), Occupation.Employed, Today)
            .ShouldContainKeyAndValue("fullMemberOn", "预备党员不应有转正日期");
        MemberRules.Check(MemberState.Full, birth, new DateOnly(2015, 7, 1), null, Occupation.Employed, Today).ShouldContainKey("fullMemberOn");
        // Probation: at least 1 year, at most 2 (one year's extension).
        MemberRules.Check(MemberState.Full, birth, new DateOnly(2015, 7, 1), new DateOnly(2016, 6, 30), Occupation.Employed, Today).ShouldContainKey("fullMemberOn");
        MemberRules.Check(MemberState.Full, birth, new DateOnly(2015, 7, 1), new DateOnly(2017, 7, 1), Occupation.Employed, Today).ShouldBeEmpty();
        MemberRules.Check(MemberState.Full, birth, new DateOnly(2015, 7, 1), new DateOnly(2017, 7, 2), Occupation.Employed, Today).ShouldContainKey("fullMemberOn");
    }

    [Fact]
    public void Joining_needs_age_18()
    {
        var birth = new DateOnly(2000, 3, 10);
        MemberRules.Check(MemberState.Probationary, birth, new DateOnly(2018, 3, 9), null, Occupation.Student, new DateOnly(2018, 12, 1))
            .ShouldContainKeyAndValue("joinedOn", "入党时应年满18周岁");
        MemberRules.Check(MemberState.Probationary, birth, new DateOnly(2018, 3, 10), null, Occupation.Student, new DateOnly(2018, 12, 1)).ShouldBeEmpty();
    }

    [Fact]
    public void Occupation_must_fit_the_age()
    {
        MemberRules.Check(MemberState.Full, new DateOnly(1995, 1, 1), new DateOnly(2015, 1, 1), new DateOnly(2016, 1, 1), Occupation.Retired, Today).ShouldContainKey("occupation");
        MemberRules.Check(MemberState.Full, new DateOnly(1950, 1, 1), new DateOnly(1975, 1, 1), new DateOnly(1976, 1, 1), Occupation.Student, Today).ShouldContainKey("occupation");
        MemberRules.Check(MemberState.Full, new DateOnly(1950, 1, 1), new DateOnly(1975, 1, 1), new DateOnly(1976, 1, 1), Occupation.Retired, Today).ShouldBeEmpty();
    }

    [Fact]
    public void Probation_end_is_one_year_after_the_vote()
    {
        MemberRules.ProbationEnded(MemberState.Probationary, new DateOnly(2025, 11, 23), Today).ShouldBeTrue();
        MemberRules.ProbationEnded(MemberState.Probationary, new DateOnly(2025, 11, 24), Today).ShouldBeFalse();
        MemberRules.ProbationEnded(MemberState.Full, new DateOnly(2020, 1, 1), Today).ShouldBeFalse();
    }
}

public class PinyinInitialsTests
{
    [Theory]
    [InlineData("张三", "zs")]
    [InlineData("李四", "ls")]
    [InlineData("欧阳修", "oyx")]
    [InlineData("曾国藩", "zgf")]   // surname 曾 reads zēng
    [InlineData("单田芳", "stf")]   // surname 单 reads shàn
    [InlineData(" 王 五 ", "ww")]
    [InlineData("Anna李", "annal")]
    public void Initials_of_names(string name, string initials) => PinyinInitials.Of(name).ShouldBe(initials);

    [Fact]
    public void Surname_readings_apply_only_to_the_first_character() => PinyinInitials.Of("张曾").ShouldBe("zc");

    [Theory]
    [InlineData("zs", true)]
    [InlineData("张", false)]
    [InlineData("z3", false)]
    [InlineData("", false)]
    public void Search_text_kind(string text, bool initials) => PinyinInitials.LooksLikeInitials(text).ShouldBe(initials);
}
