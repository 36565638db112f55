using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Jiceng.Data;
using Jiceng.Data.Scope;
using Jiceng.Domain.Dues;
using Jiceng.Domain.Members;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Dues;

/// <summary>A member with their dues facts and their organization, as <see cref="DuesData.LoadAsync"/> loads them.</summary>
/// <remarks>Two references, the rest read through them: one of these is made per member of a street's ledger (3,000 a request), and a
/// copy of the member's and organization's fields here was a tenth of what the request allocated (bench, 2026-12-07).</remarks>
internal sealed record MemberDuesFacts(DuesFacts Facts, DuesData.SubtreeOrganization Organization)
{
    public Guid MemberId => Facts.MemberId;
    public string Name => Facts.MemberName;
    public Guid OrganizationId => Facts.OrganizationId;
    public string OrganizationName => Organization.Name;
    public string OrganizationPath => Organization.Path;
}

/// <summary>
/// Loads dues facts for many members at once: a handful of set-based queries joined in memory (never one
/// query per member). The members query carries the caller's scope; the dues tables are then read by member or by the
/// subtree's organizations (<see cref="MemberSet"/>), so their own scope filters need not be joined again.
/// </summary>
internal static class DuesData
{
    /// <param name="subtree">When the members are those of one subtree (<see cref="SubtreeAsync"/>, from a scoped read), the
    /// organizations' names and paths come from it, and the dues tables are read by the members' organizations
    /// (<see cref="IMemberDuesRow.MemberOrganizationId"/>, ADR 007): an index range per organization instead of an index
    /// descent per member. Rows of members not loaded are read too and ignored.</param>
    public static async Task<List<MemberDuesFacts>> LoadAsync(JicengDbContext db, IQueryable<Member> members, DateOnly today, CancellationToken ct,
        bool withPaidThrough = true, Subtree? subtree = null)
    {
        var (people, set) = await MembersThenBasesAsync(db, members, subtree, ct);
        if (people.Count == 0) return [];
        // The organizations' names and paths once per organization, not once per member (a street's 3,000 members share
        // 150 organizations; the strings were most of what a ledger request allocated). The members were read through
        // the scope, so their organizations need no filter again.
        var orgs = subtree?.Organizations ?? [];
        // Without a subtree, or (a large subtree, read by its path) an organization added to it after the subtree was read.
        var missing = people.Where(p => !orgs.ContainsKey(p.OrganizationId)).Select(p => p.OrganizationId).Distinct().ToList();
        if (missing.Count > 0)
        {
            orgs = new Dictionary<Guid, SubtreeOrganization>(orgs);
            foreach (var o in await ByIdsAsync(missing, chunk => db.Organizations.IgnoreQueryFilters().AsNoTracking()
                         .Where(o => chunk.Contains(o.Id)).Select(o => new SubtreeOrganization(o.Id, o.Name, o.Path, o.ParentId)), ct))
                orgs[o.Id] = o;
        }
        var adjustments = new Dictionary<Guid, DuesAdjustmentFact[]>();
        await foreach (var a in set.StreamAsync(db.DuesAdjustments, q => q.Select(a => new { a.MemberId, a.Kind, a.MonthlyAmountFen, a.FromMonth, a.ToMonth, a.RevokedFromMonth }), ct))
        {
            if (!DuesAdjustmentRevocation.Applies(a.FromMonth, a.ToMonth, a.RevokedFromMonth)) continue;
            ref var own = ref CollectionsMarshal.GetValueRefOrAddDefault(adjustments, a.MemberId, out _);
            own = [.. own ?? [], new DuesAdjustmentFact(a.Kind, a.MonthlyAmountFen, a.FromMonth, DuesAdjustmentRevocation.EffectiveTo(a.ToMonth, a.RevokedFromMonth))];
        }
        var lastPaid = new Dictionary<Guid, DateOnly>();
        if (withPaidThrough)
            await foreach (var g in set.StreamAsync(db.DuesPaymentMonths, q => q.GroupBy(p => p.MemberId).Select(g => new { g.Key, Last = g.Max(p => p.Month) }), ct))
            {
                // One row per member, unless the member's rows came in two chunks: the later month then.
                ref var last = ref CollectionsMarshal.GetValueRefOrAddDefault(lastPaid, g.Key, out var seen);
                if (!seen || g.Last > last) last = g.Last;
            }
        var result = new List<MemberDuesFacts>(people.Count);
        foreach (var p in people)
        {
            var b = p.Bases ?? [];
            var facts = new DuesFacts(p.Id, p.Name, p.OrganizationId, p.JoinedOn, p.Status, b, adjustments.GetValueOrDefault(p.Id) ?? [],
                DuesObligation.PaidThrough(lastPaid.TryGetValue(p.Id, out var last) ? last : null, b));
            result.Add(new MemberDuesFacts(facts, orgs[p.OrganizationId]));
        }
        return result;
    }

