using Jiceng.Data;
using Jiceng.Data.Audit;
using Jiceng.Data.Protection;

namespace Jiceng.Web.Infrastructure;

/// <summary>The one way a full protected value leaves the server: decrypted for a caller whose role
/// allows it (checked by the endpoint's policy), and recorded in the audit trail as a sensitive read.</summary>
public sealed class ProtectedFieldReveal(FieldProtector protector)
{
    public async Task<string?> RevealAsync(JicengDbContext db, string entityType, string entityId, Guid? organizationId, string field, string? cipher, CancellationToken ct)
    {
        if (cipher is null) return null;
        var value = protector.Decrypt(cipher);
        db.Audit(AuditActions.Reveal, entityType, entityId, organizationId, details: new { field });
        await db.SaveChangesAsync(ct);
        return value;
    }
}
