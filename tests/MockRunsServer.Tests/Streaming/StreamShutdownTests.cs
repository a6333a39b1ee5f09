using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MockRunsServer.Streaming;
using MockRunsServer.Wire;

namespace MockRunsServer.Tests.Streaming;

/// <summary>How a stream ends when the server stops as it writes: never a second ending after the run's own.</summary>
public sealed class StreamShutdownTests
{
    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationTokenSource Stopping { get; } = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => Stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Stopping.Cancel();
    }

    /// <summary>A client's end of the stream that stops the server as a given frame is written; its flush honours its token.</summary>
    private sealed class StoppingBody(Lifetime lifetime, string stopAt) : MemoryStream
    {
        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Write(buffer.Span);
            await Task.Yield();
            if (Encoding.UTF8.GetString(buffer.Span).Contains(stopAt, StringComparison.Ordinal))
            {
                await lifetime.Stopping.CancelAsync();
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        }
    }

    private static async Task<string> Written(string stopAt, Action<RunEventStream> publish)
    {
        var lifetime = new Lifetime();
        await using var services = new ServiceCollection().AddSingleton<IHostApplicationLifetime>(lifetime).BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        var body = new StoppingBody(lifetime, stopAt);
        context.Response.Body = body;
        var stream = new RunEventStream(context);
        publish(stream);

        await stream.ExecuteAsync(context).WaitAsync(TimeSpan.FromSeconds(15));

        return Encoding.UTF8.GetString(body.ToArray());
    }

    private static readonly ErrorResponse Ended = new ApiError(500, "The run ended.", null, null, "server_error").ToResponse();

    [Fact]
    public async Task A_stop_while_the_run_s_last_frame_is_written_adds_nothing_after_it()
    {
        var text = await Written("[DONE]", stream =>
        {
            stream.OnEvent("error", Ended);
            stream.OnEnd();
        });

        Assert.Equal(1, text.Split("[DONE]").Length - 1);
        Assert.DoesNotContain("The server was stopped", text);
    }

    [Fact]
    public async Task A_stop_while_an_event_is_written_keeps_that_event_whole_then_ends_with_the_stop_s_error_and_done()
    {
        var text = await Written("thread.run.created", stream => stream.OnEvent("thread.run.created", Ended));

        Assert.StartsWith("event: thread.run.created\ndata: {", text);
        Assert.Contains("event: error\ndata: {\"error\":{\"message\":\"The server was stopped while the run was streaming.\"", text);
        Assert.EndsWith("event: done\ndata: [DONE]\n\n", text);
    }
}
