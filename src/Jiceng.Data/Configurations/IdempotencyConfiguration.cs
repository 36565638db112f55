using Jiceng.Data.Idempotency;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jiceng.Data.Configurations;

/// <summary>Idempotency keys of every operation that must not happen twice: dues payments (per account) and
/// residents' case submissions (no account: <see cref="IdempotencyRecord.UserId"/> "public").</summary>
public sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.HasKey(x => new { x.UserId, x.Operation, x.Key });
        b.Property(x => x.UserId).HasMaxLength(64);
        b.Property(x => x.Operation).HasMaxLength(60);
        b.Property(x => x.Key).HasMaxLength(200);
        b.Property(x => x.RequestHash).HasMaxLength(64);
        b.HasIndex(x => x.CreatedAt);
    }
}
