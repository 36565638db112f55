using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Jiceng.Data.Migrations.Sqlite;

/// <summary>Lets `dotnet ef` build the SQLite model without starting the web app.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<JicengDbContext>
{
    public JicengDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<JicengDbContext>();
        JicengDatabase.Configure(options, DatabaseProvider.Sqlite, "Data Source=design-time.db");
        return new JicengDbContext(options.Options);
    }
}
