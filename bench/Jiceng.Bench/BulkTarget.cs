using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Jiceng.Bench;

/// <summary>
/// Where the loader writes: the same generated rows go to PostgreSQL by binary COPY (<see cref="PostgresTarget"/>) or to
/// a SQLite file by prepared single-row INSERTs in large transactions (<see cref="SqliteTarget"/>). Table and column
/// names always come from the EF model (PostgreSQL's are snake_case, SQLite's the model's own), so the loader's phases
/// name entity types, never tables.
/// </summary>
internal abstract class BulkTarget(JicengDbContext db)
{
    public JicengDbContext Db { get; } = db;

    public static BulkTarget For(JicengDbContext db, DatabaseProvider provider, string connection) =>
        provider == DatabaseProvider.Postgres ? new PostgresTarget(db, connection) : new SqliteTarget(db);

    public abstract string Name { get; }

    /// <summary>After the migrations: settings of the loader's own connection for the load.</summary>
    public virtual Task PrepareAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Writes the rows in the context's current transaction, the table's secondary indexes dropped before and
    /// built again after.</summary>
    public abstract Task<long> CopyAsync<T>(IEnumerable<T> rows, CancellationToken ct) where T : class;

    /// <summary>Several tables fed from one generator (cases with their events and dispatches), committed together.</summary>
    public abstract Task<StreamSet> StreamsAsync(CancellationTokenSource failed, CancellationToken ct);

    /// <summary>Fresh statistics for the tables of these entities, or for the whole database when none is named
    /// (PostgreSQL also vacuums, for the visibility map that index-only scans need).</summary>
    public abstract Task AnalyzeAsync(CancellationToken ct, params Type[] entities);

    /// <summary>Empties the tables of an interrupted group, children first.</summary>
    public abstract Task EmptyAsync(CancellationToken ct, params Type[] childrenFirst);

    /// <summary>Table and database sizes for the report.</summary>
    public abstract Task AddSizesAsync(Dictionary<string, object?> stats, CancellationToken ct);

    public IEntityType Entity(Type t) => Db.Model.FindEntityType(t) ?? throw new InvalidOperationException($"{t.Name} is not in the model");

    public string Table(Type t) => Db.GetService<ISqlGenerationHelper>().DelimitIdentifier(Entity(t).GetTableName()!, Entity(t).GetSchema());
    public string Table<T>() => Table(typeof(T));

    public string Column<T>(string property)
    {
        var e = Entity(typeof(T));
        var column = e.FindProperty(property)?.GetColumnName(StoreObjectIdentifier.Table(e.GetTableName()!, e.GetSchema()))
            ?? throw new InvalidOperationException($"{typeof(T).Name}.{property} is not mapped");
        return Db.GetService<ISqlGenerationHelper>().DelimitIdentifier(column);
    }

    public async Task<DbConnection> ConnectionAsync(CancellationToken ct)
    {
        var conn = Db.Database.GetDbConnection();
        if (conn.State != System.Data.ConnectionState.Open) await Db.Database.OpenConnectionAsync(ct);
        return conn;
    }

    public async Task<long> ScalarAsync(string sql, CancellationToken ct)
    {
        var conn = await ConnectionAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        cmd.Transaction = Db.Database.CurrentTransaction?.GetDbTransaction();
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
    }