    /// <summary>A member as read, with their bases (null: none).</summary>
    private sealed record Person(Guid Id, string Name, Guid OrganizationId, DateOnly JoinedOn, MemberStatus Status)
    {
        public DuesBaseFact[]? Bases { get; set; }
    }

    /// <summary>The members, then their bases (<see cref="MemberSet"/>: by the subtree's organizations or its path, or by member id
    /// for members of no one subtree). Joined with the bases in one query instead, a street's members and bases took PostgreSQL
    /// 9.4 ms against 3.5 + 2.4 ms apart (bench, 2026-12-07).</summary>
    private static async Task<(List<Person>, MemberSet)> MembersThenBasesAsync(JicengDbContext db, IQueryable<Member> members, Subtree? subtree,
        CancellationToken ct)
    {
        var people = await members.AsNoTracking().Select(m => new Person(m.Id, m.Name, m.OrganizationId, m.JoinedOn, m.Status)).ToListAsync(ct);
        var set = subtree is null ? MemberSet.ByMembers(people.ConvertAll(p => p.Id)) : MemberSet.InSubtree(db, subtree);
        if (people.Count == 0) return (people, set);
        var byId = people.ToDictionary(p => p.Id); // a member once: the callers' queries read members, never a join that repeats them
        await foreach (var b in set.StreamAsync(db.DuesBases, q => q.Select(b => new { b.MemberId, b.EffectiveMonth, b.MonthlyAmountFen, b.CreatedAt, b.OpeningPaidThrough, b.Ended }), ct))
            if (byId.TryGetValue(b.MemberId, out var p))
                p.Bases = [.. p.Bases ?? [], new DuesBaseFact(b.EffectiveMonth, b.MonthlyAmountFen, b.CreatedAt, b.OpeningPaidThrough, b.Ended)];
        return (people, set);
    }

    /// <summary>An organization of a subtree: its name, path and parent.</summary>
    public sealed record SubtreeOrganization(Guid Id, string Name, string Path, Guid? ParentId);

    /// <summary>The organizations of a subtree whose root the caller has found through the scope filter (so the whole
    /// subtree is in scope), with their names and paths.</summary>
    public sealed record Subtree(string Path, Dictionary<Guid, SubtreeOrganization> Organizations)
    {
        public IReadOnlyList<Guid> Ids { get; } = [.. Organizations.Keys];

        /// <summary>Whether the subtree's members and dues rows are read by its organizations' ids, one array parameter (up to
        /// <see cref="MemberChunk"/> organizations: a street has about 150), or by its path range (a district's 25,000).</summary>
        public bool ById { get; init; } = Organizations.Count <= MemberChunk;

        /// <summary>The members of the subtree, scope filters ignored (the subtree was read through them).</summary>
        public IQueryable<Member> Members(JicengDbContext db) => ById
            ? db.Members.IgnoreQueryFilters().Where(m => Ids.Contains(m.OrganizationId))
            : db.Members.InReadSubtree(Path, m => m.Organization!.Path);
    }

    /// <summary>The organizations of the subtree at <paramref name="path"/>, a path from a scoped read. The subtree's members
    /// and dues rows are then read by these ids rather than by the path's prefix range, which, repeated in each query, cost
    /// PostgreSQL about a millisecond of planning per query and a scan of the organizations' path index each time (a
    /// street's monthly dues ledger, bench 2026-12-07).</summary>
    public static async Task<Subtree> SubtreeAsync(JicengDbContext db, string path, CancellationToken ct)
    {
        var orgs = await db.Organizations.IgnoreQueryFilters().AsNoTracking().InSubtree(path, o => o.Path)
            .Select(o => new SubtreeOrganization(o.Id, o.Name, o.Path, o.ParentId)).ToDictionaryAsync(o => o.Id, ct);
        return new Subtree(path, orgs);
    }

