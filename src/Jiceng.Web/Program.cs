using System.Globalization;
using Jiceng.Web.Components;
using Jiceng.Web.Features.Alerts;
using Jiceng.Web.Features.Audit;
using Jiceng.Web.Features.Home;
using Jiceng.Web.Features.Identity;
using Jiceng.Web.Features.Members;
using Jiceng.Web.Features.MemberCare;
using Jiceng.Web.Features.MemberLedger;
using Jiceng.Web.Features.Organizations;
using Jiceng.Web.Features.Settings;
using Jiceng.Web.Infrastructure;
using Scalar.AspNetCore;
using Serilog;

var zh = CultureInfo.GetCultureInfo("zh-CN");
CultureInfo.DefaultThreadCurrentCulture = zh;
CultureInfo.DefaultThreadCurrentUICulture = zh;

var isVerb = Cli.IsVerb(args);
var builder = WebApplication.CreateBuilder(args);
builder.Host.UseSerilog((ctx, lc) => lc
    .ReadFrom.Configuration(ctx.Configuration)
    .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
    .MinimumLevel.Override("Microsoft.EntityFrameworkCore", Serilog.Events.LogEventLevel.Warning)
    .WriteTo.Console(formatProvider: CultureInfo.InvariantCulture));
builder.AddJiceng();
var app = builder.Build();

if (isVerb) return await Cli.RunAsync(app.Services, args);

app.Logger.LogInformation("{Runtime:l}", RuntimeSettings.Describe());

try
{
    await app.PrepareDatabaseAsync();
}
catch (InvalidOperationException e) when (e.Message.Contains("Jiceng:"))
{
    // A configuration mistake: say what is missing, without a stack trace.
    Console.Error.WriteLine(e.Message);
    return 1;
}

app.UseForwardedHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestLocalization("zh-CN");
app.UseSerilogRequestLogging(o => o.GetLevel = (ctx, _, ex) => ex is not null || ctx.Response.StatusCode >= 500
    ? Serilog.Events.LogEventLevel.Error : Serilog.Events.LogEventLevel.Debug);
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.UseRateLimiter();

app.MapStaticAssets();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapScalarApiReference("/docs", o => o.WithTitle("基层党建与治理平台 API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
app.MapGet("/health", async (ScopedDbFactory dbs, CancellationToken ct) =>
{
    await using var db = await dbs.CreateUnrestrictedAsync(ct);
    return await db.Database.CanConnectAsync(ct)
        ? Results.Ok(new { status = "healthy" })
        : Results.Problem(title: "数据库不可用", statusCode: 503);
}).AllowAnonymous().ExcludeFromDescription();

app.MapAuthEndpoints();
app.MapAccountFormEndpoints();
app.MapUserEndpoints();
app.MapOrganizationEndpoints();
app.MapAuditEndpoints();
app.MapAlertEndpoints();
app.MapHomeEndpoints();
app.MapSettingsEndpoints();
app.MapMemberEndpoints();
Jiceng.Web.Features.Transfers.TransferEndpoints.MapTransferEndpoints(app);
app.MapMemberCareEndpoints();
app.MapMemberLedgerEndpoints();
Jiceng.Web.Features.Development.DevelopmentEndpoints.MapDevelopmentEndpoints(app);
Jiceng.Web.Features.Dues.DuesEndpoints.MapDuesEndpoints(app);
Jiceng.Web.Features.OrganizationalLife.OrgLifeEndpoints.MapOrgLifeEndpoints(app);
Jiceng.Web.Features.Cases.CaseEndpoints.MapCaseEndpoints(app);
Jiceng.Web.Features.Grids.GridEndpoints.MapGridEndpoints(app);

app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();
return 0;

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
