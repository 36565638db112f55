using Jiceng.Domain.Alerts;
using Jiceng.Domain.Organizations;
using Jiceng.Domain.Settings;

namespace Jiceng.Domain.Tests.Organizations;

public class OrganizationRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    private sealed class Defaults(Dictionary<string, int>? values = null) : ISettingsReader
    {
        public int Get(SettingDefinition d) => values is not null && values.TryGetValue(d.Key, out var v) ? v : d.Default;
    }

    private static OrganizationFacts Org(OrganizationKind kind = OrganizationKind.Branch, int total = 10, int full = 10, bool committee = false,
        int groups = 0, DateOnly? termStart = null, DateOnly? termEnd = null, bool unknownCounts = false) =>
        new(Guid.NewGuid(), "测试支部", kind, committee, groups, termStart, termEnd, unknownCounts ? null : new MemberCounts(total, full), Today);

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void Branch_needs_three_full_members(int full, bool fires)
    {
        var f = new BranchNeedsThreeFullMembersRule().Evaluate(Org(total: full + 2, full: full), new Defaults());
        (f is not null).ShouldBe(fires);
        if (fires) f!.Message.ShouldContain("联合党支部");
    }

    [Fact]
    public void Branch_rule_is_silent_when_counts_are_unknown_and_for_joint_branches()
    {
        new BranchNeedsThreeFullMembersRule().Evaluate(Org(unknownCounts: true), new Defaults()).ShouldBeNull();
        new BranchNeedsThreeFullMembersRule().Evaluate(Org(OrganizationKind.JointBranch, 2, 2), new Defaults()).ShouldBeNull();
        new BranchNeedsThreeFullMembersRule().Evaluate(Org(OrganizationKind.CommunityCommittee, 1, 1), new Defaults()).ShouldBeNull();
    }

    [Theory]
    [InlineData(6, false, false)]
    [InlineData(7, false, true)]
    [InlineData(7, true, false)]
    [InlineData(6, true, true)]
    public void Committee_is_set_up_at_seven_full_members(int full, bool hasCommittee, bool fires)
    {
        var f = new BranchCommitteeAtSevenFullMembersRule().Evaluate(Org(total: full, full: full, committee: hasCommittee), new Defaults());
        (f is not null).ShouldBe(fires);
        if (f is not null && !hasCommittee) f.Severity.ShouldBe(AlertSeverity.Warning);
        if (f is not null && hasCommittee) f.Severity.ShouldBe(AlertSeverity.Info);
    }

    [Theory]
    [InlineData(OrganizationKind.Branch, 49, null)]
    [InlineData(OrganizationKind.Branch, 50, AlertSeverity.Info)]
    [InlineData(OrganizationKind.Branch, 99, AlertSeverity.Info)]
    [InlineData(OrganizationKind.Branch, 100, AlertSeverity.Warning)]
    [InlineData(OrganizationKind.GeneralBranch, 99, null)]
    [InlineData(OrganizationKind.GeneralBranch, 100, AlertSeverity.Warning)]
    [InlineData(OrganizationKind.CommunityCommittee, 500, null)]
    public void Form_matches_size_at_50_and_100(OrganizationKind kind, int total, AlertSeverity? expected)
    {
        var f = new OrganizationFormMatchesSizeRule().Evaluate(Org(kind, total, total, committee: true, groups: 3), new Defaults());
        f?.Severity.ShouldBe(expected!.Value);
        if (expected is null) f.ShouldBeNull();
    }

    [Theory]
    [InlineData(29, 0, false)]
    [InlineData(30, 0, true)]
    [InlineData(30, 2, false)]
    public void Branch_of_thirty_needs_party_groups(int total, int groups, bool fires)
    {
        var f = new LargeBranchNeedsPartyGroupsRule().Evaluate(Org(total: total, full: total, committee: true, groups: groups), new Defaults());
        (f is not null).ShouldBe(fires);
    }

    [Fact]
    public void Party_group_threshold_is_a_setting()
    {
        var settings = new Defaults(new() { [SettingDefinitions.GroupRequiredAtMembers.Key] = 40 });
        new LargeBranchNeedsPartyGroupsRule().Evaluate(Org(total: 39, full: 39), settings).ShouldBeNull();
        new LargeBranchNeedsPartyGroupsRule().Evaluate(Org(total: 40, full: 40), settings).ShouldNotBeNull();
    }

    [Theory]
    [InlineData(OrganizationKind.Branch, 3)]
    [InlineData(OrganizationKind.GridBranch, 3)]
    [InlineData(OrganizationKind.GeneralBranch, 3)]
    [InlineData(OrganizationKind.CommunityCommittee, 5)]
    [InlineData(OrganizationKind.StreetWorkingCommittee, 5)]
    [InlineData(OrganizationKind.GrassrootsCommittee, 5)]
    public void Term_lengths_follow_the_kind(OrganizationKind kind, int years)
    {
        TermPolicy.YearsFor(kind).ShouldBe(years);
        TermPolicy.EffectiveEnd(kind, new DateOnly(2024, 1, 1), null).ShouldBe(new DateOnly(2024 + years, 1, 1));
        TermPolicy.YearsFor(OrganizationKind.PartyGroup).ShouldBeNull();
    }

    [Fact]
    public void Term_end_boundaries()
    {
        var rule = new TermExpiryRule();
        var settings = new Defaults(); // warn 90 days ahead
        // Ends the day after the 90-day window: silent.
        rule.Evaluate(Org(termStart: Today.AddDays(91).AddYears(-3)), settings).ShouldBeNull();
        // Exactly 90 days ahead: warning.
        rule.Evaluate(Org(termStart: Today.AddDays(90).AddYears(-3)), settings)!.Severity.ShouldBe(AlertSeverity.Warning);
        // Ends tomorrow: warning; ends today: critical; ended yesterday: critical.
        rule.Evaluate(Org(termStart: Today.AddDays(1).AddYears(-3)), settings)!.Severity.ShouldBe(AlertSeverity.Warning);
        rule.Evaluate(Org(termStart: Today.AddYears(-3)), settings)!.Severity.ShouldBe(AlertSeverity.Critical);
        rule.Evaluate(Org(termStart: Today.AddDays(-1).AddYears(-3)), settings)!.Severity.ShouldBe(AlertSeverity.Critical);
        // A community committee serves 5 years, so 3 years in is fine.
        rule.Evaluate(Org(OrganizationKind.CommunityCommittee, termStart: Today.AddYears(-3)), settings).ShouldBeNull();
        // No term recorded: nothing to say.
        rule.Evaluate(Org(), settings).ShouldBeNull();
    }

    [Fact]
    public void Term_delayed_more_than_one_year_is_flagged()
    {
        var start = Today.AddYears(-1);
        var rule = new TermExpiryRule();
        rule.Evaluate(Org(termStart: start, termEnd: start.AddYears(4)), new Defaults()).ShouldBeNull();
        var f = rule.Evaluate(Org(termStart: start, termEnd: start.AddYears(4).AddDays(1)), new Defaults());
        f!.Message.ShouldContain("延期超过1年");
    }

    [Theory]
    [InlineData(null, OrganizationKind.DistrictCommittee, true)]
    [InlineData(null, OrganizationKind.Branch, false)]
    [InlineData(OrganizationKind.StreetWorkingCommittee, OrganizationKind.CommunityCommittee, true)]
    [InlineData(OrganizationKind.GridBranch, OrganizationKind.PartyGroup, true)]
    [InlineData(OrganizationKind.CommunityCommittee, OrganizationKind.PartyGroup, false)]
    [InlineData(OrganizationKind.PartyGroup, OrganizationKind.PartyGroup, false)]
    [InlineData(OrganizationKind.Branch, OrganizationKind.Branch, false)]
    [InlineData(OrganizationKind.StreetWorkingCommittee, OrganizationKind.DistrictCommittee, false)]
    public void Hierarchy_placement(OrganizationKind? parent, OrganizationKind child, bool allowed) =>
        (OrganizationHierarchy.CheckPlacement(parent, child) is null).ShouldBe(allowed);
}
