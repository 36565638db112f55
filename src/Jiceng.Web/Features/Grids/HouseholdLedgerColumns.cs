using Jiceng.Domain.Grids;
using Jiceng.Web.Features.MemberLedger;

namespace Jiceng.Web.Features.Grids;

/// <summary>The household ledger's (民情台账) Chinese column headers and how its multi-value cells are written and read.</summary>
public static class HouseholdLedgerColumns
{
    public const string Grid = "网格";
    public const string Building = "楼栋";
    public const string Address = "住址";
    public const string Members = "家庭成员";
    public const string Tags = "标签";
    public const string Worker = "联系网格员";
    // Written by the export after the template's columns; ignored on import.
    public const string LastVisit = "最近走访";
    public const string MemberCount = "成员人数";

    public static readonly string[] Template = [Grid, Building, Address, Members, Tags, Worker];
    public static readonly string[] Required = [Grid, Address];
    public static readonly HashSet<string> Known = [.. Template, LastVisit, MemberCount];

    /// <summary>Members are written "姓名/关系/电话", separated by "；".</summary>
    public const char MemberSeparator = '；';
    public static readonly char[] MemberSeparators = ['；', ';', '\n'];
    public static readonly char[] PartSeparators = ['/', '／'];
    public static readonly char[] TagSeparators = ['、', ',', '，', ';', '；'];

    public static string KnownTags => string.Join("、", HouseholdRules.KnownTags);

    /// <summary>"张三/户主/13800000000；李四/配偶" → members; an empty part is left null.</summary>
    public static List<HouseholdMemberInput> ParseMembers(string? text)
    {
        var list = new List<HouseholdMemberInput>();
        if (text is null) return list;
        foreach (var entry in text.Split(MemberSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(PartSeparators, StringSplitOptions.TrimEntries);
            string? Part(int i) => parts.Length > i && parts[i].Length > 0 ? parts[i] : null;
            list.Add(new HouseholdMemberInput { Name = Part(0), Relation = Part(1), Phone = Part(2) });
        }
        return list;
    }

    public static string FormatMembers(IEnumerable<(string Name, string? Relation, string? Phone)> members) =>
        string.Join(MemberSeparator, members.Select(m => string.Join('/', new[] { m.Name, m.Relation ?? "", m.Phone ?? "" }).TrimEnd('/')));

    public static List<string> ParseTags(string? text) =>
        text is null ? [] : [.. text.Split(TagSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct()];

    /// <summary>The column that shows a <see cref="GridService.CheckHouseholdFields"/> error.</summary>
    public static string ForField(string field) => field switch
    {
        "address" => Address,
        "building" => Building,
        "tags" => Tags,
        "gridId" => Grid,
        "responsibleWorkerId" => Worker,
        _ when field.StartsWith("members", StringComparison.Ordinal) => Members,
        _ => field,
    };

    public static string? Text(object? cell) => MemberLedgerColumns.Text(cell);
}
