using System.Text.RegularExpressions;
using Jiceng.Web.Features.Ledgers;
using System.Threading.Channels;
using Jiceng.Data;
using Jiceng.Data.Derived;
using Jiceng.Data.Protection;
using Jiceng.Domain.Members;
using Jiceng.Domain.Security;
using Jiceng.Web.Features.Members;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcel = MiniExcelLibs.MiniExcel;
using ExcelType = MiniExcelLibs.ExcelType;
using C = Jiceng.Web.Features.MemberLedger.MemberLedgerColumns;

namespace Jiceng.Web.Features.MemberLedger;

/// <summary>
/// Imports members from the ledger template (.xlsx). The file is checked as a package first
/// (<see cref="XlsxPackage"/>), then read twice, row by row, so memory does not grow with the file:
/// the first pass validates every row (the same rules as <see cref="MemberService.ValidateAsync"/>, with the
/// database lookups done in bulk, since one query per row would not import 100,000 rows in time);
/// only when no row has an error does the second pass insert all rows in one transaction.
/// </summary>
public sealed class MemberImportService(ScopedDbFactory dbs, MemberService members, FieldProtector protector, TimeProvider clock,
    ILogger<MemberImportService> log)
{
    public const int MaxRows = 100_000;
    public const int MaxListedErrors = LedgerWorkbook.MaxListedErrors;
    public const int BatchSize = 2000;
    private const int LookupBatch = 5000;
    private static readonly Regex PhonePattern = new(@"^1\d{10}$", RegexOptions.Compiled);

    public async Task<ImportResult> ImportAsync(Stream file, CancellationToken ct = default)
    {
        // Around the import, not in it: the import's locals live in its state machine until it completes.
        using var memory = BulkJobMemory.Track(log, "Member import", file);
        return await ImportCoreAsync(file, ct);
    }

    private async Task<ImportResult> ImportCoreAsync(Stream file, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        if (await XlsxPackage.CheckAsync(file, ct) is { } refusal) return new ImportResult { Refusal = refusal };
        await using var db = await dbs.CreateAsync(ct);
        var today = clock.Today();
        var (header, directory, stop) = await ValidateAsync(db, file, today, ct);
        if (stop is not null) return stop;

        try
        {
            var validated = clock.GetElapsedTime(started);
            var imported = await InsertAsync(db, file, header!, directory!, today, ct);
            log.LogInformation("Imported {Count} members: validated in {Validated:F1} s, total {Total:F1} s",
                imported, validated.TotalSeconds, clock.GetElapsedTime(started).TotalSeconds);
            return new ImportResult { Imported = imported };
        }
        catch (DbUpdateException e)
        {
            // Between the check and the insert someone registered one of the ID numbers (unique index).
            log.LogWarning(e, "Member import failed on insert");
            return new ImportResult
            {
                Refusal = new FileRefusal(409, "导入时数据已变化", "导入过程中有身份证号已被他人登记，未导入任何记录，请重新导入以查看具体的行"),
            };
        }
    }

    /// <summary>First pass: every row checked, nothing written. Returns the header for the second pass, or the answer when the file is refused or has errors.</summary>
    private async Task<(ImportHeader? Header, OrgDirectory? Directory, ImportResult? Stop)> ValidateAsync(JicengDbContext db, Stream file, DateOnly today, CancellationToken ct)
    {
        var errors = new ImportErrorList();
        using var rows = LedgerWorkbook.ReadRows(file).GetEnumerator();
        if (!LedgerWorkbook.TryRead(rows, out var first))
            return (null, null, new ImportResult { Refusal = LedgerWorkbook.Empty });
        var header = ImportHeader.Parse(first.Cells, C.Known, C.Required, errors);
        if (errors.Count > 0) return (null, null, LedgerWorkbook.Invalid(errors));

        var directory = await OrgDirectory.LoadAsync(db, ct);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var pending = new List<(string Hash, int Row)>(LookupBatch);
        var count = 0;
        while (LedgerWorkbook.TryRead(rows, out var row))
        {
            if (ImportHeader.IsBlank(row.Cells)) continue;
            if (++count > MaxRows)
                return (null, null, new ImportResult { Refusal = LedgerWorkbook.TooManyRows(MaxRows) });
            if (count % 1000 == 0) ct.ThrowIfCancellationRequested();
            var checkedRow = CheckRow(header, row.Cells, directory, today);
            foreach (var (column, message) in checkedRow.Errors) errors.Add(row.Number, column, message);
            if (checkedRow.IdHash is not { } hash) continue;
            if (seen.TryGetValue(hash, out var firstRow)) errors.Add(row.Number, C.IdNumber, $"与第{firstRow}行的身份证号重复");
            else
            {
                seen[hash] = row.Number;
                pending.Add((hash, row.Number));
                if (pending.Count == LookupBatch) await CheckRegisteredAsync(db, pending, errors, ct);
            }
        }
        await CheckRegisteredAsync(db, pending, errors, ct);
        if (errors.Count > 0) return (null, null, LedgerWorkbook.Invalid(errors));
        if (count == 0)
            return (null, null, new ImportResult { Refusal = new FileRefusal(400, "文件中没有党员数据", "列标题下方没有数据行，请从第2行起每行填写一名党员") });
        return (header, directory, null);
    }

    /// <summary>
    /// Second pass: one transaction, batches of <see cref="BatchSize"/> written by <see cref="JicengDbContext.InsertAuditedAsync{T}"/>
    /// (binary COPY on PostgreSQL, with the scope check and one audit record per member as SaveChanges would write).
    /// Reading, mapping and encrypting the rows runs on its own thread ahead of the database writes (at most two batches
    /// ahead, so memory stays bounded).
    /// </summary>
    private async Task<int> InsertAsync(JicengDbContext db, Stream file, ImportHeader header, OrgDirectory directory, DateOnly today, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // The history rows of members imported as 停止党籍 with their date (few): inserted after the members, in the same transaction.
        var suspensions = new List<MemberSuspension>();
        var batches = Channel.CreateBounded<IReadOnlyList<Member>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(async () =>
        {
            Exception? error = null;
            try
            {
                var batch = new List<Member>(BatchSize);
                foreach (var row in LedgerWorkbook.ReadRows(file).Skip(1))
                {
                    if (ImportHeader.IsBlank(row.Cells)) continue;
                    var checkedRow = CheckRow(header, row.Cells, directory, today, hashId: false);
                    if (checkedRow.Input is null)
                        throw new InvalidOperationException($"Row {row.Number} changed between validation and insert");
                    var m = new Member { Id = Guid.CreateVersion7(now), Name = "", CreatedAt = now };
                    members.Apply(m, checkedRow.Input, now);
                    if (checkedRow.SuspendedOn is { } suspendedOn)
                    {
                        m.SuspendedOn = suspendedOn;
                        suspensions.Add(new MemberSuspension
                        {
                            Id = Guid.CreateVersion7(now), MemberId = m.Id, OrganizationId = m.OrganizationId, SuspendedOn = suspendedOn,
                            Reason = "Excel导入（原台账记载）", RecordedBy = db.Actor.UserName, CreatedAt = now, UpdatedAt = now,
                        });
                    }
                    batch.Add(m);
                    if (batch.Count < BatchSize) continue;
                    await batches.Writer.WriteAsync(batch, cts.Token);
                    batch = new List<Member>(BatchSize);
                }
                if (batch.Count > 0) await batches.Writer.WriteAsync(batch, cts.Token);
            }
            catch (Exception e)
            {
                error = e;
            }
            finally
            {
                batches.Writer.Complete(error);
            }
        }, CancellationToken.None);

        var count = 0;
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // The members' organizations are stamped at the end, not held from the first batch on (ADR 009).
            var stamps = await DeferredDuesStamps.BeginAsync(db, ct);
            count = await db.InsertAuditedAsync(Stamping(batches.Reader.ReadAllAsync(ct), stamps), ct);
            // The reader has seen the writer complete, so the producer added every suspension.
            if (suspensions.Count > 0) await db.InsertAuditedAsync(suspensions, suspensions.Count, ct);
            await stamps.StampAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch
        {
            await cts.CancelAsync();
            throw;
        }
        finally
        {
            await producer;
        }
        return count;
    }

    /// <summary>The batches as they go to the database, each member's organization given to the deferred stamps.</summary>
    private static async IAsyncEnumerable<IReadOnlyList<Member>> Stamping(IAsyncEnumerable<IReadOnlyList<Member>> batches, DeferredDuesStamps stamps)
    {
        await foreach (var batch in batches)
        {
            foreach (var m in batch) stamps.Add(m.OrganizationId);
            yield return batch;
        }
    }

    private static async Task CheckRegisteredAsync(JicengDbContext db, List<(string Hash, int Row)> pending, ImportErrorList errors, CancellationToken ct)
    {
        if (pending.Count == 0) return;
        var hashes = pending.Select(p => p.Hash).ToList();
        // An ID number is registered once in the whole deployment, whoever's scope holds the member:
        // an existence check across scopes (as MemberService.ValidateAsync does), nothing is shown.
        var registered = (await db.Members.IgnoreQueryFilters().AsNoTracking()
            .Where(m => hashes.Contains(m.IdNumberHash)).Select(m => m.IdNumberHash).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var (hash, row) in pending)
            if (registered.Contains(hash)) errors.Add(row, C.IdNumber, "该身份证号已登记为党员");
        pending.Clear();
    }

    private sealed record CheckedRow(MemberInput? Input, string? IdHash, List<(string Column, string Message)> Errors, DateOnly? SuspendedOn = null);

    /// <summary>The rules of <see cref="MemberService.ValidateAsync"/> for one row, with the organization found by
    /// name or id in the caller's scope, and the Chinese values of the template mapped to codes.</summary>
    private CheckedRow CheckRow(ImportHeader h, IDictionary<string, object> cells, OrgDirectory orgs, DateOnly today, bool hashId = true)
    {
        var errors = new List<(string, string)>();
        void Add(string column, string message) => errors.Add((column, message));
        object? Cell(string column) => h.Cell(cells, column);
        string? Text(string column) => C.Text(Cell(column));

        var input = new MemberInput
        {
            Name = Text(C.Name), Ethnicity = Text(C.Ethnicity), WorkUnit = Text(C.WorkUnit), HomeAddress = Text(C.HomeAddress), Phone = Text(C.Phone),
        };
        if (input.Name is null) Add(C.Name, "姓名不能为空");
        else if (input.Name.Length > Data.Configurations.MemberConfiguration.NameMaxLength)
            Add(C.Name, $"姓名不能超过{Data.Configurations.MemberConfiguration.NameMaxLength}个字符");
        if (input.Ethnicity is { Length: > 20 }) Add(C.Ethnicity, "民族不能超过20个字符");
        if (input.WorkUnit is { Length: > 100 }) Add(C.WorkUnit, "工作单位不能超过100个字符");
        if (input.HomeAddress is { Length: > 200 }) Add(C.HomeAddress, "家庭住址不能超过200个字符");

        if (Text(C.Gender) is { } genderText)
        {
            if (C.Genders.TryGetValue(genderText, out var g)) input.Gender = g;
            else Add(C.Gender, "性别应为：男、女");
        }
        if (Cell(C.BirthDate) is { } birthCell && C.Text(birthCell) is not null)
        {
            if (C.TryDate(birthCell, out var b)) input.BirthDate = b;
            else Add(C.BirthDate, "出生日期格式不正确，应为日期，如1980-01-01");
        }

        string? hash = null;
        DateOnly? birth = input.BirthDate;
        var idCell = Cell(C.IdNumber);
        if (idCell is double)
            Add(C.IdNumber, "身份证号被Excel存成了数字，后几位已丢失；请将该列设为文本格式后重新填写");
        else
        {
            input.IdNumber = C.Text(idCell);
            if (IdCardNumber.Validate(input.IdNumber, today) is { } idError) Add(C.IdNumber, idError);
            else
            {
                var normalized = IdCardNumber.Normalize(input.IdNumber!);
                var idBirth = IdCardNumber.BirthDate(normalized)!.Value;
                if (input.BirthDate is { } b && b != idBirth) Add(C.ForField("birthDate", h.Has(C.BirthDate), h.Has(C.Gender)), "出生日期与身份证号不一致");
                birth ??= idBirth;
                var idGender = (normalized[16] - '0') % 2 == 1 ? Gender.Male : Gender.Female;
                if (input.Gender is { } g && g != idGender) Add(C.Gender, "性别与身份证号不一致");
                if (hashId) hash = protector.Hash(normalized, ProtectedKind.IdNumber);
            }
        }

        if (input.Phone is { } phone && !PhonePattern.IsMatch(FieldProtector.Normalize(phone, ProtectedKind.Phone)))
            Add(C.Phone, "手机号应为11位数字，以1开头");

        if (Text(C.Education) is { } educationText)
        {
            if (C.Educations.TryGetValue(educationText, out var e)) input.Education = e;
            else Add(C.Education, $"学历应为：{C.Choices(Enum.GetValues<Education>(), x => x.ToChinese())}");
        }
        if (Text(C.Occupation) is not { } occupationText) Add(C.Occupation, "职业类别不能为空");
        else if (C.Occupations.TryGetValue(occupationText, out var o)) input.Occupation = o;
        else Add(C.Occupation, $"职业类别应为：{C.Choices(Enum.GetValues<Occupation>(), x => x.ToChinese())}");

        if (Text(C.State) is not { } stateText) Add(C.State, "党员类别不能为空");
        else if (C.States.TryGetValue(stateText, out var s)) input.State = s;
        else Add(C.State, "党员类别应为：正式党员、预备党员");

        if (Cell(C.JoinedOn) is not { } joinedCell || C.Text(joinedCell) is null) Add(C.JoinedOn, "入党日期不能为空");
        else if (C.TryDate(joinedCell, out var j)) input.JoinedOn = j;
        else Add(C.JoinedOn, "入党日期格式不正确，应为日期，如2010-07-01");
        if (Cell(C.FullMemberOn) is { } fullCell && C.Text(fullCell) is not null)
        {
            if (C.TryDate(fullCell, out var f)) input.FullMemberOn = f;
            else Add(C.FullMemberOn, "转正日期格式不正确，应为日期，如2011-07-01");
        }

        if (Text(C.Status) is { } statusText)
        {
            if (!C.Statuses.TryGetValue(statusText, out var st)) Add(C.Status, "状态应为：正常、流动、出国境、停止党籍、已故");
            else if (st == MemberStatus.TransferredOut) Add(C.Status, "“转出”状态由组织关系转接产生，不能直接设置");
            else if (st == MemberStatus.LeftParty) Add(C.Status, "“出党”状态由不合格党员的处置（劝其退党、除名）产生，不能直接设置");
            else if (st == MemberStatus.ProbationCancelled) Add(C.Status, "“取消预备党员资格”由发展党员记录办理，不能直接设置");
            else input.Status = st;
        }
        // 停止党籍 from the ledger: its date when the ledger has it (the 2-year decision counts from it); without it the member
        // is imported and the alert 停止党籍日期未登记 asks the branch to record it. The 6-month check of a new suspension does not
        // apply: the ledger records a decision taken before, not a new one.
        DateOnly? suspendedOn = null;
        if (Cell(C.SuspendedOn) is { } suspendedCell && C.Text(suspendedCell) is not null)
        {
            if (!C.TryDate(suspendedCell, out var sd)) Add(C.SuspendedOn, "停止党籍日期格式不正确，应为日期，如2020-03-01");
            else if (input.Status != MemberStatus.Suspended) Add(C.SuspendedOn, "只有状态为停止党籍的党员才填写停止党籍日期");
            else if (sd > today) Add(C.SuspendedOn, "停止党籍日期不能晚于今天");
            else if (input.JoinedOn is { } jd && sd < jd) Add(C.SuspendedOn, "停止党籍日期不能早于入党日期");
            else suspendedOn = sd;
        }

        if (Text(C.Organization) is not { } orgText) Add(C.Organization, "所在党组织不能为空");
        else if (orgs.FindOrganization(orgText, out var orgId) is { } orgError) Add(C.Organization, orgError);
        else input.OrganizationId = orgId;

        if (Text(C.Residence) is { } residenceText)
        {
            if (orgs.FindCommunity(residenceText, out var rc) is { } rcError) Add(C.Residence, rcError);
            else input.ResidenceCommunityId = rc;
        }

        if (birth is { } bd && input.State is { } state && input.JoinedOn is { } joined && input.Occupation is { } occ)
            foreach (var (field, message) in MemberRules.Check(state, bd, joined, input.FullMemberOn, occ, today))
                Add(C.ForField(field, h.Has(C.BirthDate), h.Has(C.Gender)), message);

        return new CheckedRow(errors.Count == 0 ? input : null, hash, errors, suspendedOn);
    }

    /// <summary>The template: the columns, one fictional example row, and a sheet of instructions.</summary>
    public static byte[] Template()
    {
        var example = new Dictionary<string, object?>
        {
            [C.Name] = "张示例", [C.IdNumber] = IdCardNumber.Complete("99999919800101001"), [C.Phone] = "13800000000", [C.Ethnicity] = "汉族",
            [C.Education] = "本科", [C.Occupation] = "在职", [C.WorkUnit] = "示例单位", [C.HomeAddress] = "示例路1号1栋101室",
            [C.Residence] = "示例社区", [C.Organization] = "示例第一党支部", [C.State] = "正式党员", [C.JoinedOn] = "2005-07-01", [C.FullMemberOn] = "2006-07-01",
        };
        string Choices<T>(IEnumerable<T> values, Func<T, string> name) => C.Choices(values, name);
        var notes = new List<Dictionary<string, object?>>
        {
            Note(C.Name, "必填", "不超过50个字符"),
            Note(C.IdNumber, "必填", "18位居民身份证号，校验位须正确；同一身份证号只能登记一次。请先把该列设为“文本”格式，否则Excel会把号码变成科学计数法并丢失后几位"),
            Note(C.Phone, "选填", "11位手机号，以1开头；建议设为文本格式"),
            Note(C.Ethnicity, "选填", "如汉族、回族；不填按汉族"),
            Note(C.Education, "选填", Choices(Enum.GetValues<Education>().Where(e => e != Education.Unknown), e => e.ToChinese()) + "（也可写高中、中专、硕士、博士）"),
            Note(C.Occupation, "必填", Choices(Enum.GetValues<Occupation>(), o => o.ToChinese())),
            Note(C.WorkUnit, "选填", "不超过100个字符"),
            Note(C.HomeAddress, "选填", "不超过200个字符"),
            Note(C.Residence, "选填", "党员居住地所在社区（社区党委或社区党总支）的名称，如“某某社区”，也可填组织ID"),
            Note(C.Organization, "必填", "党员编入的党支部或党小组，须在您的管理范围内。填写组织全称；名称有重名时写成“上级组织名称/本组织名称”，或填写组织ID"),
            Note(C.State, "必填", "正式党员、预备党员"),
            Note(C.JoinedOn, "必填", "日期，如2010-07-01（也可写2010/7/1、20100701、2010年7月1日）；入党时应年满18周岁"),
            Note(C.FullMemberOn, "正式党员必填", "正式党员填写，应在入党日期后满1年至2年之间；预备党员不填"),
            Note(C.Gender + "、" + C.BirthDate, "选填（可不加此列）", "须与身份证号一致；导出的党员名册带有这两列，可直接导入"),
            Note(C.Status, "选填（可不加此列）", "正常、流动、出国境、停止党籍、已故；不填为正常"),
            Note(C.SuspendedOn, "停止党籍的填写（可不加此列）", "状态为停止党籍的党员填写党组织决定停止党籍的日期，满2年未作处理时系统预警；不填的，导入后提示补录"),
        };
        return LedgerWorkbook.Template("党员信息", example, notes.Concat(LedgerWorkbook.CommonNotes("一名党员", MaxRows)));

        static Dictionary<string, object?> Note(string column, string required, string text) => LedgerWorkbook.Note(column, required, text);
    }
}
