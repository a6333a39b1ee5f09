#pragma warning disable OPENAI001
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using MockRunsServer.Tests.Infrastructure;
using OpenAI;
using OpenAI.Assistants;

namespace MockRunsServer.Tests.Faults;

/// <summary>
/// The official .NET SDK against injected faults, over a real socket: it retries 429 and 5xx
/// (and dropped connections) as it would against OpenAI, waiting at least what retry-after says.
/// (The .NET SDK reads Retry-After in seconds; retry-after-ms is what the node and python SDKs read.)
/// </summary>
public sealed class SdkRetryTests(KestrelMockServer server) : IClassFixture<KestrelMockServer>
{
    private readonly ApiClient api = server.Api();

    [Fact]
    public async Task The_SDK_retries_a_429_after_retry_after_and_succeeds()
    {
        var assistant = await api.CreateAssistant();
        (await api.Post("/_mock/faults/next", new { fault = "429", count = 1 })).Ok();
        var clock = Stopwatch.StartNew();

        var result = await Client().GetAssistantAsync(assistant);

        Assert.Equal(assistant, result.Value.Id);
        // The SDK waits with Task.Delay, whose timer may fire a fraction of a millisecond early by
        // the Stopwatch; 950 ms still tells retry-after (1 s) from the SDK's own first backoff (0.8 s).
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(950), $"The retry came after {clock.Elapsed}, before retry-after (1 s).");
        Assert.Equal([200, 429], await Statuses($"/v1/assistants/{assistant}"));
    }

    [Theory]
    [InlineData("500")]
    [InlineData("503")]
    [InlineData("drop")]
    public async Task The_SDK_retries_server_errors_and_dropped_connections_and_succeeds(string fault)
    {
        var assistant = await api.CreateAssistant();
        (await api.Post("/_mock/faults/next", new { fault, count = 1 })).Ok();

        var result = await Client().GetAssistantAsync(assistant);

        Assert.Equal(assistant, result.Value.Id);
        Assert.Equal(200, (await Statuses($"/v1/assistants/{assistant}"))[0]);
    }

    [Fact]
    public async Task A_retried_create_run_creates_exactly_one_run()
    {
        var assistant = await api.CreateAssistant();
        var thread = await api.CreateThread();
        (await api.Post("/_mock/faults/next", new { fault = "503", count = 1 })).Ok();

        var run = await Client().CreateRunAsync(thread, assistant);

        var runs = (await api.Get($"/v1/threads/{thread}/runs")).Ok().Json.GetProperty("data");
        Assert.Equal(run.Value.Id, Assert.Single(runs.EnumerateArray()).Str("id"));
    }

    [Fact]
    public async Task The_SDK_gives_up_with_the_429_when_the_faults_outlast_its_retries()
    {
        var assistant = await api.CreateAssistant();
        (await api.Post("/_mock/faults/next", new { fault = "429", count = 2 })).Ok();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client(maxRetries: 1).GetAssistantAsync(assistant));

        Assert.Equal(429, error.Status);
        Assert.Contains("Rate limit reached for requests", error.Message);
    }

    private AssistantClient Client(int maxRetries = 3)
    {
        var http = server.CreateClient();
        return new AssistantClient(new ApiKeyCredential("sk-test"), new AssistantClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries),
        });
    }

    /// <summary>The statuses the journal holds for one path, newest first.</summary>
    private async Task<List<int>> Statuses(string path)
    {
        var entries = (await api.Get($"/_mock/requests?path={Uri.EscapeDataString(path)}")).Ok().Json.GetProperty("data");
        return entries.EnumerateArray().Select(entry => entry.GetProperty("status").ValueKind == System.Text.Json.JsonValueKind.Null ? 0 : entry.GetProperty("status").GetInt32()).ToList();
    }
}
