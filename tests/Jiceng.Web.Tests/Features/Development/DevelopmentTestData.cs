using Jiceng.Domain.Members;
using Jiceng.Domain.Organizations;
using Jiceng.Domain.Security;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Tests.Features.Development;

/// <summary>What the development tests share: today in China, fresh valid ID numbers, and a branch to apply in.</summary>
internal static class DevelopmentTestData
{
    private static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static int _seq;

    public static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, China).DateTime);

    /// <summary>A valid ID number born on <paramref name="birth"/>; each test class passes its own region code, so the
    /// classes' numbers never meet.</summary>
    public static string NewIdNumber(string region, DateOnly birth) =>
        IdCardNumber.Complete($"{region}{birth:yyyyMMdd}{Interlocked.Increment(ref _seq) % 1000:D3}");

    /// <summary>A grid branch of the caller's community with the most full members in normal status.</summary>
    public static async Task<Guid> BranchAsync(JicengApp app, HttpClient client)
    {
        var community = (await client.GetJsonAsync("/api/v1/auth/me")).GetProperty("scopes")[0].GetProperty("organizationId").GetGuid();
        await using var db = app.OpenDb();
        var path = await db.Organizations.Where(o => o.Id == community).Select(o => o.Path).SingleAsync();
        return await db.Organizations.Where(o => o.Path.StartsWith(path) && o.Kind == OrganizationKind.GridBranch && o.Status == OrganizationStatus.Active)
            .OrderByDescending(o => db.Members.Count(m => m.OrganizationId == o.Id && m.State == MemberState.Full && m.Status == MemberStatus.Normal))
            .Select(o => o.Id).FirstAsync();
    }
}
