using System.ComponentModel;
using System.Linq.Expressions;
using System.Text.Json;
using Jiceng.Data.Alerts;
using Jiceng.Data.Audit;
using Jiceng.Data.Identity;
using Jiceng.Data.Jobs;
using Jiceng.Data.Scope;
using Jiceng.Data.Settings;
using Jiceng.Domain.Development;
using Jiceng.Data.Idempotency;
using Jiceng.Domain.Dues;
using Jiceng.Domain.Cases;
using Jiceng.Domain.Grids;
using Jiceng.Domain.Members;
using Jiceng.Domain.OrganizationalLife;
using Jiceng.Domain.Organizations;
using Jiceng.Domain.Transfers;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Jiceng.Data;

/// <summary>
/// The one database context. Two things happen here for every feature, so no endpoint does
/// them by hand: the data scope (query filters for reads, a check in SaveChanges for writes)
/// and the audit trail (every write appended to the hash chain in the same transaction).
/// </summary>
public class JicengDbContext(DbContextOptions<JicengDbContext> options) : IdentityUserContext<AppUser>(options)
{
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<RoleAssignment> RoleAssignments => Set<RoleAssignment>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    private bool? _readsWholeTree;

    /// <summary>Members the scope may read, for lists and counts over many rows. When the scope reads every organization —
    /// unrestricted, or its read paths hold every root of the tree (a district's whole deployment) — the scope filter is
    /// left out: it would join every member to its organization only to find each path inside the scope (a city-wide count
    /// spends most of its time there). The roots are looked up only when a read path is a root, once per context.</summary>
    public async Task<IQueryable<Member>> ReadableMembersAsync(CancellationToken ct) =>
        await ReadsWholeTreeAsync(ct) ? Members.IgnoreQueryFilters() : Members;

    /// <summary>Whether the scope reads every organization (see <see cref="ReadableMembersAsync"/>).</summary>
    public async Task<bool> ReadsWholeTreeAsync(CancellationToken ct)
    {
        _readsWholeTree ??= Scope.All || (Scope.Paths.Any(p => OrgPath.DepthOf(p) == 0)
            && (await Organizations.IgnoreQueryFilters().AsNoTracking().Where(o => o.ParentId == null).Select(o => o.Path).ToListAsync(ct))
                .All(Scope.Contains));
        return _readsWholeTree.Value;
    }
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<Setting> Settings => Set<Setting>();
    public DbSet<JobLease> JobLeases => Set<JobLease>();
    public DbSet<Member> Members => Set<Member>();
    public DbSet<MemberSuspension> MemberSuspensions => Set<MemberSuspension>();
    public DbSet<MobileRegistration> MobileRegistrations => Set<MobileRegistration>();
    public DbSet<DualRegistration> DualRegistrations => Set<DualRegistration>();
    public DbSet<ServiceRecord> ServiceRecords => Set<ServiceRecord>();
    public DbSet<UnitRegistration> UnitRegistrations => Set<UnitRegistration>();
    public DbSet<PointItem> PointItems => Set<PointItem>();
    public DbSet<PointRecord> PointRecords => Set<PointRecord>();
    public DbSet<CorrectionRequest> CorrectionRequests => Set<CorrectionRequest>();
    public DbSet<Transfer> Transfers => Set<Transfer>();
    public DbSet<TransferStep> TransferSteps => Set<TransferStep>();
    public DbSet<DevelopmentRecord> DevelopmentRecords => Set<DevelopmentRecord>();
    public DbSet<DevelopmentStep> DevelopmentSteps => Set<DevelopmentStep>();
    public DbSet<DuesBase> DuesBases => Set<DuesBase>();
    public DbSet<DuesAdjustment> DuesAdjustments => Set<DuesAdjustment>();
    public DbSet<DuesPayment> DuesPayments => Set<DuesPayment>();
    public DbSet<DuesPaymentMonth> DuesPaymentMonths => Set<DuesPaymentMonth>();
    public DbSet<DuesRefund> DuesRefunds => Set<DuesRefund>();
    public DbSet<Derived.DuesLedgerStamp> DuesLedgerStamps => Set<Derived.DuesLedgerStamp>();
    /// <summary>PostgreSQL only (<see cref="Derived.MemberNameChar"/>, in the model there alone): not a <c>DbSet</c> property, which
    /// would put it in SQLite's model too.</summary>
    public IQueryable<Derived.MemberNameChar> MemberNameChars => IsPostgres ? Set<Derived.MemberNameChar>()
        : throw new InvalidOperationException("member_name_chars exists on PostgreSQL only");
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<Activity> Activities => Set<Activity>();
    public DbSet<ActivityAttendance> ActivityAttendance => Set<ActivityAttendance>();
    public DbSet<ActivityAttachment> ActivityAttachments => Set<ActivityAttachment>();
    public DbSet<CommitteeSeat> CommitteeSeats => Set<CommitteeSeat>();
    public DbSet<AbsenceStreak> AbsenceStreaks => Set<AbsenceStreak>();
    public DbSet<AppraisalRound> AppraisalRounds => Set<AppraisalRound>();
    public DbSet<AppraisalEntry> AppraisalEntries => Set<AppraisalEntry>();
    public DbSet<AppraisalFollowUp> AppraisalFollowUps => Set<AppraisalFollowUp>();
    public DbSet<Grid> Grids => Set<Grid>();
    public DbSet<GridStaff> GridStaff => Set<GridStaff>();
    public DbSet<Building> Buildings => Set<Building>();
    public DbSet<Household> Households => Set<Household>();
    public DbSet<HouseholdMember> HouseholdMembers => Set<HouseholdMember>();
    public DbSet<Visit> Visits => Set<Visit>();
    public DbSet<CaseCategory> CaseCategories => Set<CaseCategory>();
    public DbSet<Case> Cases => Set<Case>();
    public DbSet<CaseEvent> CaseEvents => Set<CaseEvent>();
    public DbSet<CaseCountMonth> CaseCountMonths => Set<CaseCountMonth>();
    public DbSet<CaseCountDelta> CaseCountDeltas => Set<CaseCountDelta>();
    public DbSet<Department> Departments => Set<Department>();
    public DbSet<DepartmentHandler> DepartmentHandlers => Set<DepartmentHandler>();
    public DbSet<CaseDispatch> CaseDispatches => Set<CaseDispatch>();
    public DbSet<CasePhoto> CasePhotos => Set<CasePhoto>();

