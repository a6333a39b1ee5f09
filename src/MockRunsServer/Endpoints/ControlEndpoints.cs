using Microsoft.Extensions.Options;
using MockRunsServer.Http;
using MockRunsServer.Options;
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
        group.MapPost("/clock/advance", Advance).WithName("mockAdvanceClock").Produces<AdvanceResult>().Accepts<AdvanceRequest>("application/json")
            .WithDescription("Manual clock only. Exactly one of seconds (> 0, may be fractional) or to (Unix seconds, not in the past). Every transition due by then has happened, in order, when it answers.");
        group.MapPost("/reset", Reset).WithName("mockReset").Produces<ResetResult>().WithMetadata(new StateGateMiddleware.Outside())
            .WithDescription("Runs alone: after the requests in progress, before those that come meanwhile. Open streams end with an error event.");
        group.MapGet("/runs", Runs).WithName("mockListRuns").Produces<RunSummaryList>();
        group.MapPost("/runs/{run_id}/transition", Transition).WithName("mockTransitionRun").Produces<FiredTransition>().Accepts<TransitionRequest>("application/json")
            .WithDescription("Moves the run to status now, if the lifecycle allows it from where the run is (a 400 lists what does); last_error only with failed.");
        group.MapGet("/requests", Requests).WithName("mockListRequests").Produces<JournalList>().Produces<ErrorResponse>(400)
            .WithDescription("The requests on the OpenAI routes, newest first (order=asc for oldest first), from a ring of Mock:Journal:Size entries.");
        group.MapDelete("/requests", ClearRequests).WithName("mockClearRequests").Produces<JournalCleared>();
        group.MapGet("/config", GetConfig).WithName("mockGetConfig").Produces<RuntimeOptions>()
            .WithDescription("The runtime configuration in force: timings, outcome weights, scenarios, rules, faults, latency and rate limits.");
        group.MapPut("/config", PutConfig).WithName("mockPutConfig").Produces<RuntimeOptions>().Produces<ErrorResponse>(400).Accepts<RuntimeOptions>("application/json")
            .WithDescription("Replaces the runtime configuration for requests and runs after it. Sections left out take their built-in defaults (no outcome weights: every run completes), so start from what GET answers. Durations are written like 00:00:00.500. A document that fails validation changes nothing.");
        group.MapGet("/faults/next", PendingFaults).WithName("mockGetQueuedFaults").Produces<FaultQueueState>();
        group.MapPost("/faults/next", QueueFaults).WithName("mockQueueFaults").Produces<FaultQueueState>().Produces<ErrorResponse>(400).Accepts<FaultQueueRequest>("application/json")
            .WithDescription("Makes the next `count` (default 1) requests on the OpenAI routes fail with `fault` (429, 500, 503 or drop), after the entries queued before. `path` (a regular expression found in the request's path, in any case, such as `submit_tool_outputs$`) and `method` aim the entry at the requests that match; later entries apply to the others meanwhile. At most 1,000 entries and 10,000,000 requests in all.");
        group.MapDelete("/faults/next", ClearFaults).WithName("mockClearQueuedFaults").Produces<FaultQueueState>();
    }

    private static IResult GetClock(MockClock clock) =>
        ApiResults.Json(new ClockState(clock.NowSeconds, clock.NowMs, clock.ModeName), JsonContext.Relaxed.ClockState);

    private static async Task<IResult> Advance(HttpContext context, RunEngine engine)
    {
        var clock = engine.Clock;
        if (!clock.IsManual)
        {
            throw ApiError.BadRequest("The clock is in real mode; set Mock:Clock:Mode=manual to move it by hand.", null, "invalid_clock_mode");
        }
        var fields = FieldReader.Object(await JsonBody.ReadObjectAsync(context), "", "seconds", "to");
        var seconds = fields.Number("seconds", double.MinValue, 10L * 365 * 24 * 3600);
        if (seconds is <= 0)
        {
            throw ApiError.BadRequest($"Invalid 'seconds': decimal below minimum value. Expected a value > 0, but got {seconds.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} instead.",
                "seconds", "decimal_below_min_value");
        }
        var to = fields.Number("to", 0, MockOptionsValidator.MaxClockStart);
        if (seconds is null == to is null)
        {
            throw ApiError.BadRequest("Give exactly one of 'seconds' (> 0) or 'to' (Unix seconds).", seconds is null ? "seconds" : "to", "invalid_value");
        }
        var (fired, reachedMs) = engine.AdvanceManual(nowMs =>
        {
            // The clock moves in whole milliseconds; any advance > 0 moves it by one at least.
            var targetMs = seconds is { } s ? nowMs + Math.Max(1, (long)Math.Round(s * 1000)) : (long)Math.Round(to!.Value * 1000);
            if (targetMs < nowMs)
            {
                throw ApiError.BadRequest($"Invalid 'to': {to} is in the past (now is {nowMs / 1000.0}).", "to", "invalid_value");
            }
            return targetMs;
        });
        // The time this advance reached: a concurrent one may already have moved the clock further.
        return ApiResults.Json(new AdvanceResult(MockClock.ToSeconds(reachedMs), reachedMs, clock.ModeName, fired), JsonContext.Relaxed.AdvanceResult);
    }

    private static async Task<IResult> Reset(MockSession session)
    {
        var nowMs = await session.ResetAsync();
        return ApiResults.Json(new ResetResult(true, MockClock.ToSeconds(nowMs), nowMs), JsonContext.Relaxed.ResetResult);
    }

    private static IResult Runs(HttpRequest request, MockStore store)
    {
        var status = request.Query["status"].ToString();
        if (status.Length > 0 && !RunStatusNames.TryParse(status, out _))
        {
            throw UnknownStatus(status);
        }
        var threadId = request.Query["thread_id"].ToString();
        var assistantId = request.Query["assistant_id"].ToString();
        var runs = store.AllRuns.ToList();
        runs.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        return new RunsListResult(runs, run =>
            (status.Length == 0 || run.Status.ToWire() == status)
            && (threadId.Length == 0 || run.ThreadId == threadId)
            && (assistantId.Length == 0 || run.AssistantId == assistantId));
    }

    /// <summary>
    /// Every run, written to the response as it is serialized: a store of a million runs is not built
    /// into one buffer (hundreds of MB, left for the GC) first. Each run is checked against the filter
    /// and written under its thread's lock, so each is consistent; the lock is never held across a flush.
    /// </summary>
    private sealed class RunsListResult(List<RunRecord> runs, Func<RunObject, bool> filter) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            var pipe = context.Response.BodyWriter;
            // A reader that stalls must not hold a stopping server's shutdown (and its state save).
            var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            using var written = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            var count = 0;
            await using (var writer = new System.Text.Json.Utf8JsonWriter(pipe))
            {
                writer.WriteStartObject();
                writer.WriteString("object", "list");
                writer.WriteStartArray("data");
                foreach (var record in runs)
                {
                    lock (record.Thread.Gate)
                    {
                        if (record.Deleted || !filter(record.Run))
                        {
                            continue;
                        }
                        System.Text.Json.JsonSerializer.Serialize(writer, record.Run, JsonContext.Relaxed.RunObject);
                    }
                    if (++count % 256 == 0)
                    {
                        writer.Flush();
                        await pipe.FlushAsync(written.Token);
                    }
                }
                writer.WriteEndArray();
                writer.WriteNumber("count", count);
                writer.WriteEndObject();
            }
            await pipe.FlushAsync(written.Token);
        }
    }

    private static async Task<IResult> Transition(string run_id, HttpContext context, MockStore store, RunEngine engine)
    {
        var record = store.FindRun(run_id) ?? throw ApiError.NotFound("run", run_id);
        var fields = FieldReader.Object(await JsonBody.ReadObjectAsync(context), "", "status", "last_error");
        var statusText = fields.RequiredString("status");
        if (!RunStatusNames.TryParse(statusText, out var status))
        {
            throw UnknownStatus(statusText);
        }
        LastError? lastError = null;
        if (fields.Object("last_error") is { } error)
        {
            var errorFields = FieldReader.Object(error, "last_error", "code", "message");
            var code = FieldReader.EnumValue(errorFields.Required("code"), "last_error.code", ScenarioDefinition.ErrorCodes);
            lastError = new LastError(code, errorFields.String("message") ?? ScenarioDefinition.DefaultMessage(code));
            if (status != RunStatus.Failed)
            {
                // Only a failed run has a last_error: saying nothing would drop it without a word.
                throw ApiError.BadRequest($"Invalid 'last_error': only a transition to 'failed' takes one, not one to '{status.ToWire()}'.", "last_error", "invalid_value");
            }
        }
        var fired = engine.Force(record, status, lastError);
        return ApiResults.Json(fired, JsonContext.Relaxed.FiredTransition);
    }

    private static IResult Requests(HttpRequest request, RequestJournal journal)
    {
        var query = request.Query;
        var path = query["path"].ToString();
        if (path.Length > 0 && path[0] != '/')
        {
            // Every journaled path starts with a slash: "v1/threads" means "/v1/threads", not "nothing".
            path = "/" + path;
        }
        var method = query["method"].ToString();
        var status = StatusFilter(query["status"].ToString());
        var limit = int.MaxValue;
        if (query["limit"].ToString() is { Length: > 0 } limitText)
        {
            if (!int.TryParse(limitText, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit < 1)
            {
                throw ApiError.BadRequest($"Invalid 'limit': expected a positive integer, but got '{limitText}'.", "limit", "invalid_value");
            }
        }
        var oldestFirst = query["order"].ToString() switch
        {
            "" or "desc" => false,
            "asc" => true,
            var order => throw ApiError.BadRequest($"Invalid value: '{order}'. Supported values are: {FieldReader.SupportedList(["asc", "desc"])}.", "order", "invalid_value"),
        };

        var records = journal.Snapshot();
        if (!oldestFirst)
        {
            records.Reverse();
        }
        var data = new List<JournalEntry>();
        foreach (var record in records)
        {
            if (data.Count == limit)
            {
                break;
            }
            if ((path.Length == 0 || record.Path.StartsWith(path, StringComparison.Ordinal))
                && (method.Length == 0 || record.Method.Equals(method, StringComparison.OrdinalIgnoreCase))
                && (status is null || status(record.Status)))
            {
                data.Add(Entry(record));
            }
        }
        return ApiResults.Json(new JournalList(data, data.Count, journal.Capacity), JsonContext.Relaxed.JournalList);
    }

    private static Func<int?, bool>? StatusFilter(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }
        if (text.Length == 3 && text[0] is >= '1' and <= '5' && text.EndsWith("xx", StringComparison.OrdinalIgnoreCase))
        {
            var hundreds = (text[0] - '0') * 100;
            return status => status >= hundreds && status < hundreds + 100;
        }
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var exact) && exact is >= 100 and <= 599)
        {
            return status => status == exact;
        }
        throw ApiError.BadRequest($"Invalid 'status': expected a status code such as 404 or a class such as 4xx, but got '{text}'.", "status", "invalid_value");
    }

    private static JournalEntry Entry(JournalRecord record) => new(
        "mock.request",
        record.Seq,
        record.AtMs / 1000.0,
        record.Method,
        record.Path,
        record.Query,
        record.Status,
        Math.Round(record.DurationMs, 3),
        record.RequestId,
        record.Scenario,
        record.RunId,
        record.ThreadId,
        record.Fault,
        record.RetryCount,
        BodyOf(record.Body),
        record.BodyTruncated,
        record.Headers);

    /// <summary>
    /// The body as JSON when it is JSON that can be written back out, else as a string of its text
    /// (an escaped lone surrogate parses but cannot be written: the journal would answer 500).
    /// </summary>
    private static System.Text.Json.JsonElement? BodyOf(byte[]? body)
    {
        if (body is null || body.Length == 0)
        {
            return null;
        }
        try
        {
            if (!JsonBody.HasLoneSurrogate(body))
            {
                using var document = System.Text.Json.JsonDocument.Parse(body);
                return document.RootElement.Clone();
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return System.Text.Json.JsonSerializer.SerializeToElement(System.Text.Encoding.UTF8.GetString(body), JsonContext.Default.String);
    }

    private static IResult ClearRequests(RequestJournal journal) =>
        ApiResults.Json(new JournalCleared(true, journal.Clear()), JsonContext.Relaxed.JournalCleared);

    private static IResult GetConfig(LiveConfig config) =>
        ApiResults.Json(config.Settings.Document, JsonContext.Relaxed.RuntimeOptions);

    private static async Task<IResult> PutConfig(HttpContext context, LiveConfig config, IOptions<MockOptions> options)
    {
        var document = ConfigReader.Read(await JsonBody.ReadObjectAsync(context));
        var composed = options.Value.WithRuntime(document);
        ConfigReader.Validate(composed);
        config.Replace(LiveSettings.From(composed));
        return ApiResults.Json(config.Settings.Document, JsonContext.Relaxed.RuntimeOptions);
    }

    private static IResult PendingFaults(FaultInjector faults) => FaultState(faults.Pending);

    private static async Task<IResult> QueueFaults(HttpContext context, FaultInjector faults)
    {
        var fields = FieldReader.Object(await JsonBody.ReadObjectAsync(context), "", "fault", "count", "path", "method");
        var name = FieldReader.EnumValue(fields.Required("fault"), "fault", FaultInjector.Names);
        var count = fields.Integer("count", 1, 1_000_000) ?? 1;
        var path = fields.String("path", 1024);
        // In any case (POST, post); a method no OpenAI route serves would wait for ever, so it is refused.
        string? method = null;
        if (fields.String("method", 16) is { } methodName)
        {
            method = methodName.ToUpperInvariant();
            if (Array.IndexOf(FaultInjector.Methods, method) < 0)
            {
                throw ApiError.BadRequest($"Invalid value: '{methodName}'. Supported values are: {FieldReader.SupportedList(FaultInjector.Methods)}.", "method", "invalid_value");
            }
        }
        FaultInjector.TryParseName(name, out var kind);
        return FaultState(faults.Queue(kind, count, path, method));
    }

    private static IResult ClearFaults(FaultInjector faults) => FaultState(faults.Clear());

    private static IResult FaultState(FaultQueueState state) => ApiResults.Json(state, JsonContext.Relaxed.FaultQueueState);

    private static ApiError UnknownStatus(string status) => ApiError.BadRequest(
        $"Invalid value: '{status}'. Supported values are: {FieldReader.SupportedList(Enum.GetValues<RunStatus>().Select(s => s.ToWire()).ToArray())}.", "status", "invalid_value");
}
