using Jiceng.Domain.Dues;
using Jiceng.Domain.Members;

namespace Jiceng.Domain.Tests.Members;

public class PartyMembershipTests
{
    [Theory]
    [InlineData(MemberStatus.Normal, true)]
    [InlineData(MemberStatus.Mobile, true)]
    [InlineData(MemberStatus.Abroad, true)]
    [InlineData(MemberStatus.Suspended, false)]
    [InlineData(MemberStatus.Deceased, false)]
    [InlineData(MemberStatus.TransferredOut, false)]
    [InlineData(MemberStatus.LeftParty, false)]
    [InlineData(MemberStatus.ProbationCancelled, false)]
    public void Only_normal_mobile_and_abroad_members_are_current(MemberStatus status, bool current)
    {
        PartyMembership.IsCurrent(status).ShouldBe(current);
        PartyMembership.Current.Contains(status).ShouldBe(current); // the query form says the same
        DuesObligation.Owes(status).ShouldBe(current);
        (PartyMembership.RefusalFor(status) is null).ShouldBe(current);
    }

    [Fact]
    public void Every_status_is_classified_and_every_former_member_gets_a_chinese_reason()
    {
        foreach (var s in Enum.GetValues<MemberStatus>().Where(s => !PartyMembership.IsCurrent(s)))
        {
            var reason = PartyMembership.RefusalFor(s);
            reason.ShouldNotBeNullOrWhiteSpace();
            reason.ShouldMatch(@"\p{IsCJKUnifiedIdeographs}");
        }
        PartyMembership.RefusalFor(MemberStatus.LeftParty)!.ShouldContain("出党");
        PartyMembership.RefusalFor(MemberStatus.ProbationCancelled)!.ShouldContain("取消预备党员资格");
        PartyMembership.RefusalFor(MemberStatus.Deceased)!.ShouldContain("已故");
        PartyMembership.RefusalFor(MemberStatus.TransferredOut)!.ShouldContain("转出");
    }

    [Theory]
    [InlineData(null, true)] // not in the registry
    [InlineData(MemberStatus.ProbationCancelled, true)]
    [InlineData(MemberStatus.LeftParty, true)]
    [InlineData(MemberStatus.Suspended, false)] // suspended, not over: 恢复党籍 or 除名 by the organization
    [InlineData(MemberStatus.Normal, false)]
    [InlineData(MemberStatus.Mobile, false)]
    [InlineData(MemberStatus.Abroad, false)]
    [InlineData(MemberStatus.TransferredOut, false)] // still a member, elsewhere
    [InlineData(MemberStatus.Deceased, false)]
    public void A_new_application_is_open_to_former_members_only(MemberStatus? registered, bool may)
    {
        PartyMembership.MayApplyAgain(registered).ShouldBe(may);
        (PartyMembership.ApplicationRefusal(registered) is null).ShouldBe(may);
    }

    [Fact]
    public void No_current_member_may_apply_again()
    {
        foreach (var s in PartyMembership.Current) PartyMembership.MayApplyAgain(s).ShouldBeFalse();
        PartyMembership.ApplicationRefusal(MemberStatus.Normal).ShouldBe("该身份证号已登记为党员");
        PartyMembership.ApplicationRefusal(MemberStatus.TransferredOut)!.ShouldContain("组织关系转入");
        PartyMembership.ApplicationRefusal(MemberStatus.Suspended)!.ShouldContain("恢复党籍");
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(MemberStatus.TransferredOut, true)] // left for outside earlier, comes back
    [InlineData(MemberStatus.LeftParty, true)] // admitted again elsewhere
    [InlineData(MemberStatus.ProbationCancelled, true)]
    [InlineData(MemberStatus.Normal, false)] // on the roll already
    [InlineData(MemberStatus.Mobile, false)]
    [InlineData(MemberStatus.Abroad, false)]
    [InlineData(MemberStatus.Suspended, false)]
    [InlineData(MemberStatus.Deceased, false)]
    public void A_letter_from_outside_may_bring_back_a_former_registry_row(MemberStatus? registered, bool may)
    {
        PartyMembership.MayTransferInAgain(registered).ShouldBe(may);
        (PartyMembership.TransferInRefusal(registered) is null).ShouldBe(may);
    }
}
