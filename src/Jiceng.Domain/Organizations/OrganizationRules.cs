using Jiceng.Domain.Alerts;
using Jiceng.Domain.Settings;

namespace Jiceng.Domain.Organizations;

/// <summary>Member counts of one organization's subtree.</summary>
public sealed record MemberCounts(int Total, int Full);

/// <summary>Where the organization rules read member counts. Implemented by the member
/// registry; until a registry holds members the counts are unknown and the rules that need
/// them stay silent rather than guess.</summary>
public interface IMemberCountSource
{
    /// <summary>Counts for the given organizations (each over its whole subtree); an organization
    /// missing from the answer has unknown counts.</summary>
    Task<IReadOnlyDictionary<Guid, MemberCounts>> GetCountsAsync(IReadOnlyCollection<Guid> organizationIds, CancellationToken ct);
}

/// <summary>The facts an organization rule needs, gathered once per evaluation.</summary>
public sealed record OrganizationFacts(
    Guid Id,
    string Name,
    OrganizationKind Kind,
    bool HasCommittee,
    int PartyGroupCount,
    DateOnly? TermStart,
    DateOnly? TermEnd,
    MemberCounts? Members,
    DateOnly Today);

/// <summary>A named rule about setting up party organizations. Rules only produce findings
/// (alerts); they never block data entry.</summary>
public interface IOrganizationRule
{
    string Code { get; }
    AlertFinding? Evaluate(OrganizationFacts org, ISettingsReader settings);
}

/// <summary>《中国共产党支部工作条例（试行）》(2018) 第五条: a branch needs at least 3 full members;
/// with fewer, members join a 联合党支部.</summary>
public sealed class BranchNeedsThreeFullMembersRule : IOrganizationRule
{
    public const int MinimumFullMembers = 3;
    public string Code => "org.branch-min-full-members";

    public AlertFinding? Evaluate(OrganizationFacts org, ISettingsReader settings)
    {
        if (!org.Kind.IsBranchLike() || org.Kind == OrganizationKind.JointBranch || org.Members is null) return null;
        if (org.Members.Full >= MinimumFullMembers) return null;
        return new AlertFinding(Code, org.Id, AlertSeverity.Warning,
            $"{org.Name}正式党员{org.Members.Full}名，不足{MinimumFullMembers}名，应与邻近单位成立联合党支部",
            "organization", org.Id.ToString());
    }
}

/// <summary>《中国共产党支部工作条例（试行）》(2018) 第八条: a branch with 7 or more full members sets up a
/// 支部委员会 (3-5, at most 7 members); with fewer it has only a secretary (and deputy if needed).</summary>
public sealed class BranchCommitteeAtSevenFullMembersRule : IOrganizationRule
{
    public const int CommitteeThreshold = 7;
    public string Code => "org.branch-committee";

    public AlertFinding? Evaluate(OrganizationFacts org, ISettingsReader settings)
    {
        if (!org.Kind.IsBranchLike() || org.Members is null) return null;
        if (org.Members.Full >= CommitteeThreshold && !org.HasCommittee)
            return new AlertFinding(Code, org.Id, AlertSeverity.Warning,
                $"{org.Name}正式党员{org.Members.Full}名，已达{CommitteeThreshold}名，应设立支部委员会",
                "organization", org.Id.ToString());
        if (org.Members.Full < CommitteeThreshold && org.HasCommittee)
            return new AlertFinding(Code, org.Id, AlertSeverity.Info,
                $"{org.Name}正式党员{org.Members.Full}名，不足{CommitteeThreshold}名，一般不设支部委员会，只设书记",
                "organization", org.Id.ToString());
        return null;
    }
}

/// <summary>《中国共产党支部工作条例（试行）》(2018) 第五条 and 党章 第三十条: a branch generally has
/// at most 50 members; 50-100 members form a 党总支; 100 or more a 基层党委.</summary>
public sealed class OrganizationFormMatchesSizeRule : IOrganizationRule
{
    public const int GeneralBranchThreshold = 50;
    public const int CommitteeThreshold = 100;
    public string Code => "org.form-matches-size";