    public async Task ExecAsync(string sql, CancellationToken ct)
    {
        var conn = await ConnectionAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        cmd.Transaction = Db.Database.CurrentTransaction?.GetDbTransaction();
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public Task<long> CountAsync<T>(CancellationToken ct) => ScalarAsync($"SELECT count(*) FROM {Table<T>()}", ct);

    /// <summary>Rows of <typeparamref name="TChild"/> whose <paramref name="property"/> points at no <typeparamref name="TParent"/>
    /// (must be none: the loads skip the foreign-key checks).</summary>
    public async Task CheckOrphansAsync<TChild, TParent>(string property, CancellationToken ct)
    {
        var column = Column<TChild>(property);
        var orphans = await ScalarAsync($"SELECT count(*) FROM {Table<TChild>()} t WHERE t.{column} IS NOT NULL AND NOT EXISTS "
            + $"(SELECT 1 FROM {Table<TParent>()} p WHERE p.{Column<TParent>("Id")} = t.{column})", ct);
        if (orphans != 0) throw new InvalidOperationException($"{orphans} rows of {Table<TChild>()}.{column} point at no row of {Table<TParent>()}");
    }

    /// <summary>Members in the subtree of each demo account's organization (path range as OrgSubtree).</summary>
    protected async Task AddScopesAsync(Dictionary<string, object?> stats, CancellationToken ct)
    {
        string M(string p) => Column<Jiceng.Domain.Members.Member>(p);
        string O(string p) => Column<Jiceng.Domain.Organizations.Organization>(p);
        foreach (var account in new[] { "demo-district", "demo-street", "demo-community" })
            stats[$"membersInScope:{account}"] = await ScalarAsync($"""
                SELECT count(*) FROM {Table<Jiceng.Domain.Members.Member>()} m JOIN {Table<Jiceng.Domain.Organizations.Organization>()} o ON o.{O("Id")} = m.{M("OrganizationId")}
                JOIN {Table<Jiceng.Domain.Organizations.Organization>()} s ON o.{O("Path")} >= s.{O("Path")} AND o.{O("Path")} < substr(s.{O("Path")}, 1, length(s.{O("Path")}) - 1) || '0'
                JOIN {Table<Jiceng.Data.Identity.RoleAssignment>()} r ON r.{Column<Jiceng.Data.Identity.RoleAssignment>("OrganizationId")} = s.{O("Id")}
                JOIN {Table<Jiceng.Data.Identity.AppUser>()} u ON u.{Column<Jiceng.Data.Identity.AppUser>("Id")} = r.{Column<Jiceng.Data.Identity.RoleAssignment>("UserId")}
                WHERE u.{Column<Jiceng.Data.Identity.AppUser>("UserName")} = '{account}'
                """, ct);
    }
}

/// <summary>A set of tables loaded side by side from one generator and committed together.</summary>
internal abstract class StreamSet : IAsyncDisposable
{
    public abstract Task<ITableStream<T>> TableAsync<T>(CancellationToken ct) where T : class;
    public abstract Task CommitAsync(CancellationToken ct);
    public abstract ValueTask DisposeAsync();
}

internal interface ITableStream<in T>
{
    void Add(T row);
    /// <summary>The rows written (indexes rebuilt), not yet committed.</summary>
    Task<long> CompleteAsync();
}

// ------------------------------------------------------------------------------------------------ PostgreSQL

/// <summary>Binary COPY (<see cref="BulkCopy"/>); streams run in parallel, one connection and transaction per table, with
/// the foreign-key triggers skipped (session_replication_role = replica, as pg_restore does).</summary>
internal sealed class PostgresTarget(JicengDbContext db, string connection) : BulkTarget(db)
{
    public override string Name => "PostgreSQL";

    private async Task<NpgsqlConnection> PgAsync(CancellationToken ct) => (NpgsqlConnection)await ConnectionAsync(ct);

    public override async Task<long> CopyAsync<T>(IEnumerable<T> rows, CancellationToken ct) =>
        await BulkCopy.CopyAsync(Db, await PgAsync(ct), rows, rebuildIndexes: true, ct);

    public override Task<StreamSet> StreamsAsync(CancellationTokenSource failed, CancellationToken ct) =>
        Task.FromResult<StreamSet>(new Streams(Db, new NpgsqlConnectionStringBuilder(connection) { CommandTimeout = 0, Pooling = false }.ConnectionString, failed));

    public override Task AnalyzeAsync(CancellationToken ct, params Type[] entities) =>
        ExecAsync(entities.Length == 0 ? "VACUUM (ANALYZE)" : $"VACUUM (ANALYZE) {string.Join(", ", entities.Select(Table))}", ct);

    public override Task EmptyAsync(CancellationToken ct, params Type[] childrenFirst) =>
        // CASCADE empties the tables that refer to these, all empty in a benchmark database without the group's main rows.
        ExecAsync($"TRUNCATE {string.Join(", ", childrenFirst.Select(Table))} CASCADE", ct);

