using Jiceng.Domain.Members;
using Jiceng.Domain.OrganizationalLife;

namespace Jiceng.Domain.Tests.OrganizationalLife;

public class FollowUpRulesTests
{
    private static readonly DateOnly Started = new(2026, 12, 20);
    private static readonly DateOnly Today = new(2027, 3, 1);

    [Theory]
    [InlineData(FollowUpOutcome.Corrected, false)]
    [InlineData(FollowUpOutcome.AdvisedToLeave, true)]
    [InlineData(FollowUpOutcome.Removed, true)]
    public void Leaving_outcomes_need_the_approval_above(FollowUpOutcome outcome, bool needs)
    {
        FollowUpRules.NeedsApprovalAbove(outcome).ShouldBe(needs);
        FollowUpRules.CheckClose(FollowUpStatus.Open, outcome, Today, "支部大会", null, Started, Today).ContainsKey("approvedBy").ShouldBe(needs);
        FollowUpRules.CheckClose(FollowUpStatus.Open, outcome, Today, "支部大会", "街道党工委", Started, Today).ShouldBeEmpty();
    }

    [Fact]
    public void The_decision_date_lies_between_the_submission_and_today()
    {
        FollowUpRules.CheckClose(FollowUpStatus.Open, FollowUpOutcome.Corrected, Started, "支部大会", null, Started, Today).ShouldBeEmpty();
        FollowUpRules.CheckClose(FollowUpStatus.Open, FollowUpOutcome.Corrected, Started.AddDays(-1), "支部大会", null, Started, Today)["decidedOn"]
            .ShouldBe("决定日期不能早于评议结果提交的2026年12月20日");
        FollowUpRules.CheckClose(FollowUpStatus.Open, FollowUpOutcome.Corrected, Today.AddDays(1), "支部大会", null, Started, Today)["decidedOn"]
            .ShouldBe("决定日期不能晚于今天");
    }

    [Fact]
    public void A_closed_follow_up_does_not_close_again() =>
        FollowUpRules.CheckClose(FollowUpStatus.Closed, FollowUpOutcome.Corrected, Today, "支部大会", null, Started, Today)["outcome"].ShouldBe("该不合格党员的处置已经办结");

    [Theory]
    [InlineData(FollowUpOutcome.Corrected, null)]
    [InlineData(FollowUpOutcome.AdvisedToLeave, MemberStatus.LeftParty)]
    [InlineData(FollowUpOutcome.Removed, MemberStatus.LeftParty)]
    public void Leaving_outcomes_take_the_member_out_of_the_registry_and_correction_keeps_them(FollowUpOutcome outcome, MemberStatus? after)
    {
        FollowUpRules.StatusAfter(outcome).ShouldBe(after);
        if (after is { } s) PartyMembership.IsCurrent(s).ShouldBeFalse();
    }

    [Theory]
    [InlineData(MemberStatus.Normal, true)]
    [InlineData(MemberStatus.Mobile, true)]
    [InlineData(MemberStatus.Abroad, true)]
    [InlineData(MemberStatus.Suspended, false)]
    [InlineData(MemberStatus.Deceased, false)]
    [InlineData(MemberStatus.TransferredOut, false)]
    [InlineData(MemberStatus.LeftParty, false)]
    public void Only_a_member_on_the_active_roll_can_be_advised_to_leave_or_removed(MemberStatus status, bool allowed)
    {
        (FollowUpRules.CheckMemberForLeaving(FollowUpOutcome.Removed, status) is null).ShouldBe(allowed);
        (FollowUpRules.CheckMemberForLeaving(FollowUpOutcome.AdvisedToLeave, status) is null).ShouldBe(allowed);
        FollowUpRules.CheckMemberForLeaving(FollowUpOutcome.Corrected, status).ShouldBeNull();
    }

    [Fact]
    public void A_member_no_longer_in_the_branch_cannot_be_removed() =>
        FollowUpRules.CheckMemberForLeaving(FollowUpOutcome.Removed, null).ShouldBe("该党员已不在本支部，不能作出此处置");
}
