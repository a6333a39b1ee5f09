using System.Net;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Control;

/// <summary><c>Mock:Admin:Enabled=false</c> removes the control API; the OpenAI routes stay.</summary>
public sealed class AdminDisabledTests(AdminDisabledTests.Server server) : IClassFixture<AdminDisabledTests.Server>
{
    public sealed class Server() : MockServerFactory(new Dictionary<string, string?> { ["Mock:Admin:Enabled"] = "false" });

    private readonly ApiClient api = server.Api();

    [Theory]
    [InlineData("GET", "/_mock/clock")]
    [InlineData("POST", "/_mock/clock/advance")]
    [InlineData("POST", "/_mock/reset")]
    [InlineData("GET", "/_mock/runs")]
    [InlineData("POST", "/_mock/runs/run_abc/transition")]
    public async Task Control_routes_answer_404(string method, string path)
    {
        var response = await api.Send(new HttpMethod(method), path, method == "POST" ? """{"seconds": 1, "status": "queued"}""" : null);
        var error = response.Error(HttpStatusCode.NotFound);
        Assert.Equal($"Invalid URL ({method} {path})", error.Str("message"));
    }

    [Fact]
    public async Task A_reset_is_not_performed()
    {
        var assistant = await api.CreateAssistant();
        (await api.Post("/_mock/reset")).Error(HttpStatusCode.NotFound);
        (await api.Get($"/v1/assistants/{assistant}")).Ok();
    }

    [Fact]
    public async Task The_openai_routes_still_work()
    {
        var (_, thread, run) = await api.StartRun();
        Assert.Equal("queued", (await api.GetRun(thread, run)).Status());
    }
}
