using Jiceng.Data;
using Jiceng.Data.Audit;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Audit;

public sealed record AuditVerification(bool Intact, long Checked, long? FirstBrokenSequence, string? Problem);

/// <summary>Walks the chain in order and recomputes every hash: the first record whose content, link or
/// sequence does not match is where the log was tampered with.</summary>
public static class AuditVerifier
{
    public static async Task<AuditVerification> VerifyAsync(JicengDbContext db, CancellationToken ct = default)
    {
        const int batch = 5000;
        long expected = 1, checkedCount = 0;
        var previous = AuditHasher.GenesisHash;
        while (true)
        {
            var from = expected;
            var rows = await db.AuditEntries.AsNoTracking().Where(a => a.Sequence >= from).OrderBy(a => a.Sequence).Take(batch).ToListAsync(ct);
            foreach (var r in rows)
            {
                if (r.Sequence != expected)
                    return new(false, checkedCount, expected, $"缺少第{expected}条记录（下一条为第{r.Sequence}条），记录可能被删除");
                if (r.PreviousHash != previous)
                    return new(false, checkedCount, r.Sequence, $"第{r.Sequence}条记录的前序哈希与第{r.Sequence - 1}条不一致");
                if (AuditHasher.Compute(r) != r.Hash)
                    return new(false, checkedCount, r.Sequence, $"第{r.Sequence}条记录的内容与其哈希不一致，记录可能被篡改");
                previous = r.Hash;
                expected++;
                checkedCount++;
            }
            if (rows.Count < batch) return new(true, checkedCount, null, null);
        }
    }
}
