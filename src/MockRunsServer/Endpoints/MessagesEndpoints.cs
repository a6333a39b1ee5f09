using MockRunsServer.Http;
using MockRunsServer.Runs;
using MockRunsServer.Store;
using MockRunsServer.Wire;
using MockRunsServer.Wire.Validation;

namespace MockRunsServer.Endpoints;

public static class MessagesEndpoints
{
    public static void MapMessages(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/threads/{thread_id}/messages").WithTags("Messages");
        group.MapPost("", Create).WithName("createMessage").Produces<MessageObject>().Accepts<Docs.CreateMessageRequest>("application/json");
        group.MapGet("", List).WithName("listMessages").Produces<ListObject<MessageObject>>();
        group.MapGet("/{message_id}", Get).WithName("getMessage").Produces<MessageObject>();
        group.MapPost("/{message_id}", Modify).WithName("modifyMessage").Produces<MessageObject>().Accepts<Docs.ModifyMessageRequest>("application/json");
        group.MapDelete("/{message_id}", Delete).WithName("deleteMessage").Produces<DeleteMessageResponse>();
    }

    private static async Task<IResult> Create(string thread_id, HttpContext context, MockStore store, ThreadFactory threads, MockClock clock)
    {
        var thread = store.GetThread(Ids.Check(thread_id, "thread_id", "thread"));
        var request = RequestReaders.Message(await JsonBody.ReadObjectAsync(context));
        lock (thread.Gate)
        {
            RunEngine.EnsureThreadAlive(thread);
            if (thread.ActiveRun is { } active)
            {
                throw ApiError.BadRequest($"Can't add messages to {thread.Id} while a run {active.Id} is active.");
            }
            var message = threads.AddMessage(thread, request, clock.NowSeconds);
            return ApiResults.Json(message.Value.ToWire(thread.Id), JsonContext.Relaxed.MessageObject);
        }
    }

    private static IResult List(string thread_id, HttpRequest request, MockStore store)
    {
        var thread = store.GetThread(Ids.Check(thread_id, "thread_id", "thread"));
        var page = ListQuery.Read(request);
        var runId = request.Query["run_id"].ToString();
        lock (thread.Gate)
        {
            RunEngine.EnsureThreadAlive(thread);
            var result = thread.Messages.Page(page, runId.Length > 0 ? message => message.Value.RunId.Is(runId) : null, thread.RemovedMessages);
            return ApiResults.Json(ApiResults.List(result, m => m.Value.ToWire(thread.Id), m => m.Id), JsonContext.Relaxed.ListObjectMessageObject);
        }
    }

    private static IResult Get(string thread_id, string message_id, MockStore store)
    {
        var thread = store.GetThread(Ids.Check(thread_id, "thread_id", "thread"));
        Ids.Check(message_id, "message_id", "msg");
        lock (thread.Gate)
        {
            var message = Find(thread, message_id);
            return ApiResults.Json(message.Value.ToWire(thread.Id), JsonContext.Relaxed.MessageObject);
        }
    }

    private static async Task<IResult> Modify(string thread_id, string message_id, HttpContext context, MockStore store)
    {
        var thread = store.GetThread(Ids.Check(thread_id, "thread_id", "thread"));
        Ids.Check(message_id, "message_id", "msg");
        var metadata = RequestReaders.MetadataOnly(await JsonBody.ReadObjectAsync(context));
        lock (thread.Gate)
        {
            ref var message = ref Find(thread, message_id).Value;
            if (metadata is not null)
            {
                message.Metadata = metadata;
            }
            return ApiResults.Json(message.ToWire(thread.Id), JsonContext.Relaxed.MessageObject);
        }
    }

    private static IResult Delete(string thread_id, string message_id, MockStore store)
    {
        var thread = store.GetThread(Ids.Check(thread_id, "thread_id", "thread"));
        Ids.Check(message_id, "message_id", "msg");
        lock (thread.Gate)
        {
            store.Messages.Remove(thread, Find(thread, message_id), thread.RemovedMessages ??= new RemovedIds());
        }
        return ApiResults.Json(new DeleteMessageResponse(message_id), JsonContext.Relaxed.DeleteMessageResponse);
    }

    private static MessageRef Find(ThreadRecord thread, string messageId)
    {
        RunEngine.EnsureThreadAlive(thread);
        var message = thread.Messages.Get(messageId);
        return message.Exists ? message : throw ApiError.NotFound("message", messageId);
    }
}
