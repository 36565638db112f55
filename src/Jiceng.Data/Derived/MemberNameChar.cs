using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Jiceng.Data.Derived;

/// <summary>
/// PostgreSQL only: one row per distinct character of each member's name, with the member's list-order keys and organization, kept
/// by a trigger on <c>members</c> (every write path, COPY included). A search for text inside names ("张") reads the range of one
/// of its characters from the (character, initials, name, id) index, already in the list's order and without the members' heap: the
/// count and the page are index-only. Through the members' GIN index instead, the city's 5,047 张 cost 4,729 heap blocks and a
/// sort of them all for every page (bench 2026-12-07).
/// </summary>
public sealed class MemberNameChar
{
    public Guid MemberId { get; set; }
    public string Character { get; set; } = "";
    public string NameInitials { get; set; } = "";
    public string Name { get; set; } = "";
    public Guid OrganizationId { get; set; }
}

public static class MemberNameCharConfiguration
{
    /// <summary>Called for PostgreSQL only (<c>JicengDbContext.OnModelCreating</c>): SQLite, the district's embedded database, scans its
    /// members' names.</summary>
    public static void Configure(EntityTypeBuilder<MemberNameChar> b)
    {
        b.ToTable("member_name_chars");
        b.HasKey(x => new { x.MemberId, x.Character });
        b.Property(x => x.Character).HasMaxLength(2);
        b.Property(x => x.NameInitials).HasMaxLength(Configurations.MemberConfiguration.NameMaxLength).UseCollation("C");
        b.Property(x => x.Name).HasMaxLength(Configurations.MemberConfiguration.NameMaxLength);
        b.HasIndex(x => new { x.Character, x.NameInitials, x.Name, x.MemberId }).IncludeProperties(x => x.OrganizationId);
    }
}
