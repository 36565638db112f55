using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Jiceng.Web.Tests.Infrastructure;

public static class Http
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, body);
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public static Task<JsonElement> GetJsonAsync(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK) =>
        client.GetAsync(url).ContinueWith(t => t.Result.JsonAsync(expected)).Unwrap();

    public static async Task<JsonElement> PostJsonAsync(this HttpClient client, string url, object body, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await client.PostAsJsonAsync(url, body)).JsonAsync(expected);

    public static async Task<JsonElement> PutJsonAsync(this HttpClient client, string url, object body, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await client.PutAsJsonAsync(url, body)).JsonAsync(expected);

    /// <summary>Asserts an RFC 9457 problem in Chinese and returns it.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = await response.JsonAsync(expected);
        problem.GetProperty("title").GetString().ShouldNotBeNull().ShouldMatch(@"\p{IsCJKUnifiedIdeographs}");
        return problem;
    }

    public static string FieldError(this JsonElement problem, string field) =>
        problem.GetProperty("errors").GetProperty(field)[0].GetString().ShouldNotBeNull();

    public static Guid Id(this JsonElement e) => e.GetProperty("id").GetGuid();
}
