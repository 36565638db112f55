using System.Diagnostics;
using System.Text.Json;
using Jiceng.Data;
using Jiceng.Data.Identity;
using Jiceng.Data.Protection;
using Jiceng.Data.Scope;
using Jiceng.Domain.Identity;
using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Demo;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Jiceng.Bench;

/// <summary>
/// Fills a PostgreSQL database or a SQLite file with the demo district at a scale (scale 33.4 ≈ a city of 500,000
/// members): organizations and members in bulk (<see cref="BulkTarget"/>: binary COPY, or prepared INSERTs on SQLite),
/// the demo accounts through Identity exactly as the app's demo seeding does. One transaction, so a database is either
/// fully loaded or empty.
/// </summary>
public static partial class Loader
{
    public sealed record Options(double Scale, string Connection, byte[] ProtectionKey, string? OutJson, DatabaseProvider Provider = DatabaseProvider.Postgres);

    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        // No command timeout: completing a COPY of millions of rows (and rebuilding indexes) takes minutes, and raw
        // Npgsql commands and importers do not see EF's SetCommandTimeout.
        o = o with
        {
            Connection = o.Provider == DatabaseProvider.Postgres
                ? new NpgsqlConnectionStringBuilder(o.Connection) { CommandTimeout = 0 }.ConnectionString
                : new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(o.Connection) { DefaultTimeout = 600, Pooling = false }.ConnectionString,
        };
        var total = Stopwatch.StartNew();
        var services = new ServiceCollection()
            .AddLogging()
            .AddDbContext<JicengDbContext>(b => JicengDatabase.Configure(b, o.Provider, o.Connection));
        // Identity's defaults are what the app uses for hashing and name normalization (Auth.cs changes neither).
        services.AddIdentityCore<AppUser>().AddEntityFrameworkStores<JicengDbContext>();
        await using var sp = services.BuildServiceProvider();
        await using var scope = sp.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<JicengDbContext>();
        db.Scope = DataScope.Unrestricted;
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));

        var step = Stopwatch.StartNew();
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Count();
        await db.Database.MigrateAsync(ct);
        Console.WriteLine($"migrations applied in {step.Elapsed.TotalSeconds:F1} s");
        var target = BulkTarget.For(db, o.Provider, o.Connection);
        await target.PrepareAsync(ct);

        var expected = (int)Math.Round(15000 * o.Scale);
        var orgCount = await db.Organizations.IgnoreQueryFilters().CountAsync(ct);
        var memberCount = await db.Members.IgnoreQueryFilters().CountAsync(ct);
        var hasAccounts = await db.Users.AnyAsync(u => u.UserName == "demo-district", ct);
        var stats = new Dictionary<string, object?> { ["scale"] = o.Scale, ["expectedMembers"] = expected, ["database"] = target.Name };
        if (orgCount > 0)
        {
            // The organizations the generator makes at this scale (in memory, a second at the city's size): a database loaded
            // by an earlier shape of the generator is not reused.
            var expectedOrgs = new DemoDistrictGenerator(scale: o.Scale).Generate(TimeProvider.System.GetUtcNow()).Organizations.Count;
            if (memberCount != expected || orgCount != expectedOrgs || !hasAccounts)
            {
                Console.Error.WriteLine($"The database already holds {orgCount} organizations and {memberCount} members, not the {expectedOrgs} organizations and {expected} members of scale {o.Scale}"
                    + (hasAccounts ? "" : " and no demo accounts") + (o.Provider == DatabaseProvider.Postgres ? ". Drop the database to load it again." : ". Delete the file to load it again."));
                return 2;
            }
            Console.WriteLine($"reusing the loaded data: {orgCount} organizations, {memberCount} members");
            stats["reused"] = true;
            if (pending > 0)
            {
                // A migration may have rewritten a table (a stored generated column does, so does filling a new column):
                // fresh statistics and visibility map, or index-only scans read the heap and the first scenarios measure
                // that. The whole database: pages no migration touched are skipped as all-visible.
                step.Restart();
                await target.AnalyzeAsync(ct);
                Console.WriteLine($"{pending} new migration(s): analyze (PostgreSQL: vacuum analyze) in {step.Elapsed.TotalSeconds:F1} s");
            }
        }
        else
        {
            stats["reused"] = false;
            var protector = new FieldProtector(o.ProtectionKey);
            var now = TimeProvider.System.GetUtcNow();

            step.Restart();
            var district = new DemoDistrictGenerator(scale: o.Scale).Generate(now);
            var members = new DemoDistrictGenerator(scale: o.Scale).GenerateMembers(district.Organizations, protector, now);
            // As DemoDistrictGenerator.SeedIfEmptyAsync: demo-member's own record sits in the grid branch the account is bound to.
            var memberOrg = district.Accounts.Single(a => a.Role == Roles.Member).OrganizationId;
            if (!members.Any(m => m.OrganizationId == memberOrg && m.Status == MemberStatus.Normal))
                members.First(m => m.Status == MemberStatus.Normal).OrganizationId = memberOrg;
            stats["generateSeconds"] = Round(step.Elapsed.TotalSeconds);
            Console.WriteLine($"generated {district.Organizations.Count} organizations and {members.Count} members in {step.Elapsed.TotalSeconds:F1} s");

            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                step.Restart();
                var orgs = await target.CopyAsync(district.Organizations, ct);
                stats["copyOrganizationsSeconds"] = Round(step.Elapsed.TotalSeconds);
                Console.WriteLine($"copied {orgs} organizations in {step.Elapsed.TotalSeconds:F1} s");
                step.Restart();
                var copied = await target.CopyAsync(members, ct);
                stats["copyMembersSeconds"] = Round(step.Elapsed.TotalSeconds);
                Console.WriteLine($"copied {copied} members (indexes rebuilt) in {step.Elapsed.TotalSeconds:F1} s");

                step.Restart();
                var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
                AddDemoAccounts(db, users, protector, district, members, now);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                Console.WriteLine($"demo accounts written in {step.Elapsed.TotalSeconds:F1} s");
            }

            step.Restart();
            // Fresh statistics and a set visibility map, as autovacuum would reach after a while;
            // without them the planner guesses and index-only scans read the heap.
            await target.AnalyzeAsync(ct, typeof(Organization), typeof(Member));
            // The name-character table, filled by its trigger during the members' copy (ADR 010): read index-only.
            if (db.IsPostgres) await target.AnalyzeAsync(ct, typeof(Jiceng.Data.Derived.MemberNameChar));
            stats["vacuumAnalyzeSeconds"] = Round(step.Elapsed.TotalSeconds);
            Console.WriteLine($"analyze in {step.Elapsed.TotalSeconds:F1} s");
            stats["memberLoadSeconds"] = Round(total.Elapsed.TotalSeconds);
        }

        // The other tables, each loaded once and reused after (one phase per feature, each in its own transactions).
        var world = new World(db, target, o, stats);
        await LoadCasesAsync(world, ct);
        await LoadCaseCountsAsync(world, ct);
        await LoadDuesAsync(world, ct);
        await LoadOrgLifeAsync(world, ct);
        stats["loadSeconds"] = Round(total.Elapsed.TotalSeconds);
        Console.WriteLine($"load (or reuse) time {total.Elapsed.TotalSeconds:F1} s");

        await target.AddSizesAsync(stats, ct);
        if (o.OutJson is not null)
            await File.WriteAllTextAsync(o.OutJson, JsonSerializer.Serialize(stats, new JsonSerializerOptions { WriteIndented = true }), ct);
        return 0;
    }

    /// <summary>The account half of <see cref="DemoDistrictGenerator.SeedIfEmptyAsync"/>, which also writes the
    /// organizations and members through EF batches (too slow at city scale) and so cannot be called here.</summary>
    private static void AddDemoAccounts(JicengDbContext db, UserManager<AppUser> users, FieldProtector protector,
        DemoDistrictGenerator.Result district, List<Member> members, DateTimeOffset now)
    {
        db.BulkLoad = true;
        var phoneRandom = new Random(7);
        foreach (var a in district.Accounts)
        {
            var user = new AppUser { Id = Guid.CreateVersion7(now).ToString(), UserName = a.UserName, DisplayName = a.DisplayName, CreatedAt = now };
            user.NormalizedUserName = users.NormalizeName(a.UserName);
            user.SecurityStamp = Guid.NewGuid().ToString("N");
            user.PasswordHash = users.PasswordHasher.HashPassword(user, DemoDistrictGenerator.DemoPassword);
            user.LockoutEnabled = true;
            var p = protector.Protect($"199{phoneRandom.Next(0, 99999999):D8}", ProtectedKind.Phone);
            (user.PhoneCipher, user.PhoneHash, user.PhoneMasked) = (p.Cipher, p.Hash, p.Masked);
            if (a.Role == Roles.Member)
                user.MemberId = members.First(m => m.OrganizationId == a.OrganizationId && m.Status == MemberStatus.Normal).Id;
            db.Users.Add(user);
            db.RoleAssignments.Add(new RoleAssignment { Id = Guid.CreateVersion7(now), UserId = user.Id, Role = a.Role, OrganizationId = a.OrganizationId });
        }
        var root = district.Organizations[0];
        db.Audit("demo.seed", "District", root.Id.ToString(), root.Id,
            details: new { organizations = district.Organizations.Count, members = members.Count, accounts = district.Accounts.Count, loader = "bench" });
    }

    private static double Round(double seconds) => Math.Round(seconds, 1);
}