    /// <summary>The sum of the subtree's dues stamps (ADR 009): it changes with every committed change that its ledgers count. Read
    /// before the rows it vouches for, so that rows read after it are at least as new as it says.</summary>
    public static Task<long> StampAsync(JicengDbContext db, Subtree subtree, CancellationToken ct) =>
        db.DuesLedgerStamps.AsNoTracking().Where(s => subtree.Ids.Contains(s.OrganizationId)).SumAsync(s => s.Version, ct);

    /// <summary>The members whose dues rows a query reads: by member id, by a subtree's organizations, or by a subtree's path.
    /// The dues rows are read on their own, not with the members query as a subquery (PostgreSQL then scanned the whole payment
    /// table for a street: 2.7 s, issue 7's first run).</summary>
    public sealed class MemberSet
    {
        private readonly IReadOnlyList<Guid>? _members;
        private readonly IReadOnlyList<Guid>? _organizations;
        private readonly IQueryable<Guid>? _pathOrganizations;

        private MemberSet(IReadOnlyList<Guid>? members, IReadOnlyList<Guid>? organizations, IQueryable<Guid>? pathOrganizations) =>
            (_members, _organizations, _pathOrganizations) = (members, organizations, pathOrganizations);

        public static MemberSet ByMembers(IReadOnlyList<Guid> ids) => new(ids, null, null);

        /// <summary>The members of a subtree: read by its organizations, or by its path when it is large. Rows of members
        /// not loaded are read too (the caller ignores them), and so are those of a member who moved within the subtree
        /// after the members were read.</summary>
        public static MemberSet InSubtree(JicengDbContext db, Subtree subtree) => subtree.ById
            ? new(null, subtree.Ids, null)
            : new(null, null, db.Organizations.IgnoreQueryFilters().InSubtree(subtree.Path, o => o.Path).Select(o => o.Id));

        /// <summary>The rows of <paramref name="table"/> (scope filters ignored: the members were read through them) that
        /// belong to these members, shaped by <paramref name="shape"/>, streamed from the reader (one query per chunk of ids,
        /// one after the other): the caller keeps what it needs of each row, not a list of them all.</summary>
        public async IAsyncEnumerable<TOut> StreamAsync<T, TOut>(IQueryable<T> table, Func<IQueryable<T>, IQueryable<TOut>> shape,
            [EnumeratorCancellation] CancellationToken ct)
            where T : class, IMemberDuesRow
        {
            var rows = table.IgnoreQueryFilters().AsNoTracking();
            if (_pathOrganizations is { } orgs)
            {
                await foreach (var row in shape(rows.Where(r => orgs.Contains(r.MemberOrganizationId))).AsAsyncEnumerable().WithCancellation(ct))
                    yield return row;
                yield break;
            }
            foreach (var chunk in (_organizations ?? _members ?? []).Chunk(MemberChunk))
            {
                List<Guid> ids = [.. chunk];
                var query = _organizations is not null ? rows.Where(r => ids.Contains(r.MemberOrganizationId)) : rows.Where(r => ids.Contains(r.MemberId));
                await foreach (var row in shape(query).AsAsyncEnumerable().WithCancellation(ct))
                    yield return row;
            }
        }
    }

    /// <summary>How many member ids go into one query (one array parameter on PostgreSQL, a JSON array on SQLite).</summary>
    public const int MemberChunk = 5000;

    /// <summary>Runs <paramref name="query"/> for each chunk of <paramref name="ids"/> and concatenates the rows.</summary>
    public static async Task<List<T>> ByIdsAsync<T>(IReadOnlyList<Guid> ids, Func<List<Guid>, IQueryable<T>> query, CancellationToken ct)
    {
        var rows = new List<T>();
        foreach (var chunk in ids.Chunk(MemberChunk))
            rows.AddRange(await query([.. chunk]).ToListAsync(ct));
        return rows;
    }
}
