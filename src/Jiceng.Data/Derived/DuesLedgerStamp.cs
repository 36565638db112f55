using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jiceng.Data.Derived;

/// <summary>
/// An organization's dues stamp: a number the database raises whenever a row that its members' dues ledgers count changes (a
/// member's name, status, joining date or organization; a dues base, adjustment, payment or paid month of one of its members),
/// by triggers on those tables, in the writing transaction, whatever path wrote it (ADR 009). The sum of a subtree's stamps
/// changes with every committed change under it, so a ledger computed earlier may be served again while the sum is the same.
/// Never written by the app. An organization without a row has had no change since the stamps were introduced (stamp 0).
/// </summary>
public sealed class DuesLedgerStamp
{
    public Guid OrganizationId { get; set; }
    public long Version { get; set; }
}

public sealed class DuesLedgerStampConfiguration : IEntityTypeConfiguration<DuesLedgerStamp>
{
    public void Configure(EntityTypeBuilder<DuesLedgerStamp> b)
    {
        // No foreign key: the triggers stamp whatever organization a row names, before or after any delete of it.
        b.HasKey(x => x.OrganizationId);
        b.Property(x => x.OrganizationId).ValueGeneratedNever();
    }
}
