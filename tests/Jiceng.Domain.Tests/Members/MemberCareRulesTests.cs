using Jiceng.Domain.Alerts;
using Jiceng.Domain.Members;

namespace Jiceng.Domain.Tests.Members;

public class ContributionPointRulesTests
{
    [Theory]
    [InlineData("每日登录", "登录")]
    [InlineData("APP登陆", "登陆")]
    [InlineData("在线学习", "在线")]
    [InlineData("学习时长满60分钟", "学习时长")]
    [InlineData("在线时长", "在线")]
    [InlineData("文章点赞", "点赞")]
    [InlineData("转发公众号文章", "转发")]
    [InlineData("分享到朋友圈", "分享")]
    [InlineData("每日打卡", "打卡")]
    [InlineData("活动签到", "签到")]
    [InlineData("上传活动照片", "照片")]
    [InlineData("网上投票", "投票")]
    [InlineData("学 习 时 长", "学习时长")]
    public void Names_that_reward_app_activity_are_refused_citing_the_source(string name, string word)
    {
        ContributionPointRules.ForbiddenWordIn(name).ShouldBe(word);
        var message = ContributionPointRules.CheckItem(name, 1)["name"];
        message.ShouldContain($"“{word}”");
        message.ShouldContain("国办函〔2026〕12号");
    }

    [Theory]
    [InlineData("志愿服务")]
    [InlineData("参加主题党日")]
    [InlineData("帮扶困难群众")]
    [InlineData("参加社区报到服务")]
    public void Contributions_are_accepted(string name)
    {
        ContributionPointRules.ForbiddenWordIn(name).ShouldBeNull();
        ContributionPointRules.CheckItem(name, 2).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(100, true)]
    [InlineData(101, false)]
    [InlineData(-5, false)]
    public void Points_lie_between_1_and_100(int points, bool ok) =>
        ContributionPointRules.CheckItem("志愿服务", points).ContainsKey("points").ShouldBe(!ok);

    [Fact]
    public void Empty_or_long_names_are_refused()
    {
        ContributionPointRules.CheckItem(" ", 1)["name"].ShouldBe("积分项目名称不能为空");
        ContributionPointRules.CheckItem(new string('志', 51), 1)["name"].ShouldBe("积分项目名称不能超过50个字符");
        ContributionPointRules.CheckItem("志愿服务", null)["points"].ShouldBe("请填写分值");
    }
}

public class MobileMemberContactRuleTests
{
    private static MobileContactFacts Facts(DateOnly last) => new(Guid.NewGuid(), "张三", Guid.NewGuid(), "广东省深圳市", last);

    [Fact]
    public void Silent_before_five_months_warning_from_five_critical_from_six()
    {
        var last = new DateOnly(2026, 3, 15);
        MobileMemberContactRule.Evaluate(Facts(last), new DateOnly(2026, 8, 14)).ShouldBeNull();
        var warning = MobileMemberContactRule.Evaluate(Facts(last), new DateOnly(2026, 8, 15)).ShouldNotBeNull();
        warning.Severity.ShouldBe(AlertSeverity.Warning);
        warning.DueOn.ShouldBe(new DateOnly(2026, 9, 15));
        warning.Message.ShouldBe("流动党员张三（广东省深圳市）自2026年3月15日以来未与党组织联系，将于2026年9月15日满6个月，请及时联系");
        MobileMemberContactRule.Evaluate(Facts(last), new DateOnly(2026, 9, 14))!.Severity.ShouldBe(AlertSeverity.Warning);
        var critical = MobileMemberContactRule.Evaluate(Facts(last), new DateOnly(2026, 9, 15)).ShouldNotBeNull();
        critical.Severity.ShouldBe(AlertSeverity.Critical);
        critical.Message.ShouldBe("流动党员张三（广东省深圳市）自2026年3月15日以来已满6个月未与党组织联系，请立即联系并了解情况");
        critical.RuleCode.ShouldBe("member.mobile-no-contact");
        critical.SubjectType.ShouldBe("member");
    }

