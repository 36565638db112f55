using Jiceng.Domain.Members;
using Jiceng.Domain.Transfers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jiceng.Data.Configurations;

public sealed class MemberConfiguration : IEntityTypeConfiguration<Member>
{
    public const int NameMaxLength = 50;

    /// <summary>PostgreSQL only: the name's characters as a stored generated text[] with a GIN index, so that
    /// "name contains 晓测" is answered from the index (no b-tree serves a substring, and trigrams need three
    /// characters) instead of a scan of every member.</summary>
    public const string NameCharsColumn = "NameChars";

    /// <summary>The distinct characters (code points) of a search text, as the generated column splits a name.</summary>
    public static string[] NameCharacters(string text) => text.EnumerateRunes().Select(r => r.ToString()).Distinct().ToArray();

    /// <summary>What only PostgreSQL has: the "C" collation on the initials (a bytewise prefix range, as for
    /// paths), the covering index for counts, and the characters column.</summary>
    public static void ConfigurePostgres(EntityTypeBuilder<Member> b)
    {
        b.Property(m => m.NameInitials).UseCollation("C");
        b.HasIndex(m => new { m.NameInitials, m.Name, m.Id }).IncludeProperties(m => m.OrganizationId);
        b.Property<string[]>(NameCharsColumn).HasComputedColumnSql("regexp_split_to_array(name, '')", stored: true);
        b.HasIndex(NameCharsColumn).HasMethod("gin");
    }

