using Microsoft.Extensions.DependencyInjection;
using MockRunsServer.Store;
using MockRunsServer.Streaming;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary>
/// A client that drops its stream: the server frees the stream at once and the run carries on, as
/// on the real API. Each test has its own server, so the stream counts are its own.
/// </summary>
public sealed class StreamDisconnectTests
{
    /// <summary>A guard against a hang, not an assertion on time: the counter completes as soon as the server lets go.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(15);

    private static async Task DropMidRunAndFinish(MockServerFactory server, ApiClient api)
    {
        var counter = server.Services.GetRequiredService<StreamCounter>();
        var (thread, stream) = await api.OpenRun();
        await api.Advance(1);
        await stream.ReadUntil("thread.message.delta");
        var runId = stream.RunId();
        var messageId = stream.Events.Single("thread.message.created").Str("id");
        Assert.Equal((1, 1), (counter.Open, counter.Subscribed));

        await stream.DisposeAsync();
        await counter.WhenIdle().WaitAsync(Guard);

        Assert.Null(server.Services.GetRequiredService<MockStore>().FindRun(runId)!.Observers);
        Assert.Equal("in_progress", (await api.GetRun(thread, runId)).Status());
        await api.Advance(StreamingApi.WholeRun);
        Assert.Equal("completed", (await api.GetRun(thread, runId)).Status());
        var message = (await api.Get($"/v1/threads/{thread}/messages/{messageId}")).Ok().Json;
        Assert.Equal("completed", message.Str("status"));
        var health = (await api.Get("/healthz")).Ok().Json;
        Assert.Equal((0, 0), (health.GetProperty("open_streams").GetInt32(), health.GetProperty("stream_subscribers").GetInt32()));
    }

    [Fact]
    public async Task A_client_dropping_mid_run_frees_its_stream_at_once_and_the_run_still_completes()
    {
        using var server = new MockServerFactory();

        await DropMidRunAndFinish(server, server.Api());
    }

    [Fact]
    public async Task Over_a_real_socket_a_dropped_client_is_noticed_and_freed_and_the_run_still_completes()
    {
        using var server = new MockServerFactory();
        server.UseKestrelOnAFreePort();
        server.StartServer();
        var api = server.Api();
        Assert.Equal("127.0.0.1", api.Http.BaseAddress!.Host);

        await DropMidRunAndFinish(server, api);
    }

    [Fact]
    public async Task Hundreds_of_streams_dropped_mid_run_leave_no_subscriber_and_every_run_completes()
    {
        using var server = new MockServerFactory();
        var api = server.Api();
        var counter = server.Services.GetRequiredService<StreamCounter>();
        var assistant = await api.CreateAssistant();
        var opened = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => api.OpenRun(assistant)));
        await api.Advance(1);
        await Task.WhenAll(opened.Select(o => o.Stream.ReadUntil("thread.message.delta")));
        Assert.Equal((200, 200), (counter.Open, counter.Subscribed));

        await Task.WhenAll(opened.Select(o => o.Stream.DisposeAsync().AsTask()));
        await counter.WhenIdle().WaitAsync(Guard);
        await api.Advance(StreamingApi.WholeRun);

        var completed = (await api.Get("/_mock/runs?status=completed")).Ok().Json;
        Assert.Equal(200, completed.GetProperty("count").GetInt32());
    }
}
