using Jiceng.Domain.OrganizationalLife;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jiceng.Data.Configurations;

public sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Place).HasMaxLength(100);
        b.Property(x => x.Topic).HasMaxLength(200);
        b.Property(x => x.Host).HasMaxLength(50);
        b.Property(x => x.Lecturer).HasMaxLength(50);
        b.Property(x => x.TrainingHours).HasPrecision(5, 1);
        b.Property(x => x.Minutes).HasMaxLength(10000);
        b.Property(x => x.RecordedBy).HasMaxLength(100);
        b.HasIndex(x => new { x.OrganizationId, x.Date });
        b.HasIndex(x => x.Date);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Attendance).WithOne(a => a.Activity).HasForeignKey(a => a.ActivityId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class ActivityAttendanceConfiguration : IEntityTypeConfiguration<ActivityAttendance>
{
    public void Configure(EntityTypeBuilder<ActivityAttendance> b)
    {
        b.HasKey(x => new { x.ActivityId, x.MemberId });
        b.Property(x => x.Reason).HasMaxLength(200);
        b.HasIndex(x => new { x.MemberId, x.Date });
        b.HasIndex(x => new { x.OrganizationId, x.Date });
        b.HasOne(x => x.Member).WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class ActivityAttachmentConfiguration : IEntityTypeConfiguration<ActivityAttachment>
{
    public void Configure(EntityTypeBuilder<ActivityAttachment> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.FileName).HasMaxLength(200);
        b.Property(x => x.ContentType).HasMaxLength(100);
        b.HasIndex(x => x.ActivityId);
        b.HasOne<Activity>().WithMany().HasForeignKey(x => x.ActivityId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class CommitteeSeatConfiguration : IEntityTypeConfiguration<CommitteeSeat>
{
    public void Configure(EntityTypeBuilder<CommitteeSeat> b)
    {
        b.HasKey(x => x.Id);
        b.HasIndex(x => new { x.OrganizationId, x.Until });
        b.HasIndex(x => x.MemberId);
        b.HasOne(x => x.Member).WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class AbsenceStreakConfiguration : IEntityTypeConfiguration<AbsenceStreak>
{
    public void Configure(EntityTypeBuilder<AbsenceStreak> b)
    {
        b.HasKey(x => x.MemberId);
        b.HasIndex(x => x.Count);
        b.HasIndex(x => x.OrganizationId);
        b.HasOne(x => x.Member).WithOne().HasForeignKey<AbsenceStreak>(x => x.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class AppraisalRoundConfiguration : IEntityTypeConfiguration<AppraisalRound>
{
    public void Configure(EntityTypeBuilder<AppraisalRound> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.SubmittedBy).HasMaxLength(100);
        b.HasIndex(x => new { x.OrganizationId, x.Year }).IsUnique();
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Entries).WithOne(e => e.Round).HasForeignKey(e => e.RoundId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class AppraisalEntryConfiguration : IEntityTypeConfiguration<AppraisalEntry>
{
    public void Configure(EntityTypeBuilder<AppraisalEntry> b)
    {
        b.HasKey(x => new { x.RoundId, x.MemberId });
        b.Property(x => x.Reason).HasMaxLength(AppraisalRules.ReasonMaxLength);
        b.HasIndex(x => x.MemberId);
        b.HasOne(x => x.Member).WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Domain.Organizations.Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class AppraisalFollowUpConfiguration : IEntityTypeConfiguration<AppraisalFollowUp>
{
    public void Configure(EntityTypeBuilder<AppraisalFollowUp> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Reason).HasMaxLength(AppraisalRules.ReasonMaxLength);
        b.Property(x => x.Outcome).HasMaxLength(500);
        b.Property(x => x.DecidedBy).HasMaxLength(100);
        b.Property(x => x.ApprovedBy).HasMaxLength(100);
        b.Property(x => x.Note).HasMaxLength(FollowUpRules.NoteMaxLength);
        b.Property(x => x.ClosedBy).HasMaxLength(100);
        b.HasIndex(x => new { x.OrganizationId, x.Status });
        b.HasIndex(x => new { x.RoundId, x.MemberId }).IsUnique();
        b.HasOne(x => x.Member).WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}