    /// <summary>Starts empty: a context nobody scoped sees no scoped data.</summary>
    public DataScope Scope { get; set; } = DataScope.None;
    public AuditActor Actor { get; set; } = AuditActor.System;
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>For bulk loads by the system (demo district, benchmark data): entity changes are not
    /// audited one by one; the loader writes one explicit record instead.</summary>
    public bool BulkLoad { get; set; }

    /// <summary>Back to the state of a new context, for a context leased from the pool (<see cref="JicengContextFactory"/>);
    /// EF has already reset its own state (tracked entities, transaction, connection).</summary>
    internal void ResetForLease()
    {
        Scope = DataScope.None;
        Actor = AuditActor.System;
        Clock = TimeProvider.System;
        BulkLoad = false;
        _readsWholeTree = null;
        ForgetQueued();
        (_laneTransaction, _lane) = (null, 0);
    }

    /// <summary>What callers queued for the next save (explicit audit records, named actions, authorized moves): dropped once a
    /// save has written it, and at every lease from the pool.</summary>
    private void ForgetQueued()
    {
        _explicitAudit.Clear();
        _actionOverrides.Clear();
        _authorizedMoves.Clear();
        _authorizedUpdates.Clear();
    }

    // Read by the query filters at query time (EF parameterizes context members).
    [EditorBrowsable(EditorBrowsableState.Never)] public bool ScopeAll => Scope.All;
    [EditorBrowsable(EditorBrowsableState.Never)] public string? ScopeFrom0 => Scope.Range(0).From;
    [EditorBrowsable(EditorBrowsableState.Never)] public string? ScopeTo0 => Scope.Range(0).To;
    [EditorBrowsable(EditorBrowsableState.Never)] public string? ScopeFrom1 => Scope.Range(1).From;
    [EditorBrowsable(EditorBrowsableState.Never)] public string? ScopeTo1 => Scope.Range(1).To;
    [EditorBrowsable(EditorBrowsableState.Never)] public string? ScopeFrom2 => Scope.Range(2).From;
    [EditorBrowsable(EditorBrowsableState.Never)] public string? ScopeTo2 => Scope.Range(2).To;
    [EditorBrowsable(EditorBrowsableState.Never)] public string? ScopeFrom3 => Scope.Range(3).From;
    [EditorBrowsable(EditorBrowsableState.Never)] public string? ScopeTo3 => Scope.Range(3).To;

