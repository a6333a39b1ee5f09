#pragma warning disable OPENAI001
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using MockRunsServer.Tests.Infrastructure;
using OpenAI;
using OpenAI.Assistants;

namespace MockRunsServer.Tests.Faults;

/// <summary>
/// The official .NET SDK against injected faults, over a real socket: it retries 429 and 5xx
/// (and dropped connections) as it would against OpenAI, waiting at least what retry-after says.
/// (The .NET SDK reads Retry-After in seconds; retry-after-ms is what the node and python SDKs read.)
/// The SDK's retry policy here records each wait it decides on instead of sleeping, so no test waits
/// for a backoff and none depends on how fast the machine is.
/// </summary>
public sealed class SdkRetryTests(KestrelMockServer server) : IClassFixture<KestrelMockServer>
{
    private readonly ApiClient api = server.Api();

    [Fact]
    public async Task The_SDK_retries_a_429_after_retry_after_and_succeeds()
    {
        var assistant = await api.CreateAssistant();
        (await api.Post("/_mock/faults/next", new { fault = "429", count = 1 })).Ok();
        var retries = new RecordedWaitsRetryPolicy(maxRetries: 3);

        var result = await Client(retries).GetAssistantAsync(assistant);

        Assert.Equal(assistant, result.Value.Id);
        // retry-after (1 s) is longer than the SDK's own first backoff (0.8 s), so it decides the wait.
        var wait = Assert.Single(retries.Waits);
        Assert.True(wait >= TimeSpan.FromSeconds(1), $"The SDK chose to wait {wait} before its retry, less than retry-after (1 s).");
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
        // The fault was met (a drop is journaled without a status) and the retry answered.
        Assert.Equal([200, fault == "drop" ? 0 : int.Parse(fault, System.Globalization.CultureInfo.InvariantCulture)], await Statuses($"/v1/assistants/{assistant}"));
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
        Assert.Equal([200, 503], await Statuses($"/v1/threads/{thread}/runs", "POST"));
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

    private AssistantClient Client(int maxRetries = 3) => Client(new RecordedWaitsRetryPolicy(maxRetries));

    private AssistantClient Client(RecordedWaitsRetryPolicy retries)
    {
        var http = server.CreateClient();
        return new AssistantClient(new ApiKeyCredential("sk-test"), new AssistantClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = retries,
        });
    }

    /// <summary>The SDK's own retry policy (what to retry, how long to wait), except that it records each wait instead of sleeping.</summary>
    private sealed class RecordedWaitsRetryPolicy(int maxRetries) : ClientRetryPolicy(maxRetries)
    {
        private readonly ConcurrentQueue<TimeSpan> waits = new();

        /// <summary>The delays the policy chose before its retries, in order.</summary>
        public IReadOnlyList<TimeSpan> Waits => [.. waits];

        protected override Task WaitAsync(TimeSpan time, CancellationToken cancellationToken)
        {
            waits.Enqueue(time);
            return Task.CompletedTask;
        }

        protected override void Wait(TimeSpan time, CancellationToken cancellationToken) => waits.Enqueue(time);
    }

    /// <summary>The statuses the journal holds for one path (and method, when given), newest first; 0 for a dropped request.</summary>
    private async Task<List<int>> Statuses(string path, string? method = null)
    {
        var entries = (await api.Get($"/_mock/requests?path={Uri.EscapeDataString(path)}{(method is null ? "" : $"&method={method}")}")).Ok().Json.GetProperty("data");
        return entries.EnumerateArray().Select(entry => entry.GetProperty("status").ValueKind == System.Text.Json.JsonValueKind.Null ? 0 : entry.GetProperty("status").GetInt32()).ToList();
    }
}
