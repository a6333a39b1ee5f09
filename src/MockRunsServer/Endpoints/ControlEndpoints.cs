using MockRunsServer.Generation;
using MockRunsServer.Http;
using MockRunsServer.Runs;
using MockRunsServer.Scenarios;
using MockRunsServer.Store;
using MockRunsServer.Wire;
using MockRunsServer.Wire.Control;
using MockRunsServer.Wire.Validation;

namespace MockRunsServer.Endpoints;

/// <summary>The control API under /_mock (contract section 3).</summary>
public static class ControlEndpoints
{
    public static void MapControl(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/_mock").WithTags("Control");
        group.MapGet("/clock", GetClock).WithName("mockGetClock").Produces<ClockState>();
        group.MapPost("/clock/advance", Advance).WithName("mockAdvanceClock").Produces<AdvanceResult>().Accepts<AdvanceRequest>("application/json");
        group.MapPost("/reset", Reset).WithName("mockReset").Produces<ResetResult>();
        group.MapGet("/runs", Runs).WithName("mockListRuns").Produces<RunSummaryList>();
        group.MapPost("/runs/{run_id}/transition", Transition).WithName("mockTransitionRun").Produces<FiredTransition>().Accepts<TransitionRequest>("application/json");
    }

    private static IResult GetClock(MockClock clock) =>
        ApiResults.Json(new ClockState(clock.NowSeconds, clock.NowMs, ModeName(clock)), JsonContext.Relaxed.ClockState);

    private static async Task<IResult> Advance(HttpContext context, RunEngine engine)
    {
        var clock = engine.Clock;
        if (!clock.IsManual)
        {
            throw ApiError.BadRequest("The clock is in real mode; set Mock:Clock:Mode=manual to move it by hand.", null, "invalid_clock_mode");
        }
        var fields = FieldReader.Object(await JsonBody.ReadObjectAsync(context), "", "seconds", "to");
        var seconds = fields.Number("seconds", double.Epsilon, 10L * 365 * 24 * 3600);
        var to = fields.Number("to", 0, 1e11);
        if (seconds is null == to is null)
        {
            throw ApiError.BadRequest("Give exactly one of 'seconds' (> 0) or 'to' (Unix seconds).", seconds is null ? "seconds" : "to", "invalid_value");
        }
        var nowMs = clock.NowMs;
        var targetMs = seconds is { } s ? nowMs + (long)Math.Round(s * 1000) : (long)Math.Round(to!.Value * 1000);
        if (targetMs < nowMs)
        {
            throw ApiError.BadRequest($"Invalid 'to': {to} is in the past (now is {nowMs / 1000.0}).", "to", "invalid_value");
        }
        var fired = engine.AdvanceTo(targetMs);
        return ApiResults.Json(new AdvanceResult(clock.NowSeconds, clock.NowMs, ModeName(clock), fired), JsonContext.Relaxed.AdvanceResult);
    }

    private static IResult Reset(MockStore store, RunScheduler scheduler, MockClock clock, MockRandom random, LiveConfig config)
    {
        store.Clear();
        scheduler.Clear();
        random.Reset();
        config.Reset();
        clock.ResetToStart();
        return ApiResults.Json(new ResetResult(true, clock.NowSeconds, clock.NowMs), JsonContext.Relaxed.ResetResult);
    }

    private static IResult Runs(HttpRequest request, MockStore store)
    {
        var status = request.Query["status"].ToString();
        if (status.Length > 0 && !RunStatusNames.TryParse(status, out _))
        {
            throw ApiError.BadRequest($"Invalid value: '{status}'. Supported values are: {FieldReader.SupportedList(Enum.GetValues<RunStatus>().Select(s => s.ToWire()).ToArray())}.", "status", "invalid_value");
        }
        var threadId = request.Query["thread_id"].ToString();
        var assistantId = request.Query["assistant_id"].ToString();
        var runs = new List<(long Seq, byte[] Json)>();
        foreach (var record in store.AllRuns)
        {
            lock (record.Thread.Gate)
            {
                var run = record.Run;
                if ((status.Length == 0 || run.Status.ToWire() == status)
                    && (threadId.Length == 0 || run.ThreadId == threadId)
                    && (assistantId.Length == 0 || run.AssistantId == assistantId))
                {
                    runs.Add((record.Seq, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(run, JsonContext.Relaxed.RunObject)));
                }
            }
        }
        runs.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        var body = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            foreach (var (_, json) in runs)
            {
                writer.WriteRawValue(json, skipInputValidation: true);
            }
            writer.WriteEndArray();
            writer.WriteNumber("count", runs.Count);
            writer.WriteEndObject();
        }
        return new JsonBytesResult(body.WrittenSpan.ToArray());
    }

    private static async Task<IResult> Transition(string run_id, HttpContext context, MockStore store, RunEngine engine)
    {
        var record = store.FindRun(run_id) ?? throw ApiError.NotFound("run", run_id);
        var fields = FieldReader.Object(await JsonBody.ReadObjectAsync(context), "", "status", "last_error");
        var statusText = fields.RequiredString("status");
        if (!RunStatusNames.TryParse(statusText, out var status))
        {
            throw ApiError.BadRequest($"Invalid value: '{statusText}'. Supported values are: {FieldReader.SupportedList(Enum.GetValues<RunStatus>().Select(s => s.ToWire()).ToArray())}.", "status", "invalid_value");
        }
        LastError? lastError = null;
        if (fields.Object("last_error") is { } error)
        {
            var errorFields = FieldReader.Object(error, "last_error", "code", "message");
            var code = FieldReader.EnumValue(errorFields.Required("code"), "last_error.code", ScenarioDefinition.ErrorCodes);
            lastError = new LastError(code, errorFields.String("message") ?? ScenarioDefinition.ServerErrorMessage);
        }
        var fired = engine.Force(record, status, lastError);
        return ApiResults.Json(fired, JsonContext.Relaxed.FiredTransition);
    }

    private static string ModeName(MockClock clock) => clock.IsManual ? "manual" : "real";
}
