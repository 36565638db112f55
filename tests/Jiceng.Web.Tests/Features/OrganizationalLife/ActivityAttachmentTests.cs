using System.Net;
using System.Net.Http.Headers;
using Jiceng.Web.Features.OrganizationalLife;
using Jiceng.Web.Tests.Features.MemberCare;
using Jiceng.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Jiceng.Web.Tests.Features.OrganizationalLife;

public sealed class ActivityAttachmentTests_Sqlite(MemberCareSqliteApp app) : ActivityAttachmentTests(app), IClassFixture<MemberCareSqliteApp>;

public sealed class ActivityAttachmentTests_Postgres(MemberCarePostgresApp app) : ActivityAttachmentTests(app), IClassFixture<MemberCarePostgresApp>;

/// <summary>Optional activity attachments: type and size limits, nothing stored on refusal, scoped and audited download.</summary>
public abstract class ActivityAttachmentTests(MemberCareApp app)
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];

    private static MultipartFormDataContent File(byte[] content, string name)
    {
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(part, "file", name);
        return form;
    }

    [Fact]
    public async Task An_attachment_is_stored_by_its_real_type_and_bad_or_large_files_store_nothing()
    {
        var community = await app.LoginAsync("demo-community");
        var parent = await app.OrgOfAsync("demo-community");
        var branch = (await community.PostJsonAsync("/api/v1/orgs", new { name = "附件测试网格党支部", kind = "GridBranch", parentId = parent }, HttpStatusCode.Created)).Id();
        var m = await app.AddMemberAsync(branch, "附件测试甲", new DateOnly(2006, 7, 1));
        // Recorded without any attachment: never required.
        var activity = (await community.PostJsonAsync("/api/v1/activities", new
        {
            organizationId = branch, kind = "ThemeDay", date = app.Today.ToString("yyyy-MM-dd"), place = "党群服务中心", topic = "主题党日", host = "王书记",
            attendance = new[] { new { memberId = m.Id, status = "Present" } },
        }, HttpStatusCode.Created)).Id();
        var url = $"/api/v1/activities/{activity}/attachments";

        var tooLarge = new byte[ActivityAttachmentService.MaxBytes + 1];
        Png.CopyTo(tooLarge, 0);
        (await (await community.PostAsync(url, File(tooLarge, "big.png"))).ProblemAsync(HttpStatusCode.BadRequest)).FieldError("file").ShouldBe("附件不能超过5MB");
        (await (await community.PostAsync(url, File("not an image"u8.ToArray(), "x.png"))).ProblemAsync(HttpStatusCode.BadRequest))
            .FieldError("file").ShouldBe("附件须为JPEG、PNG、WebP图片或PDF文件");
        await using (var db = app.OpenDb())
            (await db.ActivityAttachments.CountAsync(a => a.ActivityId == activity)).ShouldBe(0);

        var created = await (await community.PostAsync(url, File(Png, "会议照片.png"))).JsonAsync(HttpStatusCode.Created);
        created.GetProperty("contentType").GetString().ShouldBe("image/png");
        var pdf = await (await community.PostAsync(url, File("%PDF-1.4 minutes"u8.ToArray(), "会议记录.pdf"))).JsonAsync(HttpStatusCode.Created);
        pdf.GetProperty("contentType").GetString().ShouldBe("application/pdf");
        (await community.GetJsonAsync(url)).GetArrayLength().ShouldBe(2);

        var download = await community.GetAsync($"{url}/{created.Id()}");
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(Png);
        await using (var db = app.OpenDb())
            (await db.AuditEntries.CountAsync(a => a.Action == "activity.attachment.download" && a.EntityId == created.Id().ToString())).ShouldBe(1);

        // An activity of a branch in another street (recorded by the district): 404 for the list, the upload and the download.
        var district = await app.LoginAsync("demo-district");
        var street = await app.OrgOfAsync("demo-street");
        Guid otherStreet;
        await using (var db = app.OpenDb())
        {
            var s = await db.Organizations.Where(o => o.Id == street).Select(o => new { o.Path, o.ParentId }).SingleAsync();
            otherStreet = await db.Organizations.Where(o => o.ParentId == s.ParentId && o.Id != street).Select(o => o.Id).FirstAsync();
        }
        var foreignBranch = (await district.PostJsonAsync("/api/v1/orgs", new { name = "附件范围测试网格党支部", kind = "GridBranch", parentId = otherStreet }, HttpStatusCode.Created)).Id();
        var fm = await app.AddMemberAsync(foreignBranch, "附件范围测试甲", new DateOnly(2006, 7, 1));
        var foreignActivity = (await district.PostJsonAsync("/api/v1/activities", new
        {
            organizationId = foreignBranch, kind = "ThemeDay", date = app.Today.ToString("yyyy-MM-dd"), place = "党群服务中心", topic = "主题党日", host = "李书记",
            attendance = new[] { new { memberId = fm.Id, status = "Present" } },
        }, HttpStatusCode.Created)).Id();
        var foreignFile = await (await district.PostAsync($"/api/v1/activities/{foreignActivity}/attachments", File(Png, "x.png"))).JsonAsync(HttpStatusCode.Created);
        var streetUser = community;
        (await streetUser.GetAsync($"/api/v1/activities/{foreignActivity}/attachments")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await streetUser.PostAsync($"/api/v1/activities/{foreignActivity}/attachments", File(Png, "x.png"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await streetUser.GetAsync($"/api/v1/activities/{foreignActivity}/attachments/{foreignFile.Id()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await using (var db = app.OpenDb())
            (await db.ActivityAttachments.CountAsync(a => a.ActivityId == foreignActivity)).ShouldBe(1);
    }
}