    public bool IsPostgres => Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // SQLite stores DateTimeOffset as text and cannot order or compare it; all our values are
        // UTC, so ticks as a binary number keep their order.
        if (!IsPostgres)
            builder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(JicengDbContext).Assembly);
        if (IsPostgres)
        {
            // Binary collation: the subtree range [path, RangeEnd(path)) must follow byte order.
            builder.Entity<Organization>().Property(o => o.Path).UseCollation("C");
            Configurations.MemberConfiguration.ConfigurePostgres(builder.Entity<Member>());
            Derived.MemberNameCharConfiguration.Configure(builder.Entity<Derived.MemberNameChar>());
        }
        MapSubtreeFunction(builder, IsPostgres);
        MapWindowFunctions(builder, IsPostgres);
        Configurations.DuesPaymentConfiguration.ConfigureVoluntaryIndex(builder.Entity<DuesPayment>(), IsPostgres);
        Configurations.MemberSuspensionConfiguration.ConfigureOpenIndex(builder.Entity<MemberSuspension>(), IsPostgres);

        builder.Entity<Organization>().HasQueryFilter(ScopeFilter<Organization>(o => o.Path));
        builder.Entity<Alert>().HasQueryFilter(ScopeFilter<Alert>(a => a.Organization!.Path));
        builder.Entity<RoleAssignment>().HasQueryFilter(ScopeFilter<RoleAssignment>(a => a.Organization!.Path));
        builder.Entity<Member>().HasQueryFilter(ScopeFilter<Member>(m => m.Organization!.Path));
        // The suspension history follows the member (read through their current organization, as dues do).
        builder.Entity<MemberSuspension>().HasQueryFilter(ScopeFilter<MemberSuspension>(x => x.Member!.Organization!.Path));
        builder.Entity<MobileRegistration>().HasQueryFilter(ScopeFilter<MobileRegistration>(m => m.Organization!.Path));
        builder.Entity<DualRegistration>().HasQueryFilter(ScopeFilter<DualRegistration>(m => m.Organization!.Path));
        builder.Entity<ServiceRecord>().HasQueryFilter(ScopeFilter<ServiceRecord>(m => m.Organization!.Path));
        builder.Entity<UnitRegistration>().HasQueryFilter(ScopeFilter<UnitRegistration>(m => m.Organization!.Path));
        builder.Entity<PointItem>().HasQueryFilter(ScopeFilter<PointItem>(m => m.Organization!.Path));
        builder.Entity<PointRecord>().HasQueryFilter(ScopeFilter<PointRecord>(m => m.Organization!.Path));
        builder.Entity<CorrectionRequest>().HasQueryFilter(ScopeFilter<CorrectionRequest>(m => m.Organization!.Path));
        builder.Entity<Activity>().HasQueryFilter(ScopeFilter<Activity>(x => x.Organization!.Path));
        builder.Entity<ActivityAttendance>().HasQueryFilter(ScopeFilter<ActivityAttendance>(x => x.Organization!.Path));
        builder.Entity<ActivityAttachment>().HasQueryFilter(ScopeFilter<ActivityAttachment>(x => x.Organization!.Path));
        builder.Entity<CommitteeSeat>().HasQueryFilter(ScopeFilter<CommitteeSeat>(x => x.Organization!.Path));
        builder.Entity<AbsenceStreak>().HasQueryFilter(ScopeFilter<AbsenceStreak>(x => x.Organization!.Path));
        builder.Entity<AppraisalRound>().HasQueryFilter(ScopeFilter<AppraisalRound>(x => x.Organization!.Path));
        builder.Entity<AppraisalEntry>().HasQueryFilter(ScopeFilter<AppraisalEntry>(x => x.Round!.Organization!.Path));
        builder.Entity<AppraisalFollowUp>().HasQueryFilter(ScopeFilter<AppraisalFollowUp>(x => x.Organization!.Path));
        builder.Entity<Transfer>().HasQueryFilter(ScopeFilter<Transfer>(t => t.FromOrganization!.Path, t => t.ToOrganization!.Path));
        builder.Entity<DevelopmentRecord>().HasQueryFilter(ScopeFilter<DevelopmentRecord>(r => r.Organization!.Path));
        // Dues records follow the member's current organization (a transferred member's history moves with them).
        builder.Entity<DuesBase>().HasQueryFilter(ScopeFilter<DuesBase>(x => x.Member!.Organization!.Path));
        builder.Entity<DuesAdjustment>().HasQueryFilter(ScopeFilter<DuesAdjustment>(x => x.Member!.Organization!.Path));
        builder.Entity<DuesPayment>().HasQueryFilter(ScopeFilter<DuesPayment>(x => x.Member!.Organization!.Path));
        builder.Entity<DuesPaymentMonth>().HasQueryFilter(ScopeFilter<DuesPaymentMonth>(x => x.Member!.Organization!.Path));
        builder.Entity<DuesRefund>().HasQueryFilter(ScopeFilter<DuesRefund>(x => x.Member!.Organization!.Path));
        builder.Entity<Grid>().HasQueryFilter(ScopeFilter<Grid>(x => x.Organization!.Path));
        builder.Entity<GridStaff>().HasQueryFilter(ScopeFilter<GridStaff>(x => x.Organization!.Path));
        builder.Entity<Building>().HasQueryFilter(ScopeFilter<Building>(x => x.Organization!.Path));
        builder.Entity<HouseholdMember>().HasQueryFilter(ScopeFilter<HouseholdMember>(x => x.Organization!.Path));
        builder.Entity<Household>().HasQueryFilter(ScopeFilter<Household>(x => x.Organization!.Path));
        builder.Entity<Visit>().HasQueryFilter(ScopeFilter<Visit>(x => x.Organization!.Path));
        builder.Entity<Case>().HasQueryFilter(ScopeFilter<Case>(x => x.Organization!.Path));
        builder.Entity<CaseDispatch>().HasQueryFilter(ScopeFilter<CaseDispatch>(x => x.Case!.Organization!.Path));
        builder.Entity<Department>().HasQueryFilter(ScopeFilter<Department>(x => x.Organization!.Path));
        builder.Entity<DepartmentHandler>().HasQueryFilter(ScopeFilter<DepartmentHandler>(x => x.Department!.Organization!.Path));
        builder.Entity<CaseEvent>().HasQueryFilter(ScopeFilter<CaseEvent>(x => x.Case!.Organization!.Path));
        builder.Entity<CasePhoto>().HasQueryFilter(ScopeFilter<CasePhoto>(x => x.Case!.Organization!.Path));
    }

    /// <summary><see cref="OrgSubtree.InRange"/> in SQL: a prefix LIKE on PostgreSQL (estimated from statistics),
    /// two comparisons on SQLite. Both are answered from the path index.</summary>
    private static void MapSubtreeFunction(ModelBuilder builder, bool postgres)
    {
        var method = typeof(OrgSubtree).GetMethod(nameof(OrgSubtree.InRange))!;
        builder.HasDbFunction(method).HasTranslation(args =>
        {
            var (path, from, to) = (args[0], args[1], args[2]);
            var text = path.TypeMapping ?? from.TypeMapping;
            if (postgres)
                return new LikeExpression(path,
                    new SqlBinaryExpression(ExpressionType.Add, from, new SqlConstantExpression("%", typeof(string), text), typeof(string), text),
                    null, null);
            return new SqlBinaryExpression(ExpressionType.AndAlso,
                new SqlBinaryExpression(ExpressionType.GreaterThanOrEqual, path, from, typeof(bool), null),
                new SqlBinaryExpression(ExpressionType.LessThan, path, to, typeof(bool), null),
                typeof(bool), null);
        });
    }

    /// <summary><see cref="Queries.SqlWindow.RowsBeforeLimit"/>: EF Core writes a built-in function's name as it is, followed
    /// by its (here empty) argument list, so the name <c>count(*) OVER</c> comes out as <c>count(*) OVER()</c>.</summary>
    private static void MapWindowFunctions(ModelBuilder builder, bool postgres)
    {
        var method = typeof(Queries.SqlWindow).GetMethod(nameof(Queries.SqlWindow.RowsBeforeLimit))!;
        var bigint = new LongTypeMapping(postgres ? "bigint" : "INTEGER");
        builder.HasDbFunction(method).HasTranslation(_ =>
            new SqlFunctionExpression("count(*) OVER", [], nullable: false, argumentsPropagateNullability: [], typeof(long), bigint));
    }

    /// <summary>ScopeAll OR path in any of the scope's ranges (<see cref="OrgSubtree.InRange"/>), which both
    /// databases answer from the path index.</summary>
    private LambdaExpression ScopeFilter<T>(Expression<Func<T, string>> pathOf, Expression<Func<T, string>>? orPathOf = null)
    {
        var ctx = Expression.Constant(this);
        var inRangeMethod = typeof(OrgSubtree).GetMethod(nameof(OrgSubtree.InRange))!;
        Expression body = Expression.Property(ctx, nameof(ScopeAll));
        var paths = new List<Expression> { pathOf.Body };
        if (orPathOf is not null)
            paths.Add(ReplaceExpression.Replace(orPathOf.Body, orPathOf.Parameters[0], pathOf.Parameters[0]));
        for (var i = 0; i < DataScope.MaxRanges; i++)
        foreach (var path in paths)
        {
            var from = Expression.Property(ctx, $"ScopeFrom{i}");
            var to = Expression.Property(ctx, $"ScopeTo{i}");
            var inRange = Expression.AndAlso(
                Expression.NotEqual(from, Expression.Constant(null, typeof(string))),
                Expression.Call(inRangeMethod, path, from, to));
            body = Expression.OrElse(body, inRange);
        }
        return Expression.Lambda<Func<T, bool>>(body, pathOf.Parameters);
    }

    // ---------------------------------------------------------------- audit

    private readonly List<AuditEntry> _explicitAudit = [];
    private readonly Dictionary<object, string> _actionOverrides = new(ReferenceEqualityComparer.Instance);

    /// <summary>Queues an audit record that is not a plain entity change (login, reveal, export);
    /// it is written with the next SaveChanges.</summary>
    public void Audit(string action, string entityType, string? entityId, Guid? organizationId = null, bool success = true, object? details = null)
    {
        _explicitAudit.Add(new AuditEntry
        {
            Action = action, EntityType = entityType, EntityId = entityId, OrganizationId = organizationId,
            Success = success, Changes = details is null ? null : JsonSerializer.Serialize(details, JsonOptions), PreviousHash = "",
        });
    }

    /// <summary>Records the change of this entity under a named action (move, archive) instead of "update".</summary>
    public void AuditAs(object entity, string action) => _actionOverrides[entity] = action;

    /// <summary>Whether a named action is set for this entity's next save.</summary>
    public bool HasAuditAction(object entity) => _actionOverrides.ContainsKey(entity);

    private readonly HashSet<object> _authorizedMoves = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Lets the next SaveChanges write this organization-owned entity although the organization it had <em>before</em> lies
    /// outside the write scope; the organization it has now must still be in scope. For a registry row that comes back to
    /// the caller's organization from wherever it was left: a former member readmitted through the development record, or
    /// received again on a letter from outside. The caller has found what authorizes the move (the approval, the letter) in
    /// its own scoped context; only this entity, in this context, is let through, and the change is audited as usual.
    /// </summary>
    public void AuthorizeMoveIn(IOrgScoped entity) => _authorizedMoves.Add(entity);

    private readonly Dictionary<object, HashSet<string>> _authorizedUpdates = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Lets the next SaveChanges update these properties (and only these) of this one organization-owned entity although its
    /// organization lies outside the write scope. It stays in that organization (the organization cannot be among the
    /// properties), it must be an update of a row that exists, and any other changed property refuses the save as usual. For
    /// a record another organization keeps that a change the caller is entitled to make ends with it: a 双报到 with the
    /// community where a member lives ends when the member's own organization takes them off the roll. The caller has found
    /// what authorizes it (the member in its own write scope); only this entity, in this context, is let through, and the
    /// change is audited as usual.
    /// </summary>
    public void AuthorizeUpdate(IOrgScoped entity, params string[] properties)
    {
        if (properties.Length == 0 || properties.Contains(nameof(IOrgScoped.OrganizationId)))
            throw new ArgumentException("Name the properties to update; the organization is never one of them.", nameof(properties));
        _authorizedUpdates[entity] = [.. properties];
    }

    /// <summary>An update of an entity <see cref="AuthorizeUpdate"/> let through: only its named properties changed.</summary>
    private bool IsAuthorizedUpdate(EntityEntry entry) =>
        entry.State == EntityState.Modified && _authorizedUpdates.TryGetValue(entry.Entity, out var allowed)
        && entry.Properties.Where(p => p.IsModified).All(p => allowed.Contains(p.Metadata.Name));

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<string> SecretProperties =
    [
        nameof(AppUser.PasswordHash), nameof(AppUser.SecurityStamp), nameof(AppUser.ConcurrencyStamp),
        nameof(AppUser.PhoneCipher), nameof(AppUser.PhoneHash), nameof(ApiToken.TokenHash),
        nameof(Member.IdNumberCipher), nameof(Member.IdNumberHash), nameof(UnitRegistration.ContactPhoneCipher),
        nameof(ActivityAttachment.Content),
        nameof(Case.TrackingHash), nameof(CasePhoto.Content),
    ];

    /// <summary>Bookkeeping Identity does at every sign-in; the login record covers it.</summary>
    private static readonly HashSet<string> SignInBookkeeping =
    [
        nameof(AppUser.AccessFailedCount), nameof(AppUser.LockoutEnd), nameof(AppUser.ConcurrencyStamp), nameof(AppUser.SecurityStamp),
    ];

    private static bool IsAudited(Type t) =>
        t != typeof(AuditEntry) && t != typeof(ApiToken) && t != typeof(JobLease) && t != typeof(Alert) && t != typeof(IdempotencyRecord)
        // Derived from attendance records and cases, which are audited themselves.
        && t != typeof(AbsenceStreak) && t != typeof(CaseCountDelta) && t != typeof(CaseCountMonth);

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        ChangeTracker.DetectChanges();
        // The deltas are for this attempt: a failed save takes them back out, so a retry adds them once.
        var deltas = AddCaseCountDeltas();
        try
        {
            return await SaveAuditedAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch when (deltas is not null)
        {
            foreach (var d in deltas) Entry(d).State = EntityState.Detached;
            throw;
        }
    }

    private async Task<int> SaveAuditedAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var changed = ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList();
        await EnforceScopeAsync(changed.Where(e => !IsAuthorizedUpdate(e)).Select(ScopeItem.Of), cancellationToken);

        var records = new List<AuditEntry>();
        foreach (var entry in changed.Where(e => !BulkLoad && IsAudited(e.Metadata.ClrType)))
            if (Describe(entry) is { } record) records.Add(record);
        records.AddRange(_explicitAudit);
        if (records.Count == 0) return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);

        var ownTransaction = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            await AppendToChainAsync(records, cancellationToken);
            // Changes are accepted only after the commit: a failed commit leaves them pending, so a retry writes them.
            var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
            if (ownTransaction is not null) await ownTransaction.CommitAsync(cancellationToken);
            if (acceptAllChangesOnSuccess) ChangeTracker.AcceptAllChanges();
            ForgetQueued();
            return written;
        }
        catch
        {
            foreach (var r in records) Entry(r).State = EntityState.Detached;
            if (ownTransaction is not null) await ownTransaction.RollbackAsync(CancellationToken.None);
            throw;
        }
        finally
        {
            if (ownTransaction is not null) await ownTransaction.DisposeAsync();
        }
    }

    /// <summary>Every change of a case moves the month counts of the rates (<see cref="CaseCountRow"/>) by what the case
    /// counts after minus what it counted before, as a delta row saved with the change: no code path that writes cases
    /// through SaveChanges can leave the counts behind. (Bulk loads rebuild them.)</summary>
    private List<CaseCountDelta>? AddCaseCountDeltas()
    {
        List<CaseCountDelta>? deltas = null;
        foreach (var e in ChangeTracker.Entries<Case>())
        {
            if (e.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            (Guid Org, DateOnly Month, CaseCounts Counts)? before = e.State == EntityState.Added ? null : CountsOf(e.OriginalValues);
            (Guid Org, DateOnly Month, CaseCounts Counts)? after = e.State == EntityState.Deleted ? null : CountsOf(e.CurrentValues);
            if (before is { } b && after is { } a && b.Org == a.Org && b.Month == a.Month)
                Add(a.Org, a.Month, a.Counts - b.Counts);
            else
            {
                if (before is { } old) Add(old.Org, old.Month, CaseCounts.Zero - old.Counts);
                if (after is { } now) Add(now.Org, now.Month, now.Counts);
            }
        }
        if (deltas is not null) CaseCountDeltas.AddRange(deltas);
        return deltas;

        void Add(Guid org, DateOnly month, CaseCounts counts)
        {
            if (counts.IsZero) return;
            (deltas ??= []).Add(new CaseCountDelta { OrganizationId = org, Month = month, Counts = counts });
        }

        static (Guid Org, DateOnly Month, CaseCounts Counts) CountsOf(PropertyValues v)
        {
            var receivedAt = v.GetValue<DateTimeOffset>(nameof(Case.ReceivedAt));
            var facts = new CaseFacts(v.GetValue<CaseStatus>(nameof(Case.Status)), receivedAt, v.GetValue<DateTimeOffset>(nameof(Case.ResponseDue)),
                v.GetValue<DateTimeOffset?>(nameof(Case.RespondedAt)), v.GetValue<DateTimeOffset?>(nameof(Case.ClosedAt)),
                v.GetValue<int>(nameof(Case.ReopenCount)), v.GetValue<int?>(nameof(Case.Rating)), v.GetValue<int?>(nameof(Case.CloseMinutes)));
            return (v.GetValue<Guid>(nameof(Case.OrganizationId)), CaseCountRow.MonthOf(receivedAt), CaseCounts.Of(facts));
        }
    }

    /// <summary>Named locks held until the current transaction ends. PostgreSQL: an advisory lock per
    /// name; SQLite has one writer at a time, so taking its write lock early is enough.</summary>
    public enum TransactionLock
    {
        /// <summary>On PostgreSQL the audit lanes' locks are (this, lane) pairs, taken by the audit code itself.</summary>
        AuditChain = 72001,
        OrganizationTree = 72002,
        AlertEvaluation = 72003,
        /// <summary>Recording dues payments: which months come next is decided under this lock.</summary>
        DuesPayment = 72010,
        /// <summary>Compacting or rebuilding the case month counts: one at a time.</summary>
        CaseCounts = 72020,
    }

    /// <summary>A read-only transaction whose reads all see one snapshot of the database; disposing it ends it (nothing to
    /// commit). PostgreSQL: REPEATABLE READ. SQLite: a deferred BEGIN. Microsoft.Data.Sqlite turns every isolation level
    /// into BEGIN IMMEDIATE, which takes the database's one write lock: concurrent readers then queue behind each other and
    /// behind every writer, and each waiting one polls the lock every 150 ms (Thread.Sleep in its busy loop; the rates of a
    /// street at 16 connections had p50 2 ms, p90 355 ms). A deferred transaction in WAL mode reads one snapshot from its
    /// first read to its end, beside writers, without that lock (the app's journal mode, ServiceSetup). A street's rates at
    /// 4 clients, before and after, interleaved, three rounds: p99 about 185 → 25 ms, max 0.8-1.4 s → 0.1 s, 295 → 430 req/s
    /// (p50 6 → 8 ms: the reads now run side by side on the two cores).</summary>
    public async Task<IAsyncDisposable> BeginReadSnapshotAsync(CancellationToken ct)
    {
        if (IsPostgres) return await Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await Database.OpenConnectionAsync(ct);
        Microsoft.Data.Sqlite.SqliteTransaction? transaction = null;
        try
        {
            transaction = ((Microsoft.Data.Sqlite.SqliteConnection)Database.GetDbConnection()).BeginTransaction(deferred: true);
            return new SqliteReadSnapshot(this, transaction, await Database.UseTransactionAsync(transaction, ct));
        }
        catch
        {
            if (transaction is not null) await transaction.DisposeAsync();
            await Database.CloseConnectionAsync();
            throw;
        }
    }

    /// <summary>The SQLite side of <see cref="BeginReadSnapshotAsync"/>. EF uses the transaction without owning it: disposing
    /// EF's side lets go of it, then the transaction ends here (a rollback: nothing was written) and the connection opened
    /// for it is closed.</summary>
    private sealed class SqliteReadSnapshot(JicengDbContext db, Microsoft.Data.Sqlite.SqliteTransaction transaction,
        IDbContextTransaction? used) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                if (used is not null) await used.DisposeAsync();
                await transaction.DisposeAsync();
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    public async Task LockAsync(TransactionLock name, CancellationToken ct)
    {
        if (Database.CurrentTransaction is null) throw new InvalidOperationException("LockAsync needs an open transaction");
        if (IsPostgres)
            await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({(long)name})", ct);
        else
            await Database.ExecuteSqlRawAsync("UPDATE \"JobLeases\" SET \"Name\" = \"Name\" WHERE 0", ct);
    }

    private Guid? _laneTransaction;
    private short _lane;

    /// <summary>The audit lane this transaction writes on, locked until it ends (ADR 004). PostgreSQL: the lowest lane
    /// no other transaction holds, taken without waiting in one statement; when every lane is busy, a random one is
    /// waited for. A transaction keeps its lane for all its records. SQLite: lane 0 under the database's write lock.</summary>
    private async Task<short> TakeLaneAsync(CancellationToken ct)
    {
        var transaction = Database.CurrentTransaction ?? throw new InvalidOperationException("The audit chain is extended inside a transaction");
        if (_laneTransaction == transaction.TransactionId) return _lane;
        short lane = 0;
        if (IsPostgres)
        {
            const int key = (int)TransactionLock.AuditChain;
            var free = await Database.SqlQuery<int?>(
                $"SELECT (SELECT l FROM generate_series(0, {AuditLanes.Count - 1}) AS l WHERE pg_try_advisory_xact_lock({key}, l) LIMIT 1) AS \"Value\"")
                .SingleAsync(ct);
            if (free is { } f) lane = (short)f;
            else
            {
                lane = (short)Random.Shared.Next(AuditLanes.Count);
                await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key}, {(int)lane})", ct);
            }
        }
        else await LockAsync(TransactionLock.AuditChain, ct);
        (_laneTransaction, _lane) = (transaction.TransactionId, lane);
        return lane;
    }

    /// <param name="track">Add the records to the change tracker (SaveChanges writes them); false when the caller writes them itself.</param>
    private async Task AppendToChainAsync(List<AuditEntry> records, CancellationToken ct, bool track = true)
    {
        // One writer at a time extends a lane.
        var lane = await TakeLaneAsync(ct);

        // The time once the lane is held, so that within a lane time never runs backwards against the sequence (a writer
        // may have waited for the lane, an import for its rows). Whole milliseconds: both databases store them exactly,
        // so the hash recomputes after a round trip.
        var now = Clock.GetUtcNow();
        now = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        var last = await AuditEntries.AsNoTracking().Where(a => a.Lane == lane).OrderByDescending(a => a.Sequence)
            .Select(a => new { a.Sequence, a.Hash }).FirstOrDefaultAsync(ct);
        var sequence = last?.Sequence ?? 0;
        var previous = last?.Hash ?? AuditHasher.GenesisHash;
        foreach (var r in records)
        {
            r.Lane = lane;
            r.Sequence = ++sequence;
            r.At = now;
            r.UserId = Actor.UserId;
            r.UserName = Actor.UserName;
            r.Roles = Actor.Roles;
            r.ClientAddress = Actor.ClientAddress;
            r.PreviousHash = previous;
            r.Hash = AuditHasher.Compute(r);
            previous = r.Hash;
            if (track) AuditEntries.Add(r);
        }
    }

    private AuditEntry? Describe(EntityEntry entry)
    {
        var type = entry.Metadata.ClrType;
        var key = entry.Metadata.FindPrimaryKey();
        var id = key is null ? null : string.Join(",", key.Properties.Select(p => entry.Property(p.Name).CurrentValue?.ToString()));
        var isTokenTable = type.IsGenericType && type.Name.StartsWith("IdentityUserToken", StringComparison.Ordinal);
        Dictionary<string, object?[]> changes = [];
        foreach (var p in entry.Properties)
        {
            var name = p.Metadata.Name;
            var secret = SecretProperties.Contains(name) || isTokenTable;
            switch (entry.State)
            {
                case EntityState.Added when p.CurrentValue is not null:
                    changes[name] = [null, secret ? "***" : p.CurrentValue];
                    break;
                case EntityState.Modified when p.IsModified && !Equals(p.OriginalValue, p.CurrentValue):
                    changes[name] = secret ? ["***", "***"] : [p.OriginalValue, p.CurrentValue];
                    break;
            }
        }
        if (entry.State == EntityState.Modified)
        {
            if (changes.Count == 0) return null;
            if (type == typeof(AppUser) && changes.Keys.All(SignInBookkeeping.Contains)) return null;
        }
        var action = _actionOverrides.TryGetValue(entry.Entity, out var a) ? a : entry.State switch
        {
            EntityState.Added => AuditActions.Create,
            EntityState.Deleted => AuditActions.Delete,
            _ => AuditActions.Update,
        };
        return Record(entry.Entity, type, id, action, changes);
    }

    private static string AuditTypeName(Type type) => type.IsGenericType ? type.Name[..type.Name.IndexOf('`')] : type.Name;

    private static AuditEntry Record(object entity, Type type, string? id, string action, Dictionary<string, object?[]> changes) => new()
    {
        Action = action,
        EntityType = AuditTypeName(type),
        EntityId = id,
        OrganizationId = entity switch
        {
            Organization o => o.Id,
            IOrgScoped s => s.OrganizationId,
            _ => null,
        },
        Changes = changes.Count == 0 ? null : JsonSerializer.Serialize(changes, JsonOptions),
        PreviousHash = "",
    };

    // ---------------------------------------------------------------- bulk insert with audit

    /// <summary>
    /// Inserts new rows of one entity type, batch by batch, with what <see cref="SaveChangesAsync(bool, CancellationToken)"/>
    /// does for added entities — the write-scope check, one "create" audit record per row on the chain with the same fields
    /// as <see cref="Describe"/> writes — but without change tracking or a command per row (<see cref="BulkInsert"/>: binary
    /// COPY on PostgreSQL, multi-row INSERTs on SQLite). For large imports (the member ledger).
    /// Runs in the caller's transaction, which it requires, so the rows and their audit records commit or roll back together.
    /// On PostgreSQL the audit records wait in a temporary table and are chained after the last batch: the chain's lock,
    /// which every audited write in the system waits for, is held only for chaining them and the commit, not for the
    /// whole import, and memory does not grow with the rows. (SQLite holds its one write lock for the whole transaction
    /// anyway, so there they are chained batch by batch.) Shadow properties are not written (they are null on a new
    /// entity); rows are not tracked afterwards. A constraint violation surfaces as <see cref="DbUpdateException"/>, as
    /// from SaveChanges. Returns the number of rows inserted.
    /// </summary>
    public async Task<int> InsertAuditedAsync<T>(IAsyncEnumerable<IReadOnlyList<T>> batches, CancellationToken ct) where T : class
    {
        if (Database.CurrentTransaction is null) throw new InvalidOperationException("InsertAuditedAsync needs an open transaction");
        var meta = Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model");
        var properties = meta.GetProperties().Where(p => !p.IsShadowProperty())
            .Select(p => (p.Name, Get: p.GetGetter(), Secret: SecretProperties.Contains(p.Name))).ToList();
        var key = meta.FindPrimaryKey()?.Properties.Select(p => p.GetGetter()).ToList();
        var audited = !BulkLoad && IsAudited(typeof(T));
        var stage = audited && IsPostgres ? await AuditStage.CreateAsync((Npgsql.NpgsqlConnection)Database.GetDbConnection(), ct) : null;
        var count = 0;
        try
        {
            await foreach (var rows in batches.WithCancellation(ct))
            {
                if (rows.Count == 0) continue;
                await EnforceScopeAsync(rows.Select(r => new ScopeItem(r, null, null)), ct);
                await this.InsertAsync(rows, ct);
                count += rows.Count;
                if (!audited) continue;
                var records = new List<AuditEntry>(rows.Count);
                foreach (var row in rows)
                {
                    var changes = new Dictionary<string, object?[]>(properties.Count);
                    foreach (var (name, get, secret) in properties)
                        if (get.GetClrValue(row) is { } value) changes[name] = [null, secret ? "***" : value];
                    var id = key is null ? null : string.Join(",", key.Select(k => k.GetClrValue(row)?.ToString()));
                    records.Add(Record(row, typeof(T), id, AuditActions.Create, changes));
                }
                if (stage is not null) await stage.AddAsync(records, ct);
                else await ChainAndWriteAsync(records);
            }
            if (stage is not null)
                await foreach (var records in stage.DrainAsync(AuditActions.Create, AuditTypeName(typeof(T)), ct))
                    await ChainAndWriteAsync(records);
            return count;
        }
        catch (System.Data.Common.DbException e)
        {
            throw new DbUpdateException($"Bulk insert of {typeof(T).Name} failed: {e.Message}", e);
        }

        async Task ChainAndWriteAsync(List<AuditEntry> records)
        {
            await AppendToChainAsync(records, ct, track: false);
            await this.InsertAsync(records, ct);
        }
    }

    /// <summary>Rows already in memory, written as <see cref="InsertAuditedAsync{T}(IAsyncEnumerable{IReadOnlyList{T}}, CancellationToken)"/>
    /// does, <paramref name="batchSize"/> at a time.</summary>
    public Task<int> InsertAuditedAsync<T>(IReadOnlyList<T> rows, int batchSize, CancellationToken ct) where T : class =>
        InsertAuditedAsync(rows.Chunk(Math.Max(1, batchSize)).Select(c => (IReadOnlyList<T>)c).ToAsyncEnumerable(), ct);

    // ---------------------------------------------------------------- scope on write

    /// <summary>An entity being written, with the organization (or path) it had before when it is modified.</summary>
    private readonly record struct ScopeItem(object Entity, string? PathBefore, Guid? OrganizationBefore)
    {
        public static ScopeItem Of(EntityEntry entry) => entry.State != EntityState.Modified
            ? new(entry.Entity, null, null)
            : entry.Entity switch
            {
                Organization => new(entry.Entity, entry.Property(nameof(Organization.Path)).OriginalValue as string, null),
                IOrgScoped => new(entry.Entity, null, entry.Property(nameof(IOrgScoped.OrganizationId)).OriginalValue as Guid?),
                _ => new(entry.Entity, null, null),
            };
    }

    private async Task EnforceScopeAsync(IEnumerable<ScopeItem> changed, CancellationToken ct)
    {
        if (Scope.All) return;
        var orgIds = new HashSet<Guid>();
        var sharedSets = new List<List<Guid>>();
        foreach (var item in changed)
        {
            switch (item.Entity)
            {
                case Organization o:
                    if (!Scope.CanWrite(o.Path)) throw new OutOfScopeException(nameof(Organization));
                    if (item.PathBefore is { } old && !Scope.CanWrite(old)) throw new OutOfScopeException(nameof(Organization));
                    break;
                case IOrgScoped s:
                    orgIds.Add(s.OrganizationId);
                    if (item.OrganizationBefore is { } before && !_authorizedMoves.Contains(s)) orgIds.Add(before);
                    break;
                case ISharedOrgScoped shared:
                    sharedSets.Add(shared.ScopeOrganizationIds.ToList());
                    break;
            }
        }
        if (orgIds.Count == 0 && sharedSets.Count == 0) return;
        var lookup = orgIds.Concat(sharedSets.SelectMany(x => x)).Distinct().ToList();
        var paths = await Organizations.IgnoreQueryFilters().AsNoTracking()
            .Where(o => lookup.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Path, ct);
        if (orgIds.Any(id => !paths.TryGetValue(id, out var p) || !Scope.CanWrite(p)))
            throw new OutOfScopeException("organization-owned data");
        // Shared data: the caller must hold at least one of its organizations.
        if (sharedSets.Any(set => !set.Any(id => paths.TryGetValue(id, out var p) && Scope.CanWrite(p))))
            throw new OutOfScopeException("shared data");
    }
}