    public AlertFinding? Evaluate(OrganizationFacts org, ISettingsReader settings)
    {
        if (org.Members is null) return null;
        var total = org.Members.Total;
        var growsOut = org.Kind.IsBranchLike() || org.Kind == OrganizationKind.GeneralBranch;
        if (growsOut && total >= CommitteeThreshold)
            return new AlertFinding(Code, org.Id, AlertSeverity.Warning,
                $"{org.Name}党员{total}名，已达{CommitteeThreshold}名，应按程序设立基层党委",
                "organization", org.Id.ToString());
        if (org.Kind.IsBranchLike() && total >= GeneralBranchThreshold)
            return new AlertFinding(Code, org.Id, AlertSeverity.Info,
                $"{org.Name}党员{total}名，已达{GeneralBranchThreshold}名，可设立党总支或分设支部",
                "organization", org.Id.ToString());
        return null;
    }
}

/// <summary>Local rule (seed 003, setting <see cref="SettingDefinitions.GroupRequiredAtMembers"/>, default 30):
/// every branch of 30 or more members is divided into 党小组.</summary>
public sealed class LargeBranchNeedsPartyGroupsRule : IOrganizationRule
{
    public string Code => "org.large-branch-groups";

    public AlertFinding? Evaluate(OrganizationFacts org, ISettingsReader settings)
    {
        if (!org.Kind.IsBranchLike() || org.Members is null || org.PartyGroupCount > 0) return null;
        var threshold = settings.Get(SettingDefinitions.GroupRequiredAtMembers);
        if (org.Members.Total < threshold) return null;
        return new AlertFinding(Code, org.Id, AlertSeverity.Info,
            $"{org.Name}党员{org.Members.Total}名，达到{threshold}名，应划分党小组",
            "organization", org.Id.ToString());
    }
}

/// <summary>中办《关于党的基层组织任期的意见》(2018): 基层党委 and 村/社区 organizations serve 5 years,
/// 总支 and 支部 3 years; advancing or delaying an election needs approval and is at most 1 year.</summary>
public static class TermPolicy
{
    public const int MaxDelayYears = 1;

    public static int? YearsFor(OrganizationKind kind) => kind switch
    {
        OrganizationKind.PartyGroup => null,
        OrganizationKind.GeneralBranch or OrganizationKind.Branch or OrganizationKind.GridBranch
            or OrganizationKind.JointBranch or OrganizationKind.NewEconomicAndSocial
            or OrganizationKind.PropertyOrganization => 3,
        _ => 5,
    };

    /// <summary>The recorded term end, or the term start plus the statutory length.</summary>
    public static DateOnly? EffectiveEnd(OrganizationKind kind, DateOnly? start, DateOnly? end) =>
        end ?? (start is { } s && YearsFor(kind) is { } y ? s.AddYears(y) : null);
}

/// <summary>Term expiry (see <see cref="TermPolicy"/>): a warning before the term ends
/// (setting <see cref="SettingDefinitions.TermWarningDays"/>), critical once it has ended, and a
/// warning when the recorded term is longer than the statutory length plus the 1-year maximum delay.</summary>
public sealed class TermExpiryRule : IOrganizationRule
{
    public string Code => "org.term-expiry";

    public AlertFinding? Evaluate(OrganizationFacts org, ISettingsReader settings)
    {
        if (TermPolicy.YearsFor(org.Kind) is not { } years) return null;
        if (TermPolicy.EffectiveEnd(org.Kind, org.TermStart, org.TermEnd) is not { } end) return null;
        if (org.Today >= end)
            return new AlertFinding(Code, org.Id, AlertSeverity.Critical,
                $"{org.Name}任期已于{end:yyyy年M月d日}届满，应按期换届", "organization", org.Id.ToString(), end);
        if (org.TermStart is { } start && end > start.AddYears(years + TermPolicy.MaxDelayYears))
            return new AlertFinding(Code, org.Id, AlertSeverity.Warning,
                $"{org.Name}任期至{end:yyyy年M月d日}，超过{years}年任期且延期超过{TermPolicy.MaxDelayYears}年",
                "organization", org.Id.ToString(), end);
        var warnDays = settings.Get(SettingDefinitions.TermWarningDays);
        if (org.Today.AddDays(warnDays) >= end)
            return new AlertFinding(Code, org.Id, AlertSeverity.Warning,
                $"{org.Name}任期将于{end:yyyy年M月d日}届满，请做好换届准备", "organization", org.Id.ToString(), end);
        return null;
    }
}

public static class OrganizationRules
{
    public static IReadOnlyList<IOrganizationRule> All { get; } =
    [
        new BranchNeedsThreeFullMembersRule(),
        new BranchCommitteeAtSevenFullMembersRule(),
        new OrganizationFormMatchesSizeRule(),
        new LargeBranchNeedsPartyGroupsRule(),
        new TermExpiryRule(),
    ];
}
