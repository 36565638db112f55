using Jiceng.Data.Alerts;
using Jiceng.Data.Audit;
using Jiceng.Data.Identity;
using Jiceng.Data.Jobs;
using Jiceng.Data.Settings;
using Jiceng.Domain.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jiceng.Data.Configurations;

public sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public const int NameMaxLength = 100;

    public void Configure(EntityTypeBuilder<Organization> b)
    {
        b.HasKey(o => o.Id);
        b.Property(o => o.Id).ValueGeneratedNever();
        b.Property(o => o.Name).HasMaxLength(NameMaxLength).IsRequired();
        b.Property(o => o.Path).HasMaxLength(700).IsRequired();
        b.HasIndex(o => o.Path).IsUnique();
        // Children in order; with the status, "has active children" of the tree is answered from the index alone.
        b.HasIndex(o => new { o.ParentId, o.SortOrder }).IncludeProperties(o => o.Status);
        // The tree's top levels (the city's streets and communities: 3,700 of 25,000 organizations) by depth, from the
        // index alone: a range of depths, the path prefix checked on the index entry (bench orgs.tree.city).
        b.HasIndex(o => new { o.Depth, o.Path }).IncludeProperties(o => new { o.Id, o.Name, o.Kind, o.ParentId, o.Status, o.SortOrder });
        b.HasOne(o => o.Parent).WithMany().HasForeignKey(o => o.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class RoleAssignmentConfiguration : IEntityTypeConfiguration<RoleAssignment>
{
    public void Configure(EntityTypeBuilder<RoleAssignment> b)
    {
        b.HasKey(a => a.Id);
        b.Property(a => a.Role).HasMaxLength(40);
        b.HasIndex(a => new { a.UserId, a.Role, a.OrganizationId }).IsUnique();
        b.HasIndex(a => a.OrganizationId);
        b.HasOne(a => a.User).WithMany(u => u.RoleAssignments).HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(a => a.Organization).WithMany().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(50);
        b.Property(u => u.PhoneCipher).HasMaxLength(200);
        b.Property(u => u.PhoneHash).HasMaxLength(64);
        b.Property(u => u.PhoneMasked).HasMaxLength(20);
        b.HasIndex(u => u.PhoneHash);
    }
}

public sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.HasKey(t => t.Id);
        b.Property(t => t.TokenHash).HasMaxLength(64);
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasIndex(t => t.UserId);
        b.HasOne<AppUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.HasKey(a => new { a.Lane, a.Sequence });
        b.Property(a => a.Lane).ValueGeneratedNever();
        b.Property(a => a.Sequence).ValueGeneratedNever();
        b.Property(a => a.UserId).HasMaxLength(64);
        b.Property(a => a.UserName).HasMaxLength(256);
        b.Property(a => a.Roles).HasMaxLength(400);
        b.Property(a => a.Action).HasMaxLength(40);
        b.Property(a => a.EntityType).HasMaxLength(80);
        b.Property(a => a.EntityId).HasMaxLength(200);
        b.Property(a => a.ClientAddress).HasMaxLength(64);
        b.Property(a => a.PreviousHash).HasMaxLength(64);
        b.Property(a => a.Hash).HasMaxLength(64);
        b.HasIndex(a => a.At);
        b.HasIndex(a => new { a.UserName, a.At });
        b.HasIndex(a => new { a.Action, a.At });
    }
}

public sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> b)
    {
        b.HasKey(a => a.Id);
        b.Property(a => a.DedupKey).HasMaxLength(300);
        b.Property(a => a.RuleCode).HasMaxLength(80);
        b.Property(a => a.Message).HasMaxLength(500);
        b.Property(a => a.SubjectType).HasMaxLength(40);
        b.Property(a => a.SubjectId).HasMaxLength(64);
        b.HasIndex(a => a.DedupKey).IsUnique();
        b.HasIndex(a => new { a.OrganizationId, a.ResolvedAt });
        b.HasOne(a => a.Organization).WithMany().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class SettingConfiguration : IEntityTypeConfiguration<Setting>
{
    public void Configure(EntityTypeBuilder<Setting> b)
    {
        b.HasKey(s => s.Key);
        b.Property(s => s.Key).HasMaxLength(80);
        b.Property(s => s.UpdatedBy).HasMaxLength(256);
    }
}

public sealed class JobLeaseConfiguration : IEntityTypeConfiguration<JobLease>
{
    public void Configure(EntityTypeBuilder<JobLease> b)
    {
        b.HasKey(j => j.Name);
        b.Property(j => j.Name).HasMaxLength(80);
        b.Property(j => j.Holder).HasMaxLength(120);
        b.Property(j => j.LastResult).HasMaxLength(500);
    }
}
