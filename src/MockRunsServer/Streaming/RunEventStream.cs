using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using MockRunsServer.Store;
using MockRunsServer.Wire;

namespace MockRunsServer.Streaming;

/// <summary>
/// A <c>stream: true</c> answer. The engine pushes each event to it as it applies a transition
/// (under the thread's lock, so the event is serialized as the object is at that moment); the
/// response loop only awaits the channel — no thread and no polling per stream. When the client
/// goes away the observer is removed at once and the run carries on.
/// </summary>
public sealed class RunEventStream : IResult, IRunObserver
{
    private static readonly byte[] Done = "event: done\ndata: [DONE]\n\n"u8.ToArray();

    private readonly Channel<byte[]> events = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private RunRecord? record;

    public RunEventStream(HttpContext context, ThreadObject? createdThread = null)
    {
        _ = context;
        if (createdThread is not null)
        {
            OnEvent("thread.created", createdThread);
        }
    }

    /// <summary>Subscribes to the run; called under the thread's lock before the run's first event.</summary>
    public void Attach(RunRecord run)
    {
        record = run;
        (run.Observers ??= new RunObserverList()).Add(this);
    }

    public void OnEvent(string eventName, object data)
    {
        var json = data switch
        {
            RunObject run => JsonSerializer.SerializeToUtf8Bytes(run, JsonContext.Relaxed.RunObject),
            RunStepObject step => JsonSerializer.SerializeToUtf8Bytes(step, JsonContext.Relaxed.RunStepObject),
            MessageObject message => JsonSerializer.SerializeToUtf8Bytes(message, JsonContext.Relaxed.MessageObject),
            MessageDelta delta => JsonSerializer.SerializeToUtf8Bytes(delta, JsonContext.Relaxed.MessageDelta),
            StepDelta delta => JsonSerializer.SerializeToUtf8Bytes(delta, JsonContext.Relaxed.StepDelta),
            ThreadObject thread => JsonSerializer.SerializeToUtf8Bytes(thread, JsonContext.Relaxed.ThreadObject),
            ErrorResponse error => JsonSerializer.SerializeToUtf8Bytes(error, JsonContext.Relaxed.ErrorResponse),
            _ => throw new ArgumentException($"No event payload of type {data.GetType().Name}.", nameof(data)),
        };
        var prefix = Encoding.UTF8.GetBytes($"event: {eventName}\ndata: ");
        var frame = new byte[prefix.Length + json.Length + 2];
        prefix.CopyTo(frame, 0);
        json.CopyTo(frame, prefix.Length);
        frame[^2] = (byte)'\n';
        frame[^1] = (byte)'\n';
        events.Writer.TryWrite(frame);
    }

    public void OnEnd()
    {
        events.Writer.TryWrite(Done);
        events.Writer.TryComplete();
    }

    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(context.RequestAborted);
        try
        {
            var reader = events.Reader;
            while (await reader.WaitToReadAsync(context.RequestAborted))
            {
                while (reader.TryRead(out var frame))
                {
                    await response.Body.WriteAsync(frame, context.RequestAborted);
                }
                await response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client left: the run goes on without it, as it did on the real API.
        }
        finally
        {
            Detach();
        }
    }

    private void Detach()
    {
        if (record is not { } run)
        {
            return;
        }
        lock (run.Thread.Gate)
        {
            if (run.Observers is { } observers)
            {
                observers.Remove(this);
                if (observers.IsEmpty)
                {
                    run.Observers = null;
                }
            }
        }
        events.Writer.TryComplete();
    }
}
