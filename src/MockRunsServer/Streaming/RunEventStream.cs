using System.Buffers;
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

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? scratch;

    [ThreadStatic]
    private static Utf8JsonWriter? scratchWriter;

    private readonly Channel<byte[]> events = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly StreamCounter? counter;
    private readonly Http.JournalMiddleware.Recorder? journal;
    private RunRecord? record;

    /// <summary>True while the run holds this stream as an observer; read and written under the run's thread lock.</summary>
    private bool subscribed;

    /// <summary>How the run's steps are written: with each file search result's text when the create's include[] asked for it.</summary>
    private JsonContext steps = JsonContext.Relaxed;

    public RunEventStream(HttpContext context)
    {
        counter = context.RequestServices?.GetService<StreamCounter>();
        journal = context.Features.Get<Http.JournalMiddleware.Recorder>();
    }

    /// <summary>Opens the stream of create thread and run with the thread it made; called before <see cref="Attach"/>.</summary>
    public void ThreadCreated(ThreadObject thread) => OnEvent("thread.created", thread);

    /// <summary>Subscribes to the run; called under the thread's lock before the run's first event.</summary>
    public void Attach(RunRecord run)
    {
        // From here the answer is this stream (200), and the engine may journal it when the run ends.
        journal?.Hold();
        record = run;
        if (run.StreamsFileSearchContent)
        {
            steps = JsonContext.WithFileSearchContent;
        }
        (run.Observers ??= new RunObserverList()).Add(this);
        subscribed = true;
        counter?.Subscribe();
    }

    public void OnEvent(string eventName, object data) => events.Writer.TryWrite(Frame(eventName, data));

    /// <summary>One server-sent event, as bytes.</summary>
    private byte[] Frame(string eventName, object data)
    {
        // Serialized straight into a per-thread scratch buffer: the frame is the one allocation per event.
        var buffer = scratch ??= new ArrayBufferWriter<byte>(4096);
        var writer = scratchWriter ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JsonContext.Relaxed.Options.Encoder });
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        buffer.Write("event: "u8);
        var name = buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(eventName.Length));
        buffer.Advance(Encoding.UTF8.GetBytes(eventName, name));
        buffer.Write("\ndata: "u8);
        switch (data)
        {
            case RunObject run: JsonSerializer.Serialize(writer, run, JsonContext.Relaxed.RunObject); break;
            case RunStepObject step: JsonSerializer.Serialize(writer, step, steps.RunStepObject); break;
            case MessageObject message: JsonSerializer.Serialize(writer, message, JsonContext.Relaxed.MessageObject); break;
            case MessageDelta delta: JsonSerializer.Serialize(writer, delta, JsonContext.Relaxed.MessageDelta); break;
            case StepDelta delta: JsonSerializer.Serialize(writer, delta, JsonContext.Relaxed.StepDelta); break;
            case ThreadObject thread: JsonSerializer.Serialize(writer, thread, JsonContext.Relaxed.ThreadObject); break;
            case ErrorResponse error: JsonSerializer.Serialize(writer, error, JsonContext.Relaxed.ErrorResponse); break;
            default: throw new ArgumentException($"No event payload of type {data.GetType().Name}.", nameof(data));
        }
        writer.Flush();
        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    public void OnEnd()
    {
        // Journaled as the run ends, in the engine's order (under the thread's lock): streams ending in
        // the same advance are journaled in the order their runs ended, not as their writers get to [DONE].
        journal?.RecordNow(started: true);
        Unsubscribed();
        events.Writer.TryWrite(Done);
        events.Writer.TryComplete();
    }

    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        counter?.Opened();
        // A stream also ends when the server stops: the host waits for open requests before the
        // shutdown save, and a stream waiting on a run (the manual clock, a long expiry) would hold
        // it past the host's timeout and a container's stop grace, losing the state. The stop ends
        // the wait for the run's next event; writing goes on for a second more, so that the stream
        // ends with an error event and [DONE] and a frame being written is never cut.
        var stopping = context.RequestServices?.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        // Resolved now: once the server stops, its services may be gone.
        var time = context.RequestServices?.GetService<TimeProvider>() ?? TimeProvider.System;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        using var grace = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var writing = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, grace.Token);
        using var afterStop = stopping.Register(() => grace.CancelAfter(TimeSpan.FromSeconds(1)));
        var ended = false;
        try
        {
            await response.StartAsync(writing.Token);
            var reader = events.Reader;
            while (await reader.WaitToReadAsync(waiting.Token))
            {
                while (reader.TryRead(out var frame))
                {
                    // OnEnd journaled the request before it queued [DONE].
                    ended |= ReferenceEquals(frame, Done);
                    await response.Body.WriteAsync(frame, writing.Token);
                }
                await response.Body.FlushAsync(writing.Token);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested && !ended)
        {
            await EndForShutdownAsync(response.Body, writing.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The client left: the run goes on without it, as it did on the real API.
        }
        finally
        {
            Detach();
            counter?.Closed();
        }
    }

    /// <summary>
    /// The server is stopping: what the run published so far, then an <c>error</c> event and
    /// <c>[DONE]</c>, as a reset or a deleted thread ends a stream, so that a client can tell the cut
    /// from a run's end (unless what was published already ends it).
    /// </summary>
    private async Task EndForShutdownAsync(Stream body, CancellationToken token)
    {
        try
        {
            while (events.Reader.TryRead(out var frame))
            {
                if (ReferenceEquals(frame, Done))
                {
                    await body.WriteAsync(frame, token);
                    await body.FlushAsync(token);
                    return;
                }
                await body.WriteAsync(frame, token);
            }
            await body.WriteAsync(Frame("error", ShuttingDown), token);
            journal?.RecordNow(started: true);
            await body.WriteAsync(Done, token);
            await body.FlushAsync(token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
        }
    }

    private static readonly ErrorResponse ShuttingDown =
        new ApiError(503, "The server was stopped while the run was streaming.", null, null, "server_error").ToResponse();

    private void Detach()
    {
        if (record is not { } run)
        {
            return;
        }
        lock (run.Thread.Gate)
        {
            if (subscribed && run.Observers is { } observers)
            {
                observers.Remove(this);
                if (observers.IsEmpty)
                {
                    run.Observers = null;
                }
            }
            Unsubscribed();
        }
        events.Writer.TryComplete();
    }

    /// <summary>Called under the run's thread lock when the run lets go of this stream (run ended, or client left).</summary>
    private void Unsubscribed()
    {
        if (subscribed)
        {
            subscribed = false;
            counter?.Unsubscribe();
        }
    }
}
