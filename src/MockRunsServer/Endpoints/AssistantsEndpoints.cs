using MockRunsServer.Generation;
using MockRunsServer.Http;
using MockRunsServer.Runs;
using MockRunsServer.Store;
using MockRunsServer.Wire;
using MockRunsServer.Wire.Validation;

namespace MockRunsServer.Endpoints;

public static class AssistantsEndpoints
{
    public static void MapAssistants(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/assistants").WithTags("Assistants");
        group.MapPost("", Create).WithName("createAssistant").Produces<AssistantObject>().Accepts<Docs.CreateAssistantRequest>("application/json");
        group.MapGet("", List).WithName("listAssistants").Produces<ListObject<AssistantObject>>();
        group.MapGet("/{assistant_id}", Get).WithName("getAssistant").Produces<AssistantObject>();
        group.MapPost("/{assistant_id}", Modify).WithName("modifyAssistant").Produces<AssistantObject>().Accepts<Docs.ModifyAssistantRequest>("application/json");
        group.MapDelete("/{assistant_id}", Delete).WithName("deleteAssistant").Produces<DeleteAssistantResponse>();
    }

    private static async Task<IResult> Create(HttpContext context, MockStore store, MockRandom random, MockClock clock)
    {
        var fields = RequestReaders.Assistant(await JsonBody.ReadObjectAsync(context), create: true);
        var assistant = new AssistantObject
        {
            Id = random.NewId("asst"),
            CreatedAt = clock.NowSeconds,
            Model = fields.Model!,
            Name = fields.Name.Or(null),
            Description = fields.Description.Or(null),
            Instructions = fields.Instructions.Or(null),
            ReasoningEffort = fields.ReasoningEffort.Or(null),
            Tools = fields.Tools ?? [],
            ToolResources = ToolResources.ForTools(ToolResources.ResolveVectorStoreHelper(fields.ToolResources, random, store.VectorStores) ?? JsonDefaults.EmptyObject, fields.Tools ?? []),
            Metadata = fields.Metadata ?? JsonDefaults.EmptyMetadata,
            Temperature = fields.Temperature.Or(null) ?? 1.0,
            TopP = fields.TopP.Or(null) ?? 1.0,
            ResponseFormat = fields.ResponseFormat ?? JsonDefaults.Auto,
        };
        store.PutAssistant(assistant);
        return ApiResults.Json(assistant, JsonContext.Relaxed.AssistantObject);
    }

    private static IResult List(HttpRequest request, MockStore store)
    {
        var page = store.ListAssistants(ListQuery.Read(request));
        return ApiResults.Json(ApiResults.List(page, a => a, a => a.Id), JsonContext.Relaxed.ListObjectAssistantObject);
    }

    private static IResult Get(string assistant_id, MockStore store) =>
        ApiResults.Json(store.GetAssistant(Ids.Check(assistant_id, "assistant_id", "asst")), JsonContext.Relaxed.AssistantObject);

    private static async Task<IResult> Modify(string assistant_id, HttpContext context, MockStore store)
    {
        store.GetAssistant(Ids.Check(assistant_id, "assistant_id", "asst"));
        var fields = RequestReaders.Assistant(await JsonBody.ReadObjectAsync(context), create: false);
        var modified = store.UpdateAssistant(assistant_id, current => new AssistantObject
        {
            Seq = current.Seq,
            Id = current.Id,
            CreatedAt = current.CreatedAt,
            Model = fields.Model ?? current.Model,
            Name = fields.Name.Or(current.Name),
            Description = fields.Description.Or(current.Description),
            Instructions = fields.Instructions.Or(current.Instructions),
            ReasoningEffort = fields.ReasoningEffort.Or(current.ReasoningEffort),
            Tools = fields.Tools ?? current.Tools,
            ToolResources = ToolResources.ForTools(fields.ToolResources ?? current.ToolResources, fields.Tools ?? current.Tools),
            Metadata = fields.Metadata ?? current.Metadata,
            Temperature = fields.Temperature.IsSet ? fields.Temperature.Value ?? 1.0 : current.Temperature,
            TopP = fields.TopP.IsSet ? fields.TopP.Value ?? 1.0 : current.TopP,
            ResponseFormat = fields.ResponseFormat ?? current.ResponseFormat,
        });
        return ApiResults.Json(modified, JsonContext.Relaxed.AssistantObject);
    }

    private static IResult Delete(string assistant_id, MockStore store)
    {
        Ids.Check(assistant_id, "assistant_id", "asst");
        if (!store.DeleteAssistant(assistant_id))
        {
            throw ApiError.NotFound("assistant", assistant_id);
        }
        return ApiResults.Json(new DeleteAssistantResponse(assistant_id), JsonContext.Relaxed.DeleteAssistantResponse);
    }
}
