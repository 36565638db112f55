using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Jiceng.Data.Migrations.Postgres;

/// <summary>Lets `dotnet ef` build the PostgreSQL model without a server (no connection is opened).</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<JicengDbContext>
{
    public JicengDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<JicengDbContext>();
        JicengDatabase.Configure(options, DatabaseProvider.Postgres, "Host=127.0.0.1;Database=jiceng_design");
        return new JicengDbContext(options.Options);
    }
}
