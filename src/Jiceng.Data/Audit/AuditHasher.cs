using System.Globalization;
using System.Text;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Digests;

namespace Jiceng.Data.Audit;

/// <summary>SM3 (GB/T 32905, the national hash required by 密评 GB/T 39786) over a canonical
/// rendering of an audit record and the hash of the record before it.</summary>
public static class AuditHasher
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The canonical form is a JSON array: every field is quoted and escaped, and null differs
    /// from "", so no content can be shifted from one field into another without changing the hash.
    /// The lane is the last field, present only for lanes other than 0: records written before there were lanes
    /// (all on lane 0) keep the form they were hashed in and still verify.</summary>
    public static string Compute(AuditEntry e)
    {
        List<string?> fields =
        [
            e.Sequence.ToString(CultureInfo.InvariantCulture),
            e.At.UtcTicks.ToString(CultureInfo.InvariantCulture),
            e.UserId, e.UserName, e.Roles, e.Action, e.EntityType, e.EntityId,
            e.OrganizationId?.ToString("N"), e.ClientAddress, e.Success ? "1" : "0", e.Changes, e.PreviousHash,
        ];
        if (e.Lane != 0) fields.Add(e.Lane.ToString(CultureInfo.InvariantCulture));
        return Sm3Hex(JsonSerializer.Serialize(fields));
    }

    public static string Sm3Hex(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var digest = new SM3Digest();
        digest.BlockUpdate(bytes, 0, bytes.Length);
        var output = new byte[digest.GetDigestSize()];
        digest.DoFinal(output, 0);
        return Convert.ToHexStringLower(output);
    }
}
