using Microsoft.Extensions.DependencyInjection;
using MockRunsServer.Store;
using MockRunsServer.Streaming;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary>Streams that end on the server's side let go of everything too.</summary>
public sealed class StreamCleanupTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_stream_whose_run_completed_leaves_no_subscriber()
    {
        using var server = new MockServerFactory();
        var api = server.Api();
        var (_, stream) = await api.OpenRun();
        await using var _ = stream;
        await api.Advance(StreamingApi.WholeRun);
        await stream.ReadToEnd();

        await server.Services.GetRequiredService<StreamCounter>().WhenIdle().WaitAsync(Guard);

        Assert.Null(server.Services.GetRequiredService<MockStore>().FindRun(stream.RunId())!.Observers);
    }

    [Fact]
    public async Task A_stream_that_ended_at_requires_action_leaves_no_subscriber()
    {
        using var server = new MockServerFactory();
        var api = server.Api();
        var (_, stream) = await api.OpenRun(await api.CreateToolAssistant(), "tool_call");
        await using var _ = stream;
        await api.Advance(StreamingApi.WholeRun);
        await stream.ReadToEnd();

        await server.Services.GetRequiredService<StreamCounter>().WhenIdle().WaitAsync(Guard);

        Assert.True(server.Services.GetRequiredService<MockStore>().FindRun(stream.RunId())!.Observers is null or { IsEmpty: true });
    }

    [Fact]
    public async Task Deleting_the_thread_ends_its_open_stream_with_an_error_then_done()
    {
        using var server = new MockServerFactory();
        var api = server.Api();
        var (thread, stream) = await api.OpenRun();
        await using var _ = stream;
        await stream.Read(2);

        (await api.Delete($"/v1/threads/{thread}")).Ok();
        await stream.ReadToEnd();

        Assert.Equal(["thread.run.created", "thread.run.queued", "error", "done"], stream.Names);
        await server.Services.GetRequiredService<StreamCounter>().WhenIdle().WaitAsync(Guard);
    }

    [Fact]
    public async Task A_reset_ends_open_streams_with_an_error_then_done()
    {
        using var server = new MockServerFactory();
        var api = server.Api();
        var (_, stream) = await api.OpenRun();
        await using var _ = stream;
        await stream.Read(2);

        (await api.Post("/_mock/reset")).Ok();
        await stream.ReadToEnd();

        Assert.Equal(["thread.run.created", "thread.run.queued", "error", "done"], stream.Names);
        await server.Services.GetRequiredService<StreamCounter>().WhenIdle().WaitAsync(Guard);
    }

    [Fact]
    public async Task A_stopping_server_ends_its_open_streams_so_the_shutdown_save_is_not_held_up()
    {
        using var server = new MockServerFactory();
        var api = server.Api();
        var counter = server.Services.GetRequiredService<StreamCounter>();
        var (_, stream) = await api.OpenRun();
        await stream.ReadUntil("thread.run.queued");

        // The manual clock never moves here, so only the stop can end the stream.
        server.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().StopApplication();
        await stream.ReadToEnd().WaitAsync(Guard);
        await counter.WhenIdle().WaitAsync(Guard);

        Assert.True(stream.Ended);
        Assert.Equal(0, counter.Open);
        // Ended as a reset or a deleted thread ends a stream, so the client can tell the cut from the run's end.
        Assert.Equal(["thread.run.created", "thread.run.queued", "error", "done"], stream.Names);
        Assert.Equal("The server was stopped while the run was streaming.", stream.Events[^2].Json().GetProperty("error").Str("message"));
    }
}
