using MockRunsServer.Http;
using MockRunsServer.Store;
using MockRunsServer.Wire;
using MockRunsServer.Wire.Validation;

namespace MockRunsServer.Endpoints;

/// <summary>A run's steps: listed and retrieved, with the file search results' content on request (include[]).</summary>
public static class RunStepsEndpoints
{
    public static void MapRunSteps(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/threads/{thread_id}/runs/{run_id}/steps").WithTags("Run steps");
        group.MapGet("", ListSteps).WithName("listRunSteps").Produces<ListObject<RunStepObject>>();
        group.MapGet("/{step_id}", GetStep).WithName("getRunStep").Produces<RunStepObject>();
    }

    private static IResult ListSteps(string thread_id, string run_id, HttpRequest request, MockStore store)
    {
        var thread = store.GetThread(Ids.Check(thread_id, "thread_id", "thread"));
        Ids.Check(run_id, "run_id", "run");
        var json = IncludeQuery.Check(request) ? JsonContext.WithFileSearchContent : JsonContext.Relaxed;
        var page = ListQuery.Read(request);
        lock (thread.Gate)
        {
            var record = RunsEndpoints.Find(thread, run_id);
            var result = store.Steps.Page(record, page);
            return ApiResults.Json(ApiResults.List(result, s => s, s => s.Id), json.ListObjectRunStepObject);
        }
    }

    private static IResult GetStep(string thread_id, string run_id, string step_id, HttpRequest request, MockStore store)
    {
        var thread = store.GetThread(Ids.Check(thread_id, "thread_id", "thread"));
        Ids.Check(run_id, "run_id", "run");
        Ids.Check(step_id, "step_id", "step");
        var json = IncludeQuery.Check(request) ? JsonContext.WithFileSearchContent : JsonContext.Relaxed;
        lock (thread.Gate)
        {
            var record = RunsEndpoints.Find(thread, run_id);
            var slot = store.Steps.Find(record, step_id);
            return slot >= 0 ? ApiResults.Json(store.Steps.ToWire(record, slot), json.RunStepObject) : throw ApiError.NotFound("run step", step_id);
        }
    }
}