    public void Configure(EntityTypeBuilder<Member> b)
    {
        b.HasKey(m => m.Id);
        b.Property(m => m.Id).ValueGeneratedNever();
        b.Property(m => m.Name).HasMaxLength(NameMaxLength).IsRequired();
        b.Property(m => m.NameInitials).HasMaxLength(NameMaxLength);
        b.Property(m => m.Ethnicity).HasMaxLength(20);
        b.Property(m => m.IdNumberCipher).HasMaxLength(200);
        b.Property(m => m.IdNumberHash).HasMaxLength(64);
        b.Property(m => m.IdNumberMasked).HasMaxLength(20);
        b.Property(m => m.PhoneCipher).HasMaxLength(200);
        b.Property(m => m.PhoneHash).HasMaxLength(64);
        b.Property(m => m.PhoneMasked).HasMaxLength(20);
        b.Property(m => m.PhoneTail).HasMaxLength(4);
        b.Property(m => m.WorkUnit).HasMaxLength(100);
        b.Property(m => m.HomeAddress).HasMaxLength(200);
        b.HasIndex(m => m.IdNumberHash).IsUnique();
        // The suspension alert (停止党籍 for 2 years without a decision) reads only the suspended.
        b.HasIndex(m => new { m.Status, m.SuspendedOn });
        // Per organization in list order: a street's page sorts its members from this index alone (no heap reads).
        b.HasIndex(m => new { m.OrganizationId, m.NameInitials, m.Name, m.Id });
        // Also a subtree's members by organization, index-only for what the dues ledger and arrears read (ADR 007): the id
        // too, or each of a street's 3,149 members costs a heap block of its own (10.6 → 3.2 ms on the city data).
        b.HasIndex(m => new { m.OrganizationId, m.JoinedMonthDay }).IncludeProperties(m => new { m.Name, m.JoinedOn, m.Status, m.Id });
        b.HasIndex(m => m.PhoneHash);
        b.HasIndex(m => m.PhoneTail);
        // The list's order and the initials prefix search (PostgreSQL adds collation "C" and INCLUDE, see ConfigurePostgres).
        b.HasIndex(m => new { m.NameInitials, m.Name, m.Id });
        b.HasOne(m => m.Organization).WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>One row per suspension (停止党籍) of a member, with the decision that closed it.</summary>
public sealed class MemberSuspensionConfiguration : IEntityTypeConfiguration<MemberSuspension>
{
    /// <summary>At most one open suspension (no outcome yet) per member: two 停止党籍 saved at the same moment cannot both land;
    /// the second answers 409. The filter names the column as each provider does.</summary>
    public static void ConfigureOpenIndex(EntityTypeBuilder<MemberSuspension> b, bool isPostgres) =>
        b.HasIndex(x => x.MemberId, "ix_member_suspensions_open").IsUnique().HasFilter(isPostgres ? "outcome IS NULL" : "\"Outcome\" IS NULL");

    public void Configure(EntityTypeBuilder<MemberSuspension> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Reason).HasMaxLength(500);
        b.Property(x => x.Review).HasMaxLength(500);
        b.Property(x => x.RecordedBy).HasMaxLength(100);
        b.Property(x => x.DecidedBy).HasMaxLength(100);
        b.HasIndex(x => new { x.MemberId, x.SuspendedOn });
        b.HasIndex(x => x.OrganizationId);
        b.HasOne(x => x.Member).WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class MobileRegistrationConfiguration : IEntityTypeConfiguration<MobileRegistration>
{
    public void Configure(EntityTypeBuilder<MobileRegistration> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Location).HasMaxLength(200);
        b.Property(x => x.ContactPerson).HasMaxLength(100);
        b.HasIndex(x => new { x.MemberId, x.EndedOn });
        b.HasIndex(x => new { x.OrganizationId, x.EndedOn });
        b.HasOne(x => x.Member).WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class DualRegistrationConfiguration : IEntityTypeConfiguration<DualRegistration>
{
    public void Configure(EntityTypeBuilder<DualRegistration> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.ServiceIntent).HasMaxLength(200);
        b.HasIndex(x => new { x.OrganizationId, x.EndedOn });
        b.HasIndex(x => x.MemberId);
        b.HasOne(x => x.Member).WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class ServiceRecordConfiguration : IEntityTypeConfiguration<ServiceRecord>
{
    public void Configure(EntityTypeBuilder<ServiceRecord> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Content).HasMaxLength(500);
        b.Property(x => x.ConfirmedBy).HasMaxLength(100);
        b.HasIndex(x => new { x.OrganizationId, x.Date });
        b.HasIndex(x => x.MemberId);
        b.HasOne(x => x.Member).WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class UnitRegistrationConfiguration : IEntityTypeConfiguration<UnitRegistration>
{
    public void Configure(EntityTypeBuilder<UnitRegistration> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.UnitName).HasMaxLength(100);
        b.Property(x => x.ContactPerson).HasMaxLength(50);
        b.Property(x => x.ContactPhoneMasked).HasMaxLength(20);
        b.Property(x => x.ContactPhoneCipher).HasMaxLength(200);
        b.Property(x => x.ResourcesOffered).HasMaxLength(500);
        b.HasIndex(x => x.OrganizationId);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class PointItemConfiguration : IEntityTypeConfiguration<PointItem>
{
    public void Configure(EntityTypeBuilder<PointItem> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Name).HasMaxLength(50);
        b.HasIndex(x => x.OrganizationId);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class PointRecordConfiguration : IEntityTypeConfiguration<PointRecord>
{
    public void Configure(EntityTypeBuilder<PointRecord> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Evidence).HasMaxLength(500);
        b.Property(x => x.ConfirmedBy).HasMaxLength(100);
        b.HasIndex(x => new { x.MemberId, x.Date });
        b.HasIndex(x => new { x.OrganizationId, x.Date });
        b.HasOne(x => x.Member).WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.PointItem).WithMany().HasForeignKey(x => x.PointItemId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class CorrectionRequestConfiguration : IEntityTypeConfiguration<CorrectionRequest>
{
    public void Configure(EntityTypeBuilder<CorrectionRequest> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Content).HasMaxLength(500);
        b.Property(x => x.Reply).HasMaxLength(500);
        b.HasIndex(x => new { x.OrganizationId, x.Status });
        b.HasIndex(x => x.MemberId);
        b.HasOne(x => x.Member).WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organization).WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed class TransferConfiguration : IEntityTypeConfiguration<Transfer>
{
    public void Configure(EntityTypeBuilder<Transfer> b)
    {
        b.HasKey(x => x.Id);
        b.Ignore(x => x.ScopeOrganizationIds);
        b.Property(x => x.MemberName).HasMaxLength(MemberConfiguration.NameMaxLength);
        b.Property(x => x.ExternalOrganization).HasMaxLength(100);
        b.Property(x => x.Reason).HasMaxLength(200);
        b.Property(x => x.LetterNumber).HasMaxLength(40);
        b.Property(x => x.RejectionReason).HasMaxLength(200);
        b.HasIndex(x => new { x.FromOrganizationId, x.Status });
        b.HasIndex(x => new { x.ToOrganizationId, x.Status });
        b.HasIndex(x => x.MemberId);
        b.HasIndex(x => new { x.Status, x.ValidUntil });
        b.HasOne(x => x.Member).WithMany().HasForeignKey(x => x.MemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.FromOrganization).WithMany().HasForeignKey(x => x.FromOrganizationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.ToOrganization).WithMany().HasForeignKey(x => x.ToOrganizationId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Steps).WithOne().HasForeignKey(s => s.TransferId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class TransferStepConfiguration : IEntityTypeConfiguration<TransferStep>
{
    public void Configure(EntityTypeBuilder<TransferStep> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Action).HasMaxLength(40);
        b.Property(x => x.Note).HasMaxLength(200);
        b.Property(x => x.ByUser).HasMaxLength(256);
        b.HasIndex(x => new { x.TransferId, x.At });
    }
}