    [Fact]
    public void Month_ends_are_clipped()
    {
        // Six months after Aug 31 is Feb 28 (common year).
        var last = new DateOnly(2026, 8, 31);
        MobileMemberContactRule.SeverityFor(last, new DateOnly(2027, 2, 27)).ShouldBe(AlertSeverity.Warning);
        MobileMemberContactRule.SeverityFor(last, new DateOnly(2027, 2, 28)).ShouldBe(AlertSeverity.Critical);
    }
}

public class AnniversaryWindowTests
{
    [Fact]
    public void A_window_in_one_year_is_one_range()
    {
        var w = AnniversaryWindow.For(new DateOnly(2026, 6, 10), 30);
        (w.FirstFrom, w.FirstTo).ShouldBe((610, 710));
        w.Contains(610).ShouldBeTrue();
        w.Contains(710).ShouldBeTrue();
        w.Contains(711).ShouldBeFalse();
        w.Contains(609).ShouldBeFalse();
    }

    [Fact]
    public void A_window_across_new_year_wraps_from_december_to_january()
    {
        var w = AnniversaryWindow.For(new DateOnly(2026, 12, 20), 30);
        w.To.ShouldBe(new DateOnly(2027, 1, 19));
        w.Contains(1220).ShouldBeTrue();
        w.Contains(1231).ShouldBeTrue();
        w.Contains(101).ShouldBeTrue();
        w.Contains(119).ShouldBeTrue();
        w.Contains(120).ShouldBeFalse();
        w.Contains(1219).ShouldBeFalse();
        // January comes after December in the list.
        w.Order(105).ShouldBeGreaterThan(w.Order(1225));
        w.AnniversaryOf(new DateOnly(1990, 1, 5)).ShouldBe((new DateOnly(2027, 1, 5), 37));
        w.AnniversaryOf(new DateOnly(1990, 12, 25)).ShouldBe((new DateOnly(2026, 12, 25), 36));
    }

    [Fact]
    public void Joined_on_february_29_is_celebrated_on_february_28_in_a_common_year()
    {
        var joined = new DateOnly(2004, 2, 29);
        var w = AnniversaryWindow.For(new DateOnly(2027, 2, 10), 30);
        w.IncludeFeb29.ShouldBeTrue();
        w.Contains(229).ShouldBeTrue();
        w.AnniversaryOf(joined).ShouldBe((new DateOnly(2027, 2, 28), 23));
        // A window that ends on Feb 28 of a common year still holds it.
        AnniversaryWindow.For(new DateOnly(2027, 2, 1), 27).Contains(229).ShouldBeTrue();
        // From March 1 of a common year the day has passed.
        AnniversaryWindow.For(new DateOnly(2027, 3, 1), 30).Contains(229).ShouldBeFalse();
        // In a leap year Feb 29 itself counts, and a window ending Feb 28 does not hold it.
        AnniversaryWindow.For(new DateOnly(2028, 2, 1), 27).Contains(229).ShouldBeFalse();
        var leap = AnniversaryWindow.For(new DateOnly(2028, 2, 1), 28);
        leap.Contains(229).ShouldBeTrue();
        leap.AnniversaryOf(joined).ShouldBe((new DateOnly(2028, 2, 29), 24));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(30)]
    [InlineData(60)]
    public void The_ranges_agree_with_next_anniversary_for_every_day_and_every_joining_day(int days)
    {
        // Every joining month-day (from a leap year, so Feb 29 is included) against every "today" of a
        // common year, a leap year and the New Year between them.
        var joiningDays = Enumerable.Range(0, 366).Select(i => new DateOnly(2000, 1, 1).AddDays(i)).ToList();
        for (var today = new DateOnly(2026, 12, 1); today <= new DateOnly(2028, 12, 31); today = today.AddDays(1))
        {
            var w = AnniversaryWindow.For(today, days);
            foreach (var joined in joiningDays)
            {
                var expected = MemberRules.NextAnniversary(joined, today) <= w.To;
                if (w.Contains(AnniversaryWindow.MonthDay(joined)) != expected)
                    throw new ShouldAssertException($"today {today}, days {days}, joined {joined}: expected {expected}");
            }
        }
    }

    [Fact]
    public void Days_are_limited_to_sixty()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => AnniversaryWindow.For(new DateOnly(2026, 1, 1), 61));
        Should.Throw<ArgumentOutOfRangeException>(() => AnniversaryWindow.For(new DateOnly(2026, 1, 1), -1));
    }
}
