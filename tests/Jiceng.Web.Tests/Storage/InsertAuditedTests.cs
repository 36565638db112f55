using System.Text.Json;
using Jiceng.Data;
using Jiceng.Data.Audit;
using Jiceng.Data.Scope;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Audit;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Tests.Storage;

public sealed class InsertAuditedTests_Sqlite(SqliteApp app) : InsertAuditedTests(app), IClassFixture<SqliteApp>;

public sealed class InsertAuditedTests_Postgres(PostgresApp app) : InsertAuditedTests(app), IClassFixture<PostgresApp>;

/// <summary>The bulk write path of large imports (<see cref="JicengDbContext.InsertAuditedAsync{T}"/>) against SaveChanges.</summary>
public abstract class InsertAuditedTests(JicengApp app)
{
    private static int _serial;

    private static Member NewMember(Guid org, string name)
    {
        var n = Interlocked.Increment(ref _serial);
        return new Member
        {
            Id = Guid.CreateVersion7(), Name = name, NameInitials = "plsc", Gender = Gender.Female, Ethnicity = "汉族",
            BirthDate = new DateOnly(1980, 2, 29), IdNumberCipher = "bulk-cipher", IdNumberHash = $"bulk-test-{Guid.NewGuid():N}",
            IdNumberMasked = $"110***********{n:0000}", Occupation = Occupation.Retired, WorkUnit = "批量单位", OrganizationId = org,
            State = MemberState.Full, JoinedOn = new DateOnly(2000, 7, 1), FullMemberOn = new DateOnly(2001, 7, 1),
            CreatedAt = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero),
        };
    }

    private static async IAsyncEnumerable<IReadOnlyList<T>> Batches<T>(params IReadOnlyList<T>[] batches)
    {
        foreach (var b in batches)
        {
            await Task.Yield();
            yield return b;
        }
    }

    private async Task<(Guid Branch, Organization Street)> BranchAsync()
    {
        await using var db = app.OpenDb();
        var branch = await db.Organizations.FirstAsync(o => o.Kind == OrganizationKind.GridBranch);
        var street = await db.Organizations.FirstAsync(o => o.Kind == OrganizationKind.StreetWorkingCommittee && branch.Path.StartsWith(o.Path));
        return (branch.Id, street);
    }

    [Fact]
    public async Task Rows_and_audit_records_are_what_SaveChanges_writes_and_the_chain_stays_intact()
    {
        var (branch, _) = await BranchAsync();
        var bySave = NewMember(branch, "保存甲");
        var byBulk = new[] { NewMember(branch, "保存甲"), NewMember(branch, "批量乙"), NewMember(branch, "批量丙") };
        byBulk[0].IdNumberMasked = bySave.IdNumberMasked;
        await using (var db = app.OpenDb())
        {
            db.Actor = new AuditActor("u-1", "bulk-tester", "StreetStaff", "127.0.0.1");
            db.Members.Add(bySave);
            await db.SaveChangesAsync();
            await using var tx = await db.Database.BeginTransactionAsync();
            (await db.InsertAuditedAsync(Batches<Member>(byBulk[..1], [], byBulk[1..]), CancellationToken.None)).ShouldBe(3);
            await tx.CommitAsync();
        }

        await using var check = app.OpenDb();
        var ids = byBulk.Select(m => m.Id).ToList();
        var stored = await check.Members.Where(m => ids.Contains(m.Id)).OrderBy(m => m.Name).ToListAsync();
        stored.Select(m => m.Name).ShouldBe(["批量丙", "批量乙", "保存甲"], ignoreOrder: true);
        var twin = stored.Single(m => m.Id == byBulk[0].Id);
        twin.BirthDate.ShouldBe(bySave.BirthDate);
        twin.Occupation.ShouldBe(Occupation.Retired);
        twin.IdNumberCipher.ShouldBe(bySave.IdNumberCipher);
        twin.CreatedAt.ShouldBe(bySave.CreatedAt);
        if (check.IsPostgres) // the generated column is computed by the database for copied rows too
            (await check.Members.Where(m => m.Id == twin.Id).Select(m => EF.Property<string[]>(m, "NameChars")).SingleAsync()).ShouldBe(["保", "存", "甲"]);

        var keys = ids.Select(i => i.ToString()).Append(bySave.Id.ToString()).ToList();
        var audit = await check.AuditEntries.Where(a => a.EntityType == "Member" && keys.Contains(a.EntityId!)).OrderBy(a => a.At).ThenBy(a => a.Sequence).ToListAsync();
        audit.Count.ShouldBe(4);
        audit.ShouldAllBe(a => a.Action == AuditActions.Create && a.UserName == "bulk-tester" && a.Roles == "StreetStaff" && a.OrganizationId == branch);
        audit.Select(a => a.Sequence).ShouldBe(Enumerable.Range((int)audit[0].Sequence, 4).Select(i => (long)i)); // one contiguous run
        var saved = audit.Single(a => a.EntityId == bySave.Id.ToString());
        var bulk = audit.Single(a => a.EntityId == byBulk[0].Id.ToString());
        // Same fields, same values, secrets masked alike; only the entity's own id and hash differ.
        string Normalized(AuditEntry a, Member m) => a.Changes!.Replace(m.Id.ToString(), "ID");
        Normalized(bulk, byBulk[0]).ShouldBe(Normalized(saved, bySave));
        JsonDocument.Parse(bulk.Changes!).RootElement.GetProperty("IdNumberHash")[1].GetString().ShouldBe("***");
        (await AuditVerifier.VerifyAsync(check)).Intact.ShouldBeTrue();
    }

    [Fact]
    public async Task A_row_outside_the_write_scope_or_a_duplicate_writes_nothing()
    {
        var (branch, street) = await BranchAsync();
        await using var db = app.OpenDb();
        var other = await db.Organizations.FirstAsync(o => o.Kind == OrganizationKind.GridBranch && !o.Path.StartsWith(street.Path));
        var beforeAudit = await db.AuditEntries.LongCountAsync();
        var inside = NewMember(branch, "范围内");

        db.Scope = DataScope.ForPaths([street.Path]);
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await Should.ThrowAsync<OutOfScopeException>(() =>
                db.InsertAuditedAsync(Batches<Member>([inside], [NewMember(other.Id, "范围外")]), CancellationToken.None));
            await tx.RollbackAsync();
        }

        var duplicate = NewMember(branch, "重复");
        duplicate.IdNumberHash = inside.IdNumberHash;
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await Should.ThrowAsync<DbUpdateException>(() =>
                db.InsertAuditedAsync(Batches<Member>([inside, duplicate]), CancellationToken.None));
            await tx.RollbackAsync();
        }

        await using var check = app.OpenDb();
        (await check.Members.AnyAsync(m => m.IdNumberHash == inside.IdNumberHash)).ShouldBeFalse();
        (await check.AuditEntries.LongCountAsync()).ShouldBe(beforeAudit);
        await Should.ThrowAsync<InvalidOperationException>(() => check.InsertAuditedAsync(Batches<Member>([inside]), CancellationToken.None));
    }
}
