using MockRunsServer.Http;
using MockRunsServer.Runs;
using MockRunsServer.Store;
using MockRunsServer.Wire;
using MockRunsServer.Wire.Validation;

namespace MockRunsServer.Endpoints;

public static class ThreadsEndpoints
{
    public static void MapThreads(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/threads").WithTags("Threads");
        group.MapPost("", Create).WithName("createThread").Produces<ThreadObject>().Accepts(typeof(Docs.CreateThreadRequest), isOptional: true, "application/json", "*/*");
        group.MapGet("/{thread_id}", Get).WithName("getThread").Produces<ThreadObject>();
        group.MapPost("/{thread_id}", Modify).WithName("modifyThread").Produces<ThreadObject>().Accepts<Docs.ModifyThreadRequest>("application/json");
        group.MapDelete("/{thread_id}", Delete).WithName("deleteThread").Produces<DeleteThreadResponse>();
    }

    private static async Task<IResult> Create(HttpContext context, ThreadFactory threads)
    {
        var body = await JsonBody.ReadAsync(context);
        var request = RequestReaders.Thread(body);
        var thread = threads.Create(request);
        return ApiResults.Json(thread.Thread, JsonContext.Relaxed.ThreadObject);
    }

    private static IResult Get(string thread_id, MockStore store) =>
        ApiResults.Json(store.GetThread(Ids.Check(thread_id, "thread_id", "thread")).Thread, JsonContext.Relaxed.ThreadObject);

    private static async Task<IResult> Modify(string thread_id, HttpContext context, MockStore store)
    {
        var thread = store.GetThread(Ids.Check(thread_id, "thread_id", "thread"));
        var fields = RequestReaders.ModifyThread(await JsonBody.ReadObjectAsync(context));
        lock (thread.Gate)
        {
            RunEngine.EnsureThreadAlive(thread);
            var current = thread.Thread;
            thread.Thread = new ThreadObject
            {
                Id = current.Id,
                CreatedAt = current.CreatedAt,
                Metadata = fields.Metadata ?? current.Metadata,
                ToolResources = fields.ToolResources ?? current.ToolResources,
            };
            return ApiResults.Json(thread.Thread, JsonContext.Relaxed.ThreadObject);
        }
    }

    private static IResult Delete(string thread_id, MockStore store)
    {
        var thread = store.GetThread(Ids.Check(thread_id, "thread_id", "thread"));
        lock (thread.Gate)
        {
            RunEngine.EnsureThreadAlive(thread);
            store.DeleteThread(thread, new ApiError(404, $"Thread {thread.Id} was deleted while its run was streaming.").ToResponse());
        }
        return ApiResults.Json(new DeleteThreadResponse(thread_id), JsonContext.Relaxed.DeleteThreadResponse);
    }
}
