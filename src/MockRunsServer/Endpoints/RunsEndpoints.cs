using Microsoft.Extensions.Options;
using MockRunsServer.Http;
using MockRunsServer.Options;
using MockRunsServer.Runs;
using MockRunsServer.Scenarios;
using MockRunsServer.Store;
using MockRunsServer.Streaming;
using MockRunsServer.Wire;
using MockRunsServer.Wire.Validation;

namespace MockRunsServer.Endpoints;

public static class RunsEndpoints
{
    public static void MapRuns(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/threads/runs", CreateThreadAndRun).WithTags("Runs").WithName("createThreadAndRun")
            .Produces<RunObject>(200, "application/json", "text/event-stream").Accepts<Docs.CreateThreadAndRunRequest>("application/json");

        var group = routes.MapGroup("/threads/{thread_id}/runs").WithTags("Runs");
        group.MapPost("", Create).WithName("createRun").Produces<RunObject>(200, "application/json", "text/event-stream")
            .Accepts<Docs.CreateRunRequest>("application/json");
        group.MapGet("", List).WithName("listRuns").Produces<ListObject<RunObject>>();
        group.MapGet("/{run_id}", Get).WithName("getRun").Produces<RunObject>();
        group.MapPost("/{run_id}", Modify).WithName("modifyRun").Produces<RunObject>().Accepts<Docs.ModifyRunRequest>("application/json");
        group.MapPost("/{run_id}/cancel", Cancel).WithName("cancelRun").Produces<RunObject>();
        group.MapPost("/{run_id}/submit_tool_outputs", SubmitToolOutputs).WithName("submitToolOuputsToRun")
            .Produces<RunObject>(200, "application/json", "text/event-stream").Accepts<Docs.SubmitToolOutputsRunRequest>("application/json");
    }

    private static async Task<IResult> Create(string thread_id, HttpContext context, MockStore store, RunEngine engine, IOptions<MockOptions> options)
    {
        var thread = store.GetThread(Ids.Check(thread_id, "thread_id", "thread"));
        var withContent = IncludeQuery.Check(context.Request);
        var fields = RequestReaders.Run(await JsonBody.ReadObjectAsync(context)) with { IncludeFileSearchContent = withContent };
        Ids.Check(fields.AssistantId, "assistant_id", "asst");
        return StartRun(context, engine, thread, fields, ScenarioHeader(context), options.Value.PollAfterMaxMs);
    }

    /// <summary>Creates the run and answers with it, or with its event stream (which opens with the thread when one was just created).</summary>
    private static IResult StartRun(HttpContext context, RunEngine engine, ThreadRecord thread, RunFields fields, string? header, int pollAfterMaxMs) =>
        Answer(context, engine, fields.Stream, pollAfterMaxMs, beforeSchedule => engine.CreateRun(thread, fields, header, beforeSchedule));

    private static async Task<IResult> CreateThreadAndRun(HttpContext context, RunEngine engine, IOptions<MockOptions> options)
    {
        var (fields, threadRequest) = RequestReaders.ThreadAndRun(await JsonBody.ReadObjectAsync(context));
        Ids.Check(fields.AssistantId, "assistant_id", "asst");
        var header = ScenarioHeader(context);
        return Answer(context, engine, fields.Stream, options.Value.PollAfterMaxMs,
            beforeSchedule => engine.CreateThreadAndRun(threadRequest, fields, header, beforeSchedule), threadCreated: true);
    }

    /// <summary>
    /// Answers a new run: the run, or its event stream, which opens with the thread when
    /// <paramref name="threadCreated"/>. <paramref name="create"/> makes the run and calls back,
    /// under the thread's lock, before the run can move.
    /// </summary>
    private static IResult Answer(HttpContext context, RunEngine engine, bool stream, int pollAfterMaxMs, Func<Action<RunRecord>?, RunRecord> create, bool threadCreated = false)
    {
        if (stream)
        {
            var events = new RunEventStream(context);
            // Noted before the run can move: its stream may be journaled, on the engine's thread, as soon as it ends.
            create(record =>
            {
                RequestNotes.Run(context, record);
                if (threadCreated)
                {
                    events.ThreadCreated(record.Thread.Thread);
                }
                events.Attach(record);
            });
            return events;
        }
        var record = create(null);
        RequestNotes.Run(context, record);
        lock (record.Thread.Gate)
        {
            return ApiResults.Run(record, engine.Clock, pollAfterMaxMs);
        }
    }

