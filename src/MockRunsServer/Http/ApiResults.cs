using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MockRunsServer.Runs;
using MockRunsServer.Store;
using MockRunsServer.Wire;

namespace MockRunsServer.Http;

/// <summary>A JSON answer serialized up front (under the owner's lock when the object can change), written without it.</summary>
public sealed class JsonBytesResult(byte[] body, int status = 200, long? pollAfterMs = null) : IResult
{
    public byte[] Body => body;

    public Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        if (pollAfterMs is { } poll)
        {
            response.Headers["openai-poll-after-ms"] = poll.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}

public static class ApiResults
{
    public static JsonBytesResult Json<T>(T value, JsonTypeInfo<T> type, int status = 200) =>
        new(JsonSerializer.SerializeToUtf8Bytes(value, type), status);

    /// <summary>Serializes a run (the caller holds its thread's lock) with the poll hint the SDK helpers read.</summary>
    public static JsonBytesResult Run(RunRecord record, MockClock clock, int pollAfterMaxMs) =>
        new(JsonSerializer.SerializeToUtf8Bytes(record.Run, JsonContext.Relaxed.RunObject), 200, PollAfterMs(record, clock, pollAfterMaxMs));

    /// <summary>Milliseconds until the run's next scheduled change, for runs that are moving on their own.</summary>
    public static long? PollAfterMs(RunRecord record, MockClock clock, int pollAfterMaxMs)
    {
        if (record.Run.Status is not (RunStatus.Queued or RunStatus.InProgress or RunStatus.Cancelling))
        {
            return null;
        }
        var wait = record.NextDueMs is { } due ? due - clock.NowMs : pollAfterMaxMs;
        return Math.Clamp(wait, 1, pollAfterMaxMs);
    }

    public static ListObject<TOut> List<TIn, TOut>(Page<TIn> page, Func<TIn, TOut> select, Func<TIn, string> id)
    {
        var data = page.Data.ConvertAll(item => select(item));
        return new ListObject<TOut>
        {
            Data = data,
            FirstId = page.Data.Count > 0 ? id(page.Data[0]) : null,
            LastId = page.Data.Count > 0 ? id(page.Data[^1]) : null,
            HasMore = page.HasMore,
        };
    }
}
