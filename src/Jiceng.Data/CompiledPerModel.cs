using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Jiceng.Data;

/// <summary>
/// A compiled query (EF.CompileAsyncQuery) for each model it meets. EF binds a compiled query to the first model it
/// runs with and refuses any other, and one process may hold more than one model: the SQLite and the PostgreSQL
/// model differ (naming, collations), and the tests run both side by side. Compiling once per model keeps the saving
/// (no LINQ translation per call) without that limit.
/// </summary>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = new();

    public TQuery For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}
