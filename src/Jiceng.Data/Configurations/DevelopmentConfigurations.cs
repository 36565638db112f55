using Jiceng.Domain.Development;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jiceng.Data.Configurations;

public sealed class DevelopmentRecordConfiguration : IEntityTypeConfiguration<DevelopmentRecord>
{
    public void Configure(EntityTypeBuilder<DevelopmentRecord> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Name).HasMaxLength(MemberConfiguration.NameMaxLength).IsRequired();
        b.Property(x => x.NameInitials).HasMaxLength(MemberConfiguration.NameMaxLength);
        b.Property(x => x.Ethnicity).HasMaxLength(20);
        b.Property(x => x.IdNumberCipher).HasMaxLength(200);
        b.Property(x => x.IdNumberHash).HasMaxLength(64);
        b.Property(x => x.IdNumberMasked).HasMaxLength(20);
        b.Property(x => x.PhoneCipher).HasMaxLength(200);
        b.Property(x => x.PhoneHash).HasMaxLength(64);
        b.Property(x => x.PhoneMasked).HasMaxLength(20);
        b.Property(x => x.WorkUnit).HasMaxLength(100);
        b.HasIndex(x => x.IdNumberHash);
        // The board: counts per stage and the page ordered by the next deadline, within an organization.
        b.HasIndex(x => new { x.OrganizationId, x.Status, x.Stage });
        b.HasIndex(x => new { x.Status, x.NextDueOn });
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Steps).WithOne().HasForeignKey(s => s.RecordId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class DevelopmentStepConfiguration : IEntityTypeConfiguration<DevelopmentStep>
{
    public void Configure(EntityTypeBuilder<DevelopmentStep> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Actor).HasMaxLength(100);
        b.Property(x => x.Documents).HasMaxLength(500);
        b.Property(x => x.Note).HasMaxLength(500);
        b.Property(x => x.Method).HasMaxLength(50);
        b.Property(x => x.PersonIds).HasMaxLength(200);
        b.Property(x => x.PersonNames).HasMaxLength(200);
        b.Property(x => x.RuleVersion).HasMaxLength(10);
        b.Property(x => x.RecordedBy).HasMaxLength(100);
        b.Property(x => x.Reason).HasMaxLength(500);
        b.HasIndex(x => new { x.RecordId, x.OccurredOn });
    }
}