    private static IResult List(string thread_id, HttpRequest request, MockStore store)
    {
        var thread = store.GetThread(Ids.Check(thread_id, "thread_id", "thread"));
        var page = ListQuery.Read(request);
        lock (thread.Gate)
        {
            RunEngine.EnsureThreadAlive(thread);
            var result = thread.Runs.Page(page);
            return ApiResults.Json(ApiResults.List(result, r => r.Run, r => r.Id), JsonContext.Relaxed.ListObjectRunObject);
        }
    }

    private static IResult Get(string thread_id, string run_id, MockStore store, RunEngine engine, IOptions<MockOptions> options)
    {
        var thread = store.GetThread(Ids.Check(thread_id, "thread_id", "thread"));
        Ids.Check(run_id, "run_id", "run");
        lock (thread.Gate)
        {
            var record = Find(thread, run_id);
            if (!engine.IsOverdue(record))
            {
                return ApiResults.Run(record, engine.Clock, options.Value.PollAfterMaxMs);
            }
        }
        // The poll came a moment before the scheduler loop: apply what is due (outside the thread's lock,
        // which the scheduler takes itself), so a poll at the hinted time sees the change it was promised.
        engine.FireDue();
        lock (thread.Gate)
        {
            return ApiResults.Run(Find(thread, run_id), engine.Clock, options.Value.PollAfterMaxMs);
        }
    }

    private static async Task<IResult> Modify(string thread_id, string run_id, HttpContext context, MockStore store, RunEngine engine, IOptions<MockOptions> options)
    {
        var thread = store.GetThread(Ids.Check(thread_id, "thread_id", "thread"));
        Ids.Check(run_id, "run_id", "run");
        var metadata = RequestReaders.MetadataOnly(await JsonBody.ReadObjectAsync(context));
        lock (thread.Gate)
        {
            var record = Find(thread, run_id);
            if (metadata is not null)
            {
                record.Run.Metadata = metadata;
            }
            return ApiResults.Run(record, engine.Clock, options.Value.PollAfterMaxMs);
        }
    }

    private static IResult Cancel(string thread_id, string run_id, MockStore store, RunEngine engine, IOptions<MockOptions> options)
    {
        var thread = store.GetThread(Ids.Check(thread_id, "thread_id", "thread"));
        Ids.Check(run_id, "run_id", "run");
        lock (thread.Gate)
        {
            var record = Find(thread, run_id);
            engine.Cancel(record);
            return ApiResults.Run(record, engine.Clock, options.Value.PollAfterMaxMs);
        }
    }

    private static async Task<IResult> SubmitToolOutputs(string thread_id, string run_id, HttpContext context, MockStore store, RunEngine engine, IOptions<MockOptions> options)
    {
        var thread = store.GetThread(Ids.Check(thread_id, "thread_id", "thread"));
        Ids.Check(run_id, "run_id", "run");
        var (outputs, stream) = RequestReaders.ToolOutputs(await JsonBody.ReadObjectAsync(context));
        RunEventStream? events = stream ? new RunEventStream(context) : null;
        lock (thread.Gate)
        {
            var record = Find(thread, run_id);
            if (events is not null)
            {
                engine.SubmitToolOutputs(record, outputs, () => events.Attach(record));
                return events;
            }
            engine.SubmitToolOutputs(record, outputs);
            return ApiResults.Run(record, engine.Clock, options.Value.PollAfterMaxMs);
        }
    }

    /// <summary>The thread's run, or OpenAI's 404; the caller holds the thread's lock.</summary>
    internal static RunRecord Find(ThreadRecord thread, string runId)
    {
        RunEngine.EnsureThreadAlive(thread);
        return thread.Runs.Get(runId) ?? throw ApiError.NotFound("run", runId);
    }

    private static string? ScenarioHeader(HttpContext context) =>
        context.Request.Headers[ScenarioSelector.HeaderName].ToString() is { Length: > 0 } value ? value.Trim() : null;
}
