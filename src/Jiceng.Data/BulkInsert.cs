using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Jiceng.Data;

/// <summary>
/// Bulk writes of new rows: on PostgreSQL a binary COPY (<see cref="BulkCopy"/>), elsewhere multi-row INSERTs. Table,
/// columns and value conversions come from the EF model, so rows are stored exactly as SaveChanges would store them,
/// without change tracking or per-row commands. No scope check and no audit records here: system loads (demo data)
/// call it directly and write one explicit audit record (<see cref="JicengDbContext.BulkLoad"/>); imports go through
/// <see cref="JicengDbContext.InsertAuditedAsync{T}"/>, which adds both. Runs in the context's current transaction.
/// </summary>
public static class BulkInsert
{
    /// <summary>Parameters per statement. Kept small: Microsoft.Data.Sqlite looks each parameter up by name in the
    /// command's collection, so the cost of one statement grows with the square of its parameters.</summary>
    private const int MaxParameters = 900;

    public static async Task InsertAsync<T>(this JicengDbContext db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        var conn = db.Database.GetDbConnection();
        if (conn.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        if (conn is Npgsql.NpgsqlConnection pg)
        {
            await BulkCopy.CopyAsync(db, pg, rows, ct: ct);
            return;
        }
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model");
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = sql.DelimitIdentifier(entity.GetTableName()!, entity.GetSchema());
        var store = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Where(p => p.GetComputedColumnSql() is null).Select(p => (Property: p, Column: p.GetColumnName(store)!, Mapping: p.GetRelationalTypeMapping())).ToList();
        var head = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Column)))}) VALUES ";
        var perStatement = Math.Max(1, MaxParameters / columns.Count);
        var tx = db.Database.CurrentTransaction?.GetDbTransaction();
        for (var start = 0; start < rows.Count; start += perStatement)
        {
            await using DbCommand cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            var text = new StringBuilder(head);
            var n = 0;
            foreach (var row in rows.Skip(start).Take(perStatement))
            {
                if (n > 0) text.Append(", ");
                text.Append('(');
                for (var i = 0; i < columns.Count; i++)
                {
                    var (property, _, mapping) = columns[i];
                    var name = $"@p{n * columns.Count + i}";
                    if (i > 0) text.Append(", ");
                    text.Append(name);
                    cmd.Parameters.Add(mapping.CreateParameter(cmd, name, property.GetGetter().GetClrValue(row), property.IsNullable));
                }
                text.Append(')');
                n++;
            }
            cmd.CommandText = text.ToString();
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}
