using System.Text.Json.Serialization.Metadata;
using MockRunsServer.Runs;
using MockRunsServer.Store;
using MockRunsServer.Wire;

namespace MockRunsServer.Http;

public static class ApiResults
{
    public static JsonBytesResult Json<T>(T value, JsonTypeInfo<T> type, int status = 200) =>
        JsonBytesResult.Serialize(value, type, status);

    /// <summary>Serializes a run (the caller holds its thread's lock) with the poll hint the SDK helpers read.</summary>
    public static JsonBytesResult Run(RunRecord record, MockClock clock, int pollAfterMaxMs) =>
        JsonBytesResult.Serialize(record.Run, JsonContext.Relaxed.RunObject, 200, RunTiming.PollAfterMs(record, clock.NowMs, pollAfterMaxMs));

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
