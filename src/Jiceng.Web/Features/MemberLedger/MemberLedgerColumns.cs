using System.Globalization;
using Jiceng.Web.Features.Ledgers;
using Jiceng.Domain.Members;

namespace Jiceng.Web.Features.MemberLedger;

/// <summary>The ledger's Chinese column headers, the Chinese names of coded values, and cell parsing
/// shared by the import, the template and the export.</summary>
public static class MemberLedgerColumns
{
    public const string Name = "姓名";
    public const string IdNumber = "身份证号";
    public const string Phone = "手机号";
    public const string Ethnicity = "民族";
    public const string Education = "学历";
    public const string Occupation = "职业类别";
    public const string WorkUnit = "工作单位";
    public const string HomeAddress = "家庭住址";
    public const string Residence = "居住社区";
    public const string Organization = "所在党组织";
    public const string State = "党员类别";
    public const string JoinedOn = "入党日期";
    public const string FullMemberOn = "转正日期";
    // Written by the export after the template's columns; accepted on import, so that a revealed
    // export can be imported again.
    public const string Gender = "性别";
    public const string BirthDate = "出生日期";
    public const string PartyAge = "党龄";
    public const string Status = "状态";
    /// <summary>The date of the suspension, for status 停止党籍 (optional: without it the member is flagged by
    /// <c>SuspensionDateMissingRule</c> until the branch records it).</summary>
    public const string SuspendedOn = "停止党籍日期";

    /// <summary>The import template's columns, in order.</summary>
    public static readonly string[] Template =
        [Name, IdNumber, Phone, Ethnicity, Education, Occupation, WorkUnit, HomeAddress, Residence, Organization, State, JoinedOn, FullMemberOn];

    public static readonly string[] Required = [Name, IdNumber, Occupation, Organization, State, JoinedOn];

    /// <summary>Every column the import reads (党龄 is computed and ignored).</summary>
    public static readonly HashSet<string> Known = [.. Template, Gender, BirthDate, PartyAge, Status, SuspendedOn];

    /// <summary>The column that shows an API field's error (MemberService's field names).</summary>
    public static string ForField(string field, bool hasBirthDate, bool hasGender) => field switch
    {
        "name" => Name,
        "idNumber" => IdNumber,
        "phone" => Phone,
        "ethnicity" => Ethnicity,
        "education" => Education,
        "occupation" => Occupation,
        "workUnit" => WorkUnit,
        "homeAddress" => HomeAddress,
        "residenceCommunityId" => Residence,
        "organizationId" => Organization,
        "state" => State,
        "joinedOn" => JoinedOn,
        "fullMemberOn" => FullMemberOn,
        "status" => Status,
        "suspendedOn" => SuspendedOn,
        // Without these columns, birth date and gender come from the ID number.
        "birthDate" => hasBirthDate ? BirthDate : IdNumber,
        "gender" => hasGender ? Gender : IdNumber,
        _ => field,
    };

    public static readonly IReadOnlyDictionary<string, Occupation> Occupations = Names(Enum.GetValues<Occupation>(), o => o.ToChinese());
    public static readonly IReadOnlyDictionary<string, MemberState> States = Names(Enum.GetValues<MemberState>(), s => s.ToChinese(), ("正式", MemberState.Full), ("预备", MemberState.Probationary));
    public static readonly IReadOnlyDictionary<string, Gender> Genders = Names(Enum.GetValues<Gender>(), g => g.ToChinese());
    public static readonly IReadOnlyDictionary<string, MemberStatus> Statuses = Names(Enum.GetValues<MemberStatus>(), s => s.ToChinese());
    public static readonly IReadOnlyDictionary<string, Education> Educations = Names(Enum.GetValues<Education>(), e => e.ToChinese(),
        ("高中", Domain.Members.Education.SeniorHigh), ("中专", Domain.Members.Education.SeniorHigh),
        ("硕士", Domain.Members.Education.Master), ("博士", Domain.Members.Education.Doctor));

    private static Dictionary<string, T> Names<T>(IEnumerable<T> values, Func<T, string> name, params (string Alias, T Value)[] aliases) where T : notnull
    {
        var d = values.ToDictionary(name, v => v);
        foreach (var (alias, value) in aliases) d[alias] = value;
        return d;
    }

    /// <summary>"在职、退休、…" for messages and the instructions sheet.</summary>
    public static string Choices<T>(IEnumerable<T> values, Func<T, string> name) => string.Join("、", values.Select(name).Distinct());

    /// <summary>The text of a cell: trimmed, null when blank, numbers without exponent or decimals when whole.</summary>
    public static string? Text(object? cell) => cell switch
    {
        null => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : SpreadsheetText.Unescape(s.Trim()),
        double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => d.ToString("0", CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "是" : "否",
        _ => Convert.ToString(cell, CultureInfo.InvariantCulture) is { } t && !string.IsNullOrWhiteSpace(t) ? t.Trim() : null,
    };

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyyMMdd", "yyyy年M月d日"];

    /// <summary>A date cell: an Excel date, an Excel serial number or text such as 2010-07-01, 2010/7/1, 20100701, 2010年7月1日.</summary>
    public static bool TryDate(object? cell, out DateOnly date)
    {
        date = default;
        switch (cell)
        {
            case DateTime dt:
                date = DateOnly.FromDateTime(dt);
                return true;
            case double d when d >= 1 && d < 2958466 && d == Math.Floor(d):
                date = DateOnly.FromDateTime(DateTime.FromOADate(d));
                return true;
            case double d when d >= 10000101 && d <= 99991231:
                return DateOnly.TryParseExact(((long)d).ToString(CultureInfo.InvariantCulture), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
            default:
                return Text(cell) is { } s && DateOnly.TryParseExact(s, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
        }
    }

    /// <summary>Column letters of a 1-based index: 1 → A, 27 → AA.</summary>
    public static string Letters(int index)
    {
        var s = "";
        for (; index > 0; index = (index - 1) / 26) s = (char)('A' + (index - 1) % 26) + s;
        return s;
    }
}
