using Bogus;

namespace Jiceng.Web.Features.Demo;

/// <summary>Ids for demo and bench data from a seeded generator (RFC 4122 version 4 layout), so the same seed gives the same data.</summary>
public static class DemoIds
{
    public static Guid Next(Randomizer rnd) => FromBytes(rnd.Bytes(16));

    public static Guid Next(Random rnd)
    {
        Span<byte> b = stackalloc byte[16];
        rnd.NextBytes(b);
        return FromBytes(b);
    }

    private static Guid FromBytes(Span<byte> b)
    {
        b[7] = (byte)((b[7] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return new Guid(b);
    }
}
