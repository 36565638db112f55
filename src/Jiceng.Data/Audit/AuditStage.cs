using Npgsql;
using NpgsqlTypes;

namespace Jiceng.Data.Audit;

/// <summary>
/// Audit records of a bulk insert waiting to be chained (PostgreSQL): a temporary table of the connection, dropped
/// at the end of the transaction, so a large import keeps neither its records in memory nor the chain's lock while
/// it writes its rows. Used by <see cref="JicengDbContext.InsertAuditedAsync{T}"/>.
/// </summary>
internal sealed class AuditStage
{
    private const string Table = "pg_temp.jiceng_audit_stage";
    private const int Chunk = 5000;
    private readonly NpgsqlConnection _conn;

    private AuditStage(NpgsqlConnection conn) => _conn = conn;

    public static async Task<AuditStage> CreateAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            DROP TABLE IF EXISTS {Table};
            CREATE TEMP TABLE jiceng_audit_stage (
                ord bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, entity_id text, organization_id uuid, changes text
            ) ON COMMIT DROP
            """, conn);
        await cmd.ExecuteNonQueryAsync(ct);
        return new AuditStage(conn);
    }

    public async Task AddAsync(IEnumerable<AuditEntry> records, CancellationToken ct)
    {
        await using var writer = await _conn.BeginBinaryImportAsync(
            $"COPY {Table} (entity_id, organization_id, changes) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var r in records)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(r.EntityId, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(r.OrganizationId, NpgsqlDbType.Uuid, ct);
            await writer.WriteAsync(r.Changes, NpgsqlDbType.Text, ct);
        }
        await writer.CompleteAsync(ct);
    }

    /// <summary>The staged records in the order they were added, a chunk at a time, then the table is dropped.</summary>
    public async IAsyncEnumerable<List<AuditEntry>> DrainAsync(string action, string entityType,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        long after = 0;
        while (true)
        {
            var chunk = new List<AuditEntry>(Chunk);
            await using (var cmd = new NpgsqlCommand(
                $"SELECT ord, entity_id, organization_id, changes FROM {Table} WHERE ord > $1 ORDER BY ord LIMIT {Chunk}", _conn))
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = after });
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    after = reader.GetInt64(0);
                    chunk.Add(new AuditEntry
                    {
                        Action = action, EntityType = entityType,
                        EntityId = reader.IsDBNull(1) ? null : reader.GetString(1),
                        OrganizationId = reader.IsDBNull(2) ? null : reader.GetGuid(2),
                        Changes = reader.IsDBNull(3) ? null : reader.GetString(3),
                        PreviousHash = "",
                    });
                }
            }
            if (chunk.Count == 0) break;
            yield return chunk;
        }
        await using var drop = new NpgsqlCommand($"DROP TABLE {Table}", _conn);
        await drop.ExecuteNonQueryAsync(ct);
    }
}