    public override async Task AddSizesAsync(Dictionary<string, object?> stats, CancellationToken ct)
    {
        stats["organizations"] = await CountAsync<Jiceng.Domain.Organizations.Organization>(ct);
        stats["members"] = await CountAsync<Jiceng.Domain.Members.Member>(ct);
        stats["membersTableBytes"] = await ScalarAsync("SELECT pg_table_size('members')", ct);
        stats["membersIndexBytes"] = await ScalarAsync("SELECT pg_indexes_size('members')", ct);
        stats["databaseBytes"] = await ScalarAsync("SELECT pg_database_size(current_database())", ct);
        await AddScopesAsync(stats, ct);
    }

    private sealed class Streams(DbContext db, string connection, CancellationTokenSource failed) : StreamSet
    {
        private readonly List<ICopyStream> _streams = [];

        public override async Task<ITableStream<T>> TableAsync<T>(CancellationToken ct)
        {
            var s = await CopyStream<T>.StartAsync(db, connection, failed, ct);
            _streams.Add(s);
            return s;
        }

        public override async Task CommitAsync(CancellationToken ct)
        {
            foreach (var s in _streams) await s.CommitAsync(ct);
        }

        public override async ValueTask DisposeAsync()
        {
            foreach (var s in _streams) await s.DisposeAsync();
        }
    }

    private interface ICopyStream : IAsyncDisposable
    {
        Task CommitAsync(CancellationToken ct);
    }

    /// <summary>One table's binary COPY on its own connection and transaction, fed from a bounded queue.</summary>
    private sealed class CopyStream<T> : ITableStream<T>, ICopyStream where T : class
    {
        private readonly BlockingCollection<T> _queue = new(20_000);
        private readonly NpgsqlConnection _conn;
        private readonly NpgsqlTransaction _tx;
        private readonly Task<long> _copy;
        private readonly CancellationTokenSource _failed;

        private CopyStream(DbContext db, NpgsqlConnection conn, NpgsqlTransaction tx, CancellationTokenSource failed)
        {
            (_conn, _tx, _failed) = (conn, tx, failed);
            _copy = Task.Run(async () =>
            {
                try { return await BulkCopy.CopyAsync(db, conn, _queue.GetConsumingEnumerable(), rebuildIndexes: true); }
                catch { failed.Cancel(); throw; }
            });
        }

        public static async Task<CopyStream<T>> StartAsync(DbContext db, string connection, CancellationTokenSource failed, CancellationToken ct)
        {
            var conn = new NpgsqlConnection(connection);
            await conn.OpenAsync(ct);
            var tx = await conn.BeginTransactionAsync(ct);
            await using (var cmd = new NpgsqlCommand("SET LOCAL session_replication_role = replica; SET LOCAL maintenance_work_mem = '256MB'", conn, tx))
                await cmd.ExecuteNonQueryAsync(ct);
            return new CopyStream<T>(db, conn, tx, failed);
        }

        public void Add(T row) => _queue.Add(row, _failed.Token);

        public async Task<long> CompleteAsync() { _queue.CompleteAdding(); return await _copy; }

        public Task CommitAsync(CancellationToken ct) => _tx.CommitAsync(ct);

        public async ValueTask DisposeAsync()
        {
            _queue.CompleteAdding();
            try { await _copy; } catch { /* reported by CompleteAsync */ }
            await _tx.DisposeAsync();
            await _conn.DisposeAsync();
            _queue.Dispose();
        }
    }
}

// ------------------------------------------------------------------------------------------------ SQLite

/// <summary>
/// Prepared single-row INSERTs (<see cref="SqliteTableWriter{T}"/>) on the loader's one connection, each group in one
/// transaction. The connection loads with journal_mode=WAL (what the app sets too, kept in the file), synchronous=OFF
/// and foreign_keys=OFF (this connection only, for the load: a crash mid-load can corrupt the file, which is then
/// deleted and loaded again; the phases check the references themselves afterwards), a 256 MB page cache and
/// temporary B-trees (the index builds' sorts) in memory. SQLite has one writer, so the streams of a group are not
/// parallel: each row is inserted as it is generated, in the group's transaction.
/// </summary>
internal sealed class SqliteTarget(JicengDbContext db) : BulkTarget(db)
{
    public override string Name => "SQLite";

