using System.Security.Cryptography;
using System.Text.Json.Serialization;
using BootstrapBlazor.Components;
using Jiceng.Data;
using Jiceng.Data.Identity;
using Jiceng.Data.Protection;
using Jiceng.Domain.Organizations;
using Jiceng.Web.Features.Alerts;
using Jiceng.Web.Features.Demo;
using Jiceng.Web.Features.Home;
using Jiceng.Web.Features.Identity;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Features.Settings;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Jiceng.Web.Infrastructure;

public static class ServiceSetup
{
    public static WebApplicationBuilder AddJiceng(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        var isProduction = builder.Environment.IsProduction();
        services.AddOptions<JicengOptions>().Bind(config.GetSection("Jiceng")).PostConfigure(o =>
        {
            // Demo mode is on by default in Development and can never be on in Production.
            o.DemoMode = !isProduction && (config["Jiceng:DemoMode"] is { } v ? bool.Parse(v) : builder.Environment.IsDevelopment());
            o.DataDirectory = Path.GetFullPath(o.DataDirectory, builder.Environment.ContentRootPath);
        });
        var options = new JicengOptions();
        config.GetSection("Jiceng").Bind(options);
        var dataDir = Path.GetFullPath(options.DataDirectory, builder.Environment.ContentRootPath);
        var demo = !isProduction && (config["Jiceng:DemoMode"] is { } dm ? bool.Parse(dm) : builder.Environment.IsDevelopment());

        // Database
        var provider = JicengDatabase.ParseProvider(config["Database:Provider"]);
        var connectionString = config.GetConnectionString("Jiceng");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == DatabaseProvider.Postgres) throw new InvalidOperationException("Database:Provider=Postgres needs ConnectionStrings:Jiceng");
            Directory.CreateDirectory(dataDir);
            connectionString = $"Data Source={Path.Combine(dataDir, "jiceng.db")};Default Timeout=30";
        }
        // The concurrent-use check stays on where code is written and tested; see JicengDatabase.Configure.
        var threadSafetyChecks = config["Database:ThreadSafetyChecks"] is { } tsc ? bool.Parse(tsc)
            : builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing");
        JicengContextFactory.AddJicengContexts(services, o => JicengDatabase.Configure(o, provider, connectionString, threadSafetyChecks));
        // Identity's stores use a plain context: it sees no scoped data, and audits as the caller.
        services.AddScoped(sp =>
        {
            var db = sp.GetRequiredService<IDbContextFactory<JicengDbContext>>().CreateDbContext();
            db.Clock = sp.GetRequiredService<TimeProvider>();
            var http = sp.GetRequiredService<IHttpContextAccessor>().HttpContext;
            if (http?.User.Identity?.IsAuthenticated == true)
                db.Actor = new Data.Scope.AuditActor(http.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value, http.User.Identity.Name,
                    string.Join(",", http.User.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => c.Value)), http.Connection.RemoteIpAddress?.ToString());
            return db;
        });

        // Keys
        // Resolved lazily so that `migrate` runs without the key; the server resolves it at start (fail fast).
        services.AddSingleton(_ => new FieldProtector(LoadProtectionKey(config, dataDir, demo)));
        services.AddDataProtection().SetApplicationName("Jiceng").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDir, "keys", "dataprotection")));

        services.TryAddTimeProvider();
        services.AddHttpContextAccessor();
        services.AddScoped<CircuitActivity>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<CircuitActivity>());
        services.AddScoped<CurrentUser>();
        services.AddScoped<ScopedDbFactory>();
        services.AddJicengAuth();
        services.AddScoped<LoginService>();
        services.AddScoped<AccountService>();
        services.AddScoped<OrganizationService>();
        services.AddScoped<SettingsService>();
        services.AddScoped<OverviewService>();
        services.AddSingleton<ProtectedFieldReveal>();
        services.AddSingleton<ReportGate>();
        services.AddSingleton<Features.Dues.DuesLedgerCache>();
        services.AddScoped<AlertEngine>();
        services.AddScoped<IAlertRuleSet, OrganizationAlertRules>();
        services.AddSingleton<IMemberCountSource, Features.Members.MemberRegistryCounts>();
        services.AddScoped<Features.Members.MemberService>();
        services.AddScoped<Features.Members.MemberTimelineService>();
        services.AddScoped<IAlertRuleSet, Features.Members.SuspensionAlertRules>();
        services.AddScoped<Features.Transfers.TransferService>();
        services.AddScoped<IAlertRuleSet, Features.Transfers.TransferAlertRules>();
        services.AddScoped<Features.MemberCare.MobileMemberService>();
        services.AddScoped<Features.MemberCare.DualRegistrationService>();
        services.AddScoped<Features.MemberCare.PointService>();
        services.AddScoped<Features.MemberCare.AnniversaryService>();
        services.AddScoped<Features.MemberCare.SelfService>();
        services.AddScoped<IAlertRuleSet, Features.MemberCare.MobileMemberAlertRules>();
        services.AddScoped<Features.MemberLedger.MemberImportService>();
        services.AddScoped<Features.MemberLedger.MemberExportService>();
        services.AddScoped<Features.Development.DevelopmentService>();
        services.AddScoped<IAlertRuleSet, Features.Development.DevelopmentAlertRules>();
        services.AddScoped<Features.Dues.DuesService>();
        services.AddScoped<Features.Dues.DuesPaymentService>();
        services.AddScoped<Features.Dues.DuesLedgerService>();
        services.AddScoped<IAlertRuleSet, Features.Dues.DuesArrearsAlertRules>();
        services.AddScoped<IAlertRuleSet, Features.Dues.DuesPaidAfterLeavingAlertRules>();
        services.AddScoped<IdempotencyStore>();
        // The fake provider serves the demo and the tests; Production plugs in a real IPaymentProvider.
        if (!isProduction)
        {
            services.AddSingleton<Features.Dues.FakePaymentProvider>();
            services.AddSingleton<Features.Dues.IPaymentProvider>(sp => sp.GetRequiredService<Features.Dues.FakePaymentProvider>());
        }
        services.AddScoped<Features.OrganizationalLife.OrgLifeAlertRules>();
        services.AddScoped<IAlertRuleSet>(sp => sp.GetRequiredService<Features.OrganizationalLife.OrgLifeAlertRules>());
        services.AddScoped<Features.OrganizationalLife.ActivityService>();
        services.AddScoped<Features.OrganizationalLife.ActivityAttachmentService>();
        services.AddScoped<Features.OrganizationalLife.CalendarService>();
        services.AddScoped<Features.OrganizationalLife.AppraisalService>();
        Features.Cases.CaseEndpoints.AddCases(services, config);
        if (config.GetValue("Jiceng:BackgroundJobs", true)) services.AddHostedService<AlertJob>();

        // Behind a reverse proxy the client address (for the audit trail) comes from X-Forwarded-For,
        // but only from the proxies listed in Jiceng:TrustedProxies; nobody else can forge it.
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var ip in (config["Jiceng:TrustedProxies"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                o.KnownProxies.Add(System.Net.IPAddress.Parse(ip));
        });

        // HTTP conventions
        services.AddProblemDetails();
        services.AddExceptionHandler<JicengExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOpenApi();
        services.AddAntiforgery();

        // UI
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddBootstrapBlazor(o => o.DefaultCultureInfo = "zh-CN");
        services.AddCascadingAuthenticationState();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, RevalidatingAuthState>();
        services.AddScoped<OrgFocus>();
        return builder;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }

    /// <summary>The master key for protected fields: configuration or JICENG_PROTECTION_KEY; in demo mode
    /// generated once into the data folder. Production without a key refuses to start.</summary>
    private static byte[] LoadProtectionKey(IConfiguration config, string dataDir, bool demo)
    {
        var configured = config["Jiceng:ProtectionKey"] ?? Environment.GetEnvironmentVariable("JICENG_PROTECTION_KEY");
        if (!string.IsNullOrWhiteSpace(configured)) return Convert.FromBase64String(configured.Trim());
        if (!demo) throw new InvalidOperationException("缺少敏感字段加密主密钥：请设置 Jiceng:ProtectionKey 或环境变量 JICENG_PROTECTION_KEY（32字节的Base64）");
        var file = Path.Combine(dataDir, "keys", "protection.key");
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return Convert.FromBase64String(File.ReadAllText(file).Trim());
    }

    /// <summary>Applies migrations and, in demo mode with an empty database, writes the demo district.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        var sp = scope.ServiceProvider;
        var options = sp.GetRequiredService<IOptions<JicengOptions>>().Value;
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Jiceng.Startup");
        sp.GetRequiredService<FieldProtector>();
        await using var db = await sp.GetRequiredService<ScopedDbFactory>().CreateUnrestrictedAsync();
        await MigrateAsync(db);
        if (!options.DemoMode)
        {
            // A database first started in demo mode keeps demo accounts with a published password:
            // outside demo mode they are switched off.
            var disabled = await db.Users.Where(u => u.UserName!.StartsWith("demo-") && !u.Disabled)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Disabled, true));
            if (disabled > 0) logger.LogWarning("非演示模式：已停用 {Count} 个演示账户", disabled);
            return;
        }
        var accounts = await DemoDistrictGenerator.SeedIfEmptyAsync(db, sp.GetRequiredService<UserManager<AppUser>>(),
            sp.GetRequiredService<FieldProtector>(), sp.GetRequiredService<TimeProvider>(), options.DemoScale, CancellationToken.None, options.DemoMemberScale);
        if (accounts is not null)
        {
            await sp.GetRequiredService<AlertEngine>().RunAsync(CancellationToken.None);
            logger.LogInformation("演示区已生成：{Count} 个演示账户", accounts.Count);
        }
        var users = await db.Users.AsNoTracking().Where(u => u.UserName!.StartsWith("demo-")).OrderBy(u => u.UserName).Select(u => u.UserName).ToListAsync();
        if (users.Count > 0)
            System.Console.WriteLine($"演示模式 / demo mode — 演示账户（密码 {DemoDistrictGenerator.DemoPassword}）: {string.Join(", ", users)}");
    }

    public static async Task MigrateAsync(JicengDbContext db)
    {
        await db.Database.MigrateAsync();
        if (!db.IsPostgres) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        // Cases entered before the rates had month counts (or loaded around SaveChanges) get them once.
        if (!await db.CaseCountMonths.AnyAsync() && !await db.CaseCountDeltas.AnyAsync() && await db.Cases.IgnoreQueryFilters().AnyAsync())
            await Features.Cases.CaseCountStore.RebuildAsync(db, CancellationToken.None, onlyIfMissing: true);
    }
}
