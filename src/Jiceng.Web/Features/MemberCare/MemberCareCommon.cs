using System.Security.Claims;
using Jiceng.Data;
using Jiceng.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Features.MemberCare;

/// <summary>A date-bounded, paged list query shared by the member-care lists.</summary>
public sealed record CareQuery(Guid? OrgId = null, int Page = 1, int PageSize = Paging.DefaultPageSize);

internal static class MemberCareCommon
{
    public const string MemberNotFound = "党员不存在或不在您的管理范围内";

    /// <summary>The path of an organization the caller can see; null when it is missing or out of scope.</summary>
    public static Task<string?> PathOfAsync(JicengDbContext db, Guid orgId, CancellationToken ct) =>
        db.Organizations.AsNoTracking().Where(o => o.Id == orgId).Select(o => o.Path).FirstOrDefaultAsync(ct);

    /// <summary>Who confirms a record: the signed-in staff member's name, never a typed value.</summary>
    public static async Task<string> StaffNameAsync(this CurrentUser user)
    {
        var p = await user.GetPrincipalAsync();
        var name = p.FindFirstValue("display_name") is { Length: > 0 } d ? d : p.Identity?.Name ?? "";
        return name.Length > 100 ? name[..100] : name;
    }

    public static FieldErrors CheckPaging(int page, int pageSize) => Paging.Check(page, pageSize);

    /// <summary>Completed months between two dates (for display: "已 N 个月未联系").</summary>
    public static int MonthsBetween(DateOnly from, DateOnly to)
    {
        if (to < from) return 0;
        var months = (to.Year - from.Year) * 12 + to.Month - from.Month;
        if (from.AddMonths(months) > to) months--;
        return months;
    }
}