    private async Task<SqliteConnection> LiteAsync(CancellationToken ct) => (SqliteConnection)await ConnectionAsync(ct);

    public override async Task PrepareAsync(CancellationToken ct)
    {
        // EF keeps a connection open that it was asked to open, so these stay for the whole load. foreign_keys cannot
        // change inside a transaction: this runs before any.
        await ConnectionAsync(ct);
        foreach (var pragma in new[] { "journal_mode=WAL", "synchronous=OFF", "foreign_keys=OFF", "cache_size=-262144", "temp_store=MEMORY" })
            await ExecAsync($"PRAGMA {pragma}", ct);
    }

    public override async Task<long> CopyAsync<T>(IEnumerable<T> rows, CancellationToken ct)
    {
        var conn = await LiteAsync(ct);
        using var writer = SqliteTableWriter<T>.Start(Db, conn, (SqliteTransaction?)Db.Database.CurrentTransaction?.GetDbTransaction());
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            writer.Add(row);
        }
        return writer.Complete();
    }

    public override async Task<StreamSet> StreamsAsync(CancellationTokenSource failed, CancellationToken ct)
    {
        var conn = await LiteAsync(ct);
        var tx = await Db.Database.BeginTransactionAsync(ct);
        return new Streams(Db, conn, tx);
    }

    public override async Task AnalyzeAsync(CancellationToken ct, params Type[] entities)
    {
        if (entities.Length == 0) await ExecAsync("ANALYZE", ct);
        foreach (var t in entities) await ExecAsync($"ANALYZE {Table(t)}", ct);
    }

    public override async Task EmptyAsync(CancellationToken ct, params Type[] childrenFirst)
    {
        foreach (var t in childrenFirst) await ExecAsync($"DELETE FROM {Table(t)}", ct);
    }

    public override async Task AddSizesAsync(Dictionary<string, object?> stats, CancellationToken ct)
    {
        stats["organizations"] = await CountAsync<Jiceng.Domain.Organizations.Organization>(ct);
        stats["members"] = await CountAsync<Jiceng.Domain.Members.Member>(ct);
        try
        {
            // dbstat is compiled into the SQLite bundled with Microsoft.Data.Sqlite; the figures are null where it is not.
            var members = Entity(typeof(Jiceng.Domain.Members.Member)).GetTableName()!;
            stats["membersTableBytes"] = await ScalarAsync($"SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = '{members}'", ct);
            stats["membersIndexBytes"] = await ScalarAsync(
                $"SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '{members}')", ct);
        }
        catch (SqliteException) { stats["membersTableBytes"] = stats["membersIndexBytes"] = null; }
        stats["databaseBytes"] = await ScalarAsync("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()", ct);
        await AddScopesAsync(stats, ct);
    }

    /// <summary>The group's transaction on the loader's connection (the context's own, so EF's writes join it).</summary>
    private sealed class Streams(DbContext db, SqliteConnection conn, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx) : StreamSet
    {
        private readonly List<IDisposable> _writers = [];

        public override Task<ITableStream<T>> TableAsync<T>(CancellationToken ct)
        {
            var w = SqliteTableWriter<T>.Start(db, conn, (SqliteTransaction)tx.GetDbTransaction());
            _writers.Add(w);
            return Task.FromResult<ITableStream<T>>(w);
        }

        public override Task CommitAsync(CancellationToken ct) => tx.CommitAsync(ct);

        public override async ValueTask DisposeAsync()
        {
            foreach (var w in _writers) w.Dispose();
            await tx.DisposeAsync();
        }
    }
}

/// <summary>
/// One table's rows as prepared single-row INSERTs: table, columns (generated ones left to SQLite), value conversions
/// and parameter types from the EF model, each parameter made by the column's type mapping as SaveChanges makes it,
/// so the stored values are the app's own (Guids as upper-case text, DateTimeOffset as ticks, enums as integers).
/// The table's secondary indexes (those with SQL of their own, not the primary key's) are dropped at the start and
/// built again from their definitions by <see cref="Complete"/>: one sorted build instead of a B-tree insert per row.
/// </summary>
internal sealed class SqliteTableWriter<T> : ITableStream<T>, IDisposable where T : class
{
    private readonly SqliteConnection _conn;
    private readonly SqliteTransaction? _tx;
    private readonly SqliteCommand _insert;
    private readonly (SqliteParameter Parameter, Func<object, object?> Value)[] _columns;
    private readonly List<string> _indexes;
    private long _written;

