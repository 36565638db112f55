using Jiceng.Data;
using Jiceng.Data.Audit;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.Audit;

/// <param name="Lane">The lane (chain) of the first broken record; null when intact.</param>
public sealed record AuditVerification(bool Intact, long Checked, long? FirstBrokenSequence, string? Problem, int? Lane = null);

/// <summary>Walks each lane's chain in order and recomputes every hash: the first record whose content, link or
/// sequence does not match is where the log was tampered with.</summary>
public static class AuditVerifier
{
    public static async Task<AuditVerification> VerifyAsync(JicengDbContext db, CancellationToken ct = default)
    {
        if (await db.AuditEntries.AnyAsync(a => a.Lane < 0 || a.Lane >= AuditLanes.Count, ct))
            return new(false, 0, null, $"存在不属于任何审计链的记录（链号须在0至{AuditLanes.Count - 1}之间），记录可能被伪造");
        long checkedCount = 0;
        for (short lane = 0; lane < AuditLanes.Count; lane++)
        {
            var result = await VerifyLaneAsync(db, lane, ct);
            checkedCount += result.Checked;
            if (!result.Intact) return result with { Checked = checkedCount };
        }
        return new(true, checkedCount, null, null);
    }

    private static async Task<AuditVerification> VerifyLaneAsync(JicengDbContext db, short lane, CancellationToken ct)
    {
        const int batch = 5000;
        long expected = 1, checkedCount = 0;
        var previous = AuditHasher.GenesisHash;
        // Lane 0 was the only chain before there were lanes; naming it would only confuse.
        var chain = lane == 0 ? "" : $"第{lane}号链";
        while (true)
        {
            var from = expected;
            var rows = await db.AuditEntries.AsNoTracking().Where(a => a.Lane == lane && a.Sequence >= from)
                .OrderBy(a => a.Sequence).Take(batch).ToListAsync(ct);
            foreach (var r in rows)
            {
                if (r.Sequence != expected)
                    return new(false, checkedCount, expected, $"{chain}缺少第{expected}条记录（下一条为第{r.Sequence}条），记录可能被删除", lane);
                if (r.PreviousHash != previous)
                    return new(false, checkedCount, r.Sequence, $"{chain}第{r.Sequence}条记录的前序哈希与第{r.Sequence - 1}条不一致", lane);
                if (AuditHasher.Compute(r) != r.Hash)
                    return new(false, checkedCount, r.Sequence, $"{chain}第{r.Sequence}条记录的内容与其哈希不一致，记录可能被篡改", lane);
                previous = r.Hash;
                expected++;
                checkedCount++;
            }
            if (rows.Count < batch) return new(true, checkedCount, null, null);
        }
    }
}
