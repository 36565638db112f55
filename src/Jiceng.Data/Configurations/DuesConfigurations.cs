using Jiceng.Domain.Dues;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jiceng.Data.Configurations;

public sealed class DuesBaseConfiguration : IEntityTypeConfiguration<DuesBase>
{
    public void Configure(EntityTypeBuilder<DuesBase> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Rule).HasMaxLength(200);
        b.Property(x => x.RecordedBy).HasMaxLength(100);
        b.HasIndex(x => new { x.MemberId, x.EffectiveMonth });
        // A subtree's bases in one index-only range per organization (the ledger and arrears of a street; ADR 007).
        b.HasIndex(x => x.MemberOrganizationId).IncludeProperties(x => new { x.MemberId, x.EffectiveMonth, x.MonthlyAmountFen, x.CreatedAt, x.OpeningPaidThrough, x.Ended });
        b.HasOne(x => x.Member).WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class DuesAdjustmentConfiguration : IEntityTypeConfiguration<DuesAdjustment>
{
    public void Configure(EntityTypeBuilder<DuesAdjustment> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Reason).HasMaxLength(200);
        b.Property(x => x.ApprovedBy).HasMaxLength(100);
        b.Property(x => x.RecordedBy).HasMaxLength(100);
        b.Property(x => x.RevokeReason).HasMaxLength(200);
        b.Property(x => x.RevokedBy).HasMaxLength(100);
        b.HasIndex(x => new { x.MemberId, x.FromMonth });
        b.HasIndex(x => x.MemberOrganizationId);
        b.HasOne(x => x.Member).WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class DuesPaymentConfiguration : IEntityTypeConfiguration<DuesPayment>
{
    /// <summary>The ledger's voluntary column: the few payments with a voluntary amount, by the member's organization and month
    /// (ADR 007). Its filter is SQL, so it names the provider's column; called from <c>JicengDbContext.OnModelCreating</c>.</summary>
    public static void ConfigureVoluntaryIndex(EntityTypeBuilder<DuesPayment> b, bool isPostgres) =>
        b.HasIndex(x => new { x.MemberOrganizationId, x.PaidMonth }, "ix_dues_payments_voluntary")
            .IncludeProperties(x => new { x.MemberId, x.VoluntaryFen, x.Status })
            .HasFilter(isPostgres ? "voluntary_fen > 0" : "\"VoluntaryFen\" > 0");

    public void Configure(EntityTypeBuilder<DuesPayment> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Provider).HasMaxLength(40);
        b.Property(x => x.ProviderOrderId).HasMaxLength(80);
        b.Property(x => x.RecordedBy).HasMaxLength(100);
        b.Property(x => x.MonthAmountsFen).HasMaxLength(200);
        b.HasIndex(x => new { x.MemberId, x.CreatedAt });
        b.HasIndex(x => new { x.MemberId, x.PaidMonth });
        b.HasIndex(x => new { x.Provider, x.ProviderOrderId }).IsUnique();
        b.HasOne(x => x.Member).WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class DuesPaymentMonthConfiguration : IEntityTypeConfiguration<DuesPaymentMonth>
{
    public void Configure(EntityTypeBuilder<DuesPaymentMonth> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        // A month is paid once, whatever retries or repeated callbacks happen.
        b.HasIndex(x => new { x.MemberId, x.Month }).IsUnique();
        b.HasIndex(x => x.PaymentId);
        // A subtree's paid months in one index-only range per organization and month (ADR 007).
        b.HasIndex(x => new { x.MemberOrganizationId, x.Month }).IncludeProperties(x => new { x.MemberId, x.AmountFen });
        b.HasOne<DuesPayment>().WithMany().HasForeignKey(x => x.PaymentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Member).WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class DuesRefundConfiguration : IEntityTypeConfiguration<DuesRefund>
{
    public void Configure(EntityTypeBuilder<DuesRefund> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.MonthAmountsFen).HasMaxLength(200);
        b.Property(x => x.RefundNo).HasMaxLength(80);
        b.Property(x => x.Provider).HasMaxLength(40);
        b.Property(x => x.ProviderRefundId).HasMaxLength(80);
        b.Property(x => x.Reason).HasMaxLength(200);
        b.Property(x => x.ApprovedBy).HasMaxLength(100);
        b.Property(x => x.RecordedBy).HasMaxLength(100);
        // One refund per out-refund number: the same refund is never recorded twice.
        b.HasIndex(x => x.RefundNo).IsUnique();
        b.HasIndex(x => x.PaymentId);
        b.HasIndex(x => new { x.MemberId, x.RefundedAt });
        b.HasOne<DuesPayment>().WithMany().HasForeignKey(x => x.PaymentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Member).WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}