    private SqliteTableWriter(SqliteConnection conn, SqliteTransaction? tx, SqliteCommand insert, (SqliteParameter, Func<object, object?>)[] columns, List<string> indexes) =>
        (_conn, _tx, _insert, _columns, _indexes) = (conn, tx, insert, columns, indexes);

    /// <param name="dropIndexes">False for a few rows into a loaded table (the insert limit): the indexes stay and are
    /// kept up to date row by row, as the app's own inserts keep them.</param>
    public static SqliteTableWriter<T> Start(DbContext db, SqliteConnection conn, SqliteTransaction? tx, bool dropIndexes = true)
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model");
        var sql = db.GetService<ISqlGenerationHelper>();
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var properties = entity.GetProperties().Where(p => p.GetComputedColumnSql() is null).ToList();
        var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandTimeout = 0;
        var columns = new (SqliteParameter, Func<object, object?>)[properties.Count];
        for (var i = 0; i < properties.Count; i++)
        {
            var p = properties[i];
            if (p.IsShadowProperty())
                throw new InvalidOperationException($"{p.DeclaringType.DisplayName()}.{p.Name} is a shadow property; the loader cannot read it");
            var mapping = p.GetRelationalTypeMapping();
            // The mapping's CreateParameter sets the parameter's type as SaveChanges does; the value is set per row, converted
            // as CreateParameter would convert it (the mapping's converter, or an enum to its number).
            var parameter = (SqliteParameter)mapping.CreateParameter(cmd, $"@p{i}", null, p.IsNullable);
            cmd.Parameters.Add(parameter);
            var getter = p.GetGetter();
            var converter = mapping.Converter;
            columns[i] = (parameter, converter is not null
                ? row => getter.GetClrValueUsingContainingEntity(row) is { } v ? converter.ConvertToProvider(v) : null
                : (Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType).IsEnum
                    ? row => getter.GetClrValueUsingContainingEntity(row) is { } v ? Convert.ChangeType(v, Enum.GetUnderlyingType(v.GetType())) : null
                    : getter.GetClrValueUsingContainingEntity);
        }
        var table = sql.DelimitIdentifier(store.Name, store.Schema);
        cmd.CommandText = $"INSERT INTO {table} ({string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(store)!)))}) "
            + $"VALUES ({string.Join(", ", properties.Select((_, i) => $"@p{i}"))})";

        var indexes = new List<(string Name, string Definition)>();
        if (dropIndexes)
        {
            using var find = conn.CreateCommand();
            find.Transaction = tx;
            find.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $table AND sql IS NOT NULL";
            find.Parameters.AddWithValue("$table", store.Name);
            using (var r = find.ExecuteReader())
                while (r.Read()) indexes.Add((r.GetString(0), r.GetString(1)));
        }
        foreach (var (name, _) in indexes) Exec(conn, tx, $"DROP INDEX {sql.DelimitIdentifier(name)}");
        cmd.Prepare();
        return new SqliteTableWriter<T>(conn, tx, cmd, columns, indexes.Select(i => i.Definition).ToList());
    }

    /// <summary>The transaction the next rows go in (the insert limit's write set: one per iteration).</summary>
    public void Use(SqliteTransaction? tx) => _insert.Transaction = tx;

    public void Add(T row)
    {
        foreach (var (parameter, value) in _columns) parameter.Value = value(row) ?? DBNull.Value;
        _insert.ExecuteNonQuery();
        _written++;
    }

    /// <summary>Builds the dropped indexes again and returns the rows written.</summary>
    public long Complete()
    {
        foreach (var definition in _indexes) Exec(_conn, _tx, definition);
        _indexes.Clear();
        return _written;
    }

    public Task<long> CompleteAsync() => Task.FromResult(Complete());

    public void Dispose() => _insert.Dispose();

    private static void Exec(SqliteConnection conn, SqliteTransaction? tx, string sql)
    {
        using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandTimeout = 0;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
