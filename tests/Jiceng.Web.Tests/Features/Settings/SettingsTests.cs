using System.Net;
using System.Net.Http.Json;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Tests.Features.Settings;

public sealed class SettingsTests_Sqlite(SqliteApp app) : SettingsTests(app), IClassFixture<SqliteApp>;

public sealed class SettingsTests_Postgres(PostgresApp app) : SettingsTests(app), IClassFixture<PostgresApp>;

public abstract class SettingsTests(JicengApp app)
{
    [Fact]
    public async Task System_administrator_changes_a_setting_within_its_range_and_it_is_audited()
    {
        var system = await app.LoginAsync("demo-sysadmin");
        var list = await system.GetJsonAsync("/api/v1/settings");
        var letter = list.EnumerateArray().Single(s => s.GetProperty("key").GetString() == "transfer.letterValidMonths");
        letter.GetProperty("value").GetInt32().ShouldBe(3);
        letter.GetProperty("default").GetInt32().ShouldBe(3);

        var tooBig = await (await system.PutAsJsonAsync("/api/v1/settings/transfer.letterValidMonths", new { value = 7 })).ProblemAsync(HttpStatusCode.BadRequest);
        tooBig.FieldError("value").ShouldBe("组织关系介绍信有效期须在1到6月之间");
        await (await system.PutAsJsonAsync("/api/v1/settings/no.such.key", new { value = 1 })).ProblemAsync(HttpStatusCode.NotFound);

        var changed = await system.PutJsonAsync("/api/v1/settings/transfer.letterValidMonths", new { value = 2 });
        changed.GetProperty("value").GetInt32().ShouldBe(2);
        changed.GetProperty("updatedBy").GetString().ShouldBe("demo-sysadmin");

        await using var db = app.OpenDb();
        var audit = await db.AuditEntries.Where(a => a.Action == "setting.change").OrderBy(a => a.At).ThenBy(a => a.Sequence).LastAsync();
        audit.EntityId.ShouldBe("transfer.letterValidMonths");
        audit.UserName.ShouldBe("demo-sysadmin");
        audit.Changes.ShouldNotBeNull().ShouldContain("\"Value\":[null,2]");
    }

    [Fact]
    public async Task Other_roles_cannot_change_settings()
    {
        var district = await app.LoginAsync("demo-district");
        await (await district.PutAsJsonAsync("/api/v1/settings/org.termWarningDays", new { value = 30 })).ProblemAsync(HttpStatusCode.Forbidden);
    }
}
