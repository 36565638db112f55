using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Jiceng.Data;

/// <summary>
/// PostgreSQL binary COPY of entities, with table, column names, store types and value conversions
/// (enums as integers) taken from the EF model, so the loaded rows are what the app itself would
/// write and a model change cannot silently drift from the loader. Used by the bench loader and by
/// <see cref="JicengDbContext.InsertAuditedAsync{T}"/> (the member import); runs in the connection's current transaction.
/// </summary>
public static class BulkCopy
{
    private sealed record Column(string Name, Func<NpgsqlBinaryImporter, object, CancellationToken, Task> Write);

    /// <param name="rebuildIndexes">Drop the table's secondary indexes (not those behind constraints) before the copy and
    /// create them again from their own definitions afterwards: a sorted build is several times faster than
    /// inserting a large load into each index row by row. Use it inside a transaction on a table being filled.</param>
    public static async Task<long> CopyAsync<T>(DbContext db, NpgsqlConnection conn, IEnumerable<T> rows, bool rebuildIndexes = false, CancellationToken ct = default)
        where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        // Generated columns (e.g. members.name_chars) are computed by the database from the others.
        var columns = entity.GetProperties().Where(p => p.GetComputedColumnSql() is null).Select(p => ColumnOf(p, table)).ToList();
        var qualified = table.Schema is null ? Quote(table.Name) : $"{Quote(table.Schema)}.{Quote(table.Name)}";
        var sql = $"COPY {qualified} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";

        var indexes = rebuildIndexes ? await DropSecondaryIndexesAsync(conn, qualified, ct) : [];
        long copied;
        await using (var writer = await conn.BeginBinaryImportAsync(sql, ct))
        {
            foreach (var row in rows)
            {
                await writer.StartRowAsync(ct);
                foreach (var c in columns) await c.Write(writer, row, ct);
            }
            copied = (long)await writer.CompleteAsync(ct);
        }
        foreach (var definition in indexes) await ExecuteAsync(conn, definition, ct);
        return copied;
    }

    /// <summary>Drops the indexes that no constraint owns and returns their CREATE INDEX statements.</summary>
    private static async Task<List<string>> DropSecondaryIndexesAsync(NpgsqlConnection conn, string table, CancellationToken ct)
    {
        var found = new List<(string Name, string Definition)>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
            WHERE i.indrelid = @table::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """, conn))
        {
            cmd.Parameters.AddWithValue("table", table);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) found.Add((r.GetString(0), r.GetString(1)));
        }
        foreach (var (name, _) in found) await ExecuteAsync(conn, $"DROP INDEX {name}", ct);
        return found.Select(f => f.Definition).ToList();
    }

    private static async Task ExecuteAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static Column ColumnOf(IProperty p, StoreObjectIdentifier table)
    {
        if (p.IsShadowProperty())
            throw new InvalidOperationException($"{p.DeclaringType.DisplayName()}.{p.Name} is a shadow property; the loader cannot read it");
        var mapping = p.GetRelationalTypeMapping();
        var converter = p.GetValueConverter() ?? mapping.Converter;
        var getter = p.GetGetter();
        // The store type without facets ("character varying(50)" -> "character varying"): Npgsql takes type names.
        var storeType = mapping.StoreTypeNameBase;
        Func<object, object?> value = converter is null
            ? getter.GetClrValueUsingContainingEntity
            : e => getter.GetClrValueUsingContainingEntity(e) is { } v ? converter.ConvertToProvider(v) : null;
        // Typed per column (not object), so Npgsql resolves each column's converter once.
        var providerType = converter?.ProviderClrType ?? p.ClrType;
        providerType = Nullable.GetUnderlyingType(providerType) ?? providerType;
        var write = (Func<NpgsqlBinaryImporter, object, CancellationToken, Task>)typeof(BulkCopy)
            .GetMethod(nameof(Writer), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(providerType).Invoke(null, [value, storeType])!;
        return new Column(p.GetColumnName(table)!, write);
    }

    private static Func<NpgsqlBinaryImporter, object, CancellationToken, Task> Writer<TValue>(Func<object, object?> value, string storeType) =>
        (w, row, ct) => value(row) is { } v ? w.WriteAsync((TValue)v, storeType, ct) : w.WriteNullAsync(ct);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
