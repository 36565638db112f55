using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Jiceng.E2E;

/// <summary>
/// One running Jiceng.Web (a real separate process, Development environment, fresh data folder so the
/// demo district is generated) and one headless Debian chromium, shared by the tests of a class.
/// </summary>
public sealed class JicengApp : IAsyncLifetime
{
    public const string DemoPassword = "Jiceng@2026";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;
    private string? _dataDirectory;
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The repository root (the folder holding Jiceng.slnx).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>artifacts/ at the repository root, where screenshots go.</summary>
    public static string ArtifactsDirectory { get; } = Directory.CreateDirectory(Path.Combine(RepoRoot, "artifacts")).FullName;

    public async Task InitializeAsync()
    {
        var contentRoot = Path.Combine(RepoRoot, "src", "Jiceng.Web");
        var meta = typeof(JicengApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
        var webDll = Path.Combine(contentRoot, "bin", meta["JicengWebConfiguration"]!, meta["JicengWebTargetFramework"]!, "Jiceng.Web.dll");
        if (!File.Exists(webDll)) throw new FileNotFoundException($"Jiceng.Web 未构建：找不到 {webDll}", webDll);

        _dataDirectory = Directory.CreateTempSubdirectory("jiceng-e2e-").FullName;
        BaseAddress = new Uri($"http://127.0.0.1:{FreePort()}");

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = contentRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])[webDll, "--urls", BaseAddress.ToString().TrimEnd('/'), "--contentRoot", contentRoot,
                     $"--Jiceng:DataDirectory={_dataDirectory}", "--Jiceng:BackgroundJobs=false"])
            start.ArgumentList.Add(a);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await WaitForHealthAsync(TimeSpan.FromSeconds(90));

        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A fresh browser context (own cookies) at a desktop size, so the tree is not collapsed.</summary>
    public async Task<IPage> NewPageAsync(int width = 1366, int height = 768)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>API token of a demo account.</summary>
    public async Task<string> TokenAsync(string userName)
    {
        using var response = await Http.PostAsJsonAsync("/api/v1/auth/login", new { userName, password = DemoPassword });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"API 登录 {userName} 失败：{await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<TokenBody>();
        return body!.AccessToken;
    }

    /// <summary>An API request with a bearer token (from <see cref="TokenAsync"/>), the body as JSON.</summary>
    public async Task<HttpResponseMessage> ApiAsync(HttpMethod method, string url, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await Http.SendAsync(request);
    }

    /// <summary>GET /api/v1/orgs/tree?depth=1 as the given demo account.</summary>
    public async Task<List<OrgNode>> TreeAsync(string userName)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/orgs/tree?depth=1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(userName));
        using var response = await Http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<List<OrgNode>>())!;
    }

    /// <summary>The app's console output so far, for failure messages.</summary>
    public string Log => string.Join(Environment.NewLine, _log.TakeLast(200));

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        Http?.Dispose();
        if (_process is not null)
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                    await _process.WaitForExitAsync(cts.Token);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException) { }
            _process.Dispose();
        }
        if (_dataDirectory is not null)
        {
            try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private async Task WaitForHealthAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"Jiceng.Web 进程已退出（{_process.ExitCode}）：{Environment.NewLine}{Log}");
            try
            {
                using var response = await Http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{timeout.TotalSeconds} 秒内 /health 未返回 200：{Environment.NewLine}{Log}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Jiceng.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException($"从 {AppContext.BaseDirectory} 向上找不到 Jiceng.slnx");
    }

    private sealed record TokenBody([property: JsonPropertyName("accessToken")] string AccessToken);
}

public sealed record OrgNode(Guid Id, string Name, string? Kind, string? KindName, List<OrgNode>? Children)
{
    public IReadOnlyList<OrgNode> ChildNodes => Children ?? [];
}

/// <summary>All browser tests share one app process and one browser.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<JicengApp>
{
    public const string Name = "browser";
}
