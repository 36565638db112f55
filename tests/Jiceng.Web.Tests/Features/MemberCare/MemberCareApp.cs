using Jiceng.Data.Identity;
using Jiceng.Domain.Members;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Jiceng.Web.Tests.Features.MemberCare;

/// <summary>The demo district on a clock that starts on a fixed date (2026-12-20, Asia/Shanghai), so
/// the anniversary window's New Year wrap and a common year's Feb 28 can be reached by moving it
/// forward. Every other test computes its dates from <see cref="Today"/>.</summary>
public abstract class MemberCareApp(TestDatabase database) : JicengApp(database)
{
    public static readonly DateTimeOffset Start = new(2026, 12, 20, 2, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public FakeTimeProvider Time { get; } = new(Start);

    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Time.GetUtcNow(), Shanghai).DateTime);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Time));
    }

    /// <summary>The organization a demo account is bound to.</summary>
    public async Task<Guid> OrgOfAsync(string userName)
    {
        await using var db = OpenDb();
        var userId = await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
        return await db.RoleAssignments.Where(a => a.UserId == userId).Select(a => a.OrganizationId).FirstAsync();
    }

    public async Task<AppUser> UserAsync(string userName)
    {
        await using var db = OpenDb();
        return await db.Users.AsNoTracking().SingleAsync(u => u.UserName == userName);
    }

    /// <summary>A member written straight to the database (the registry's own API is tested elsewhere).</summary>
    public async Task<Member> AddMemberAsync(Guid orgId, string name, DateOnly joinedOn, Occupation occupation = Occupation.Employed)
    {
        await using var db = OpenDb();
        var now = Time.GetUtcNow();
        var m = new Member
        {
            Id = Guid.NewGuid(), OrganizationId = orgId, Name = name, NameInitials = PinyinInitials.Of(name), Gender = Gender.Female,
            BirthDate = joinedOn.AddYears(-25), IdNumberCipher = "sm4gcm:test", IdNumberHash = Guid.NewGuid().ToString("N"), IdNumberMasked = "110105********0000",
            Occupation = occupation, State = MemberState.Full, JoinedOn = joinedOn, JoinedMonthDay = joinedOn.Month * 100 + joinedOn.Day,
            FullMemberOn = joinedOn.AddYears(1), Status = MemberStatus.Normal, CreatedAt = now, UpdatedAt = now,
        };
        db.Members.Add(m);
        await db.SaveChangesAsync();
        return m;
    }
}

public sealed class MemberCareSqliteApp() : MemberCareApp(TestDatabase.Sqlite);

public sealed class MemberCarePostgresApp() : MemberCareApp(TestDatabase.Postgres);
