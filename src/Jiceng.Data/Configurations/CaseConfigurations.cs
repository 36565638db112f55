using Jiceng.Domain.Cases;
using Jiceng.Domain.Grids;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jiceng.Data.Configurations;

public sealed class GridConfiguration : IEntityTypeConfiguration<Grid>
{
    public void Configure(EntityTypeBuilder<Grid> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Name).HasMaxLength(100).IsRequired();
        b.Property(x => x.Boundary).HasMaxLength(500);
        b.HasIndex(x => x.OrganizationId).IsUnique();
        b.HasIndex(x => x.CommunityId);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class GridStaffConfiguration : IEntityTypeConfiguration<GridStaff>
{
    public void Configure(EntityTypeBuilder<GridStaff> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Name).HasMaxLength(50).IsRequired();
        b.Property(x => x.PhoneCipher).HasMaxLength(200);
        b.Property(x => x.PhoneHash).HasMaxLength(64);
        b.Property(x => x.PhoneMasked).HasMaxLength(20);
        b.Property(x => x.UserId).HasMaxLength(64);
        b.HasIndex(x => x.GridId);
        b.HasIndex(x => x.UserId);
        b.HasOne<Grid>().WithMany().HasForeignKey(x => x.GridId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class BuildingConfiguration : IEntityTypeConfiguration<Building>
{
    public void Configure(EntityTypeBuilder<Building> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Name).HasMaxLength(50).IsRequired();
        b.HasIndex(x => x.GridId);
        b.HasOne<Grid>().WithMany().HasForeignKey(x => x.GridId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class HouseholdConfiguration : IEntityTypeConfiguration<Household>
{
    public void Configure(EntityTypeBuilder<Household> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Address).HasMaxLength(200).IsRequired();
        b.Property(x => x.Tags).HasMaxLength(200);
        b.HasIndex(x => new { x.GridId, x.Address });
        b.HasIndex(x => x.OrganizationId);
        b.HasIndex(x => x.ResponsibleWorkerId);
        b.HasOne(x => x.Grid).WithMany().HasForeignKey(x => x.GridId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Building>().WithMany().HasForeignKey(x => x.BuildingId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<GridStaff>().WithMany().HasForeignKey(x => x.ResponsibleWorkerId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<GridStaff>().WithMany().HasForeignKey(x => x.HouseholdLeadId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class HouseholdMemberConfiguration : IEntityTypeConfiguration<HouseholdMember>
{
    public void Configure(EntityTypeBuilder<HouseholdMember> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Name).HasMaxLength(50).IsRequired();
        b.Property(x => x.Relation).HasMaxLength(20);
        b.Property(x => x.PhoneCipher).HasMaxLength(200);
        b.Property(x => x.PhoneHash).HasMaxLength(64);
        b.Property(x => x.PhoneMasked).HasMaxLength(20);
        b.HasIndex(x => x.HouseholdId);
        b.HasOne<Household>().WithMany().HasForeignKey(x => x.HouseholdId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class VisitConfiguration : IEntityTypeConfiguration<Visit>
{
    public void Configure(EntityTypeBuilder<Visit> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Heard).HasMaxLength(2000).IsRequired();
        b.Property(x => x.WorkerName).HasMaxLength(50);
        b.Property(x => x.RecordedBy).HasMaxLength(64);
        b.HasIndex(x => new { x.HouseholdId, x.VisitedOn });
        b.HasIndex(x => new { x.OrganizationId, x.VisitedOn });
        b.HasOne(x => x.Household).WithMany().HasForeignKey(x => x.HouseholdId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class CaseCategoryConfiguration : IEntityTypeConfiguration<CaseCategory>
{
    /// <summary>The seeds' 民生 issues (seeds 000, 002, 003) with 接诉即办 deadlines: contact within 24 hours, close within
    /// 7 days (safety issues faster). Stored rows, editable; these are only the first values.</summary>
    public static readonly CaseCategory[] Initial =
    [
        new() { Id = Guid.Parse("0197a000-0000-7000-8000-000000000001"), Code = "construction-safety", Name = "建筑施工安全", ResponseHours = 2, ResolutionDays = 3, SortOrder = 1 },
        new() { Id = Guid.Parse("0197a000-0000-7000-8000-000000000002"), Code = "street-vending", Name = "占道经营", ResponseHours = 24, ResolutionDays = 5, SortOrder = 2 },
        new() { Id = Guid.Parse("0197a000-0000-7000-8000-000000000003"), Code = "road-paving", Name = "路面硬化", ResponseHours = 24, ResolutionDays = 15, SortOrder = 3 },
        new() { Id = Guid.Parse("0197a000-0000-7000-8000-000000000004"), Code = "sanitation", Name = "环境卫生", ResponseHours = 24, ResolutionDays = 3, SortOrder = 4 },
        new() { Id = Guid.Parse("0197a000-0000-7000-8000-000000000005"), Code = "traffic", Name = "交通拥堵", ResponseHours = 24, ResolutionDays = 7, SortOrder = 5 },
        new() { Id = Guid.Parse("0197a000-0000-7000-8000-000000000006"), Code = "property-dispute", Name = "物业纠纷", ResponseHours = 24, ResolutionDays = 7, SortOrder = 6 },
        new() { Id = Guid.Parse("0197a000-0000-7000-8000-000000000007"), Code = "neighbour-dispute", Name = "矛盾纠纷", ResponseHours = 24, ResolutionDays = 7, SortOrder = 7 },
        new() { Id = Guid.Parse("0197a000-0000-7000-8000-000000000008"), Code = "public-facility", Name = "公共设施维修", ResponseHours = 24, ResolutionDays = 7, SortOrder = 8 },
        new() { Id = Guid.Parse("0197a000-0000-7000-8000-000000000009"), Code = "noise", Name = "噪音扰民", ResponseHours = 24, ResolutionDays = 5, SortOrder = 9 },
        new() { Id = Guid.Parse("0197a000-0000-7000-8000-00000000000a"), Code = "other", Name = "其他诉求", ResponseHours = 24, ResolutionDays = 7, SortOrder = 99 },
    ];

    public void Configure(EntityTypeBuilder<CaseCategory> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Code).HasMaxLength(40).IsRequired();
        b.Property(x => x.Name).HasMaxLength(50).IsRequired();
        b.HasIndex(x => x.Code).IsUnique();
        b.HasData(Initial.Select(c => new CaseCategory
        {
            Id = c.Id, Code = c.Code, Name = c.Name, ResponseHours = c.ResponseHours, ResolutionDays = c.ResolutionDays, SortOrder = c.SortOrder, Active = true,
        }));
    }
}

public sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> b)
    {
        b.ToTable("Cases");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Number).HasMaxLength(20).IsRequired();
        b.Property(x => x.Description).HasMaxLength(2000).IsRequired();
        b.Property(x => x.Place).HasMaxLength(200);
        b.Property(x => x.ReporterName).HasMaxLength(50);
        b.Property(x => x.PhoneCipher).HasMaxLength(200);
        b.Property(x => x.PhoneHash).HasMaxLength(64);
        b.Property(x => x.PhoneMasked).HasMaxLength(20);
        b.Property(x => x.TrackingHash).HasMaxLength(64);
        b.Property(x => x.Result).HasMaxLength(2000);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.Number).IsUnique();
        b.HasIndex(x => x.TrackingHash).IsUnique();
        // The street's list (subtree, newest first) and the rates (subtree and period) read through the organization
        // path; these keep the per-organization part of each an index range.
        b.HasIndex(x => new { x.OrganizationId, x.ReceivedAt });
        // A street's list (and any list below a street) walks its street's cases newest first.
        b.HasIndex(x => new { x.StreetId, x.ReceivedAt });
        // The same list filtered by status, by category or both: without these PostgreSQL ANDs the street's index with the
        // city-wide category index, half a million entries, for every count (bench s12/s13, 2026-12-07: p95 624-924 ms).
        // (street, status, category) answers a status with or without a category, (street, category) a category alone.
        b.HasIndex(x => new { x.StreetId, x.Status, x.CategoryId, x.ReceivedAt });
        b.HasIndex(x => new { x.StreetId, x.CategoryId, x.ReceivedAt });
        b.HasIndex(x => new { x.OrganizationId, x.Status });
        b.HasIndex(x => x.ReceivedAt);
        b.HasIndex(x => new { x.Status, x.ResolutionDue });
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Category).WithMany().HasForeignKey(x => x.CategoryId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Domain.Organizations.Organization>().WithMany().HasForeignKey(x => x.HandlingOrganizationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Domain.Organizations.Organization>().WithMany().HasForeignKey(x => x.StreetId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Grid>().WithMany().HasForeignKey(x => x.GridId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>The month counts of the rates (see <see cref="CaseCountRow"/>). No foreign key to the organization: a delta
/// is written with every case change and needs nothing but its own insert; the organization is the case's.</summary>
public sealed class CaseCountMonthConfiguration : IEntityTypeConfiguration<CaseCountMonth>
{
    public void Configure(EntityTypeBuilder<CaseCountMonth> b)
    {
        b.HasKey(x => new { x.OrganizationId, x.Month });
        b.Ignore(x => x.Counts);
        // Covering on PostgreSQL, so the rates read the index only: by organization for a subtree (a street's few hundred
        // organizations, any months), by month for the whole tree (every organization, few months). With the key alone the
        // planner chose a scan of the whole table over a heap fetch per row (bench, 2026-12-02).
        b.HasIndex(x => new { x.OrganizationId, x.Month }, "ix_case_count_months_org_month_covering").IncludeProperties(Counters);
        b.HasIndex(x => x.Month).IncludeProperties(x => new
        {
            x.OrganizationId, x.Received, x.Rejected, x.RespondedInTime, x.Closed, x.Resolved, x.EverClosed, x.Reopened, x.Rated, x.Satisfied, x.CloseMinutesTotal,
        });
    }

    private static readonly System.Linq.Expressions.Expression<Func<CaseCountMonth, object?>> Counters = x => new
    {
        x.Received, x.Rejected, x.RespondedInTime, x.Closed, x.Resolved, x.EverClosed, x.Reopened, x.Rated, x.Satisfied, x.CloseMinutesTotal,
    };
}

public sealed class CaseCountDeltaConfiguration : IEntityTypeConfiguration<CaseCountDelta>
{
    public void Configure(EntityTypeBuilder<CaseCountDelta> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedOnAdd();
        b.HasIndex(x => new { x.OrganizationId, x.Month });
        b.Ignore(x => x.Counts);
    }
}

public sealed class CaseEventConfiguration : IEntityTypeConfiguration<CaseEvent>
{
    public void Configure(EntityTypeBuilder<CaseEvent> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.ActorName).HasMaxLength(100);
        b.Property(x => x.Text).HasMaxLength(2000);
        b.HasIndex(x => new { x.CaseId, x.At });
        b.HasOne(x => x.Case).WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class DepartmentConfiguration : IEntityTypeConfiguration<Department>
{
    public void Configure(EntityTypeBuilder<Department> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Name).HasMaxLength(100).IsRequired();
        b.HasIndex(x => new { x.OrganizationId, x.Name }).IsUnique();
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class DepartmentHandlerConfiguration : IEntityTypeConfiguration<DepartmentHandler>
{
    public void Configure(EntityTypeBuilder<DepartmentHandler> b)
    {
        b.ToTable("DepartmentHandlers");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.UserId).HasMaxLength(64).IsRequired();
        b.HasIndex(x => new { x.UserId, x.DepartmentId }).IsUnique();
        b.HasOne(x => x.Department).WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class CaseDispatchConfiguration : IEntityTypeConfiguration<CaseDispatch>
{
    public void Configure(EntityTypeBuilder<CaseDispatch> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Report).HasMaxLength(2000);
        b.HasIndex(x => new { x.CaseId, x.DepartmentId }).IsUnique();
        b.HasIndex(x => new { x.DepartmentId, x.Status });
        b.HasOne(x => x.Case).WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Department).WithMany().HasForeignKey(x => x.DepartmentId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class CasePhotoConfiguration : IEntityTypeConfiguration<CasePhoto>
{
    public void Configure(EntityTypeBuilder<CasePhoto> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.ContentType).HasMaxLength(40).IsRequired();
        b.HasIndex(x => x.CaseId);
        b.HasOne(x => x.Case).WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
