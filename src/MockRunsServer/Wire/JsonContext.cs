using System.Text.Json;
using System.Text.Json.Serialization;
using MockRunsServer.Runs;

namespace MockRunsServer.Wire;

/// <summary>
/// Source-generated serialization for everything the server writes: snake_case like OpenAI,
/// nulls written (the real API never omits a nullable field), no reflection per request.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UseStringEnumConverter = true,
    // Bodies are read with a depth of at most 64; answers nest them deeper (lists, journal, saved state).
    MaxDepth = 256)]
[JsonSerializable(typeof(AssistantObject))]
[JsonSerializable(typeof(ThreadObject))]
[JsonSerializable(typeof(MessageObject))]
[JsonSerializable(typeof(RunObject))]
[JsonSerializable(typeof(RunStepObject))]
[JsonSerializable(typeof(ListObject<AssistantObject>))]
[JsonSerializable(typeof(ListObject<MessageObject>))]
[JsonSerializable(typeof(ListObject<RunObject>))]
[JsonSerializable(typeof(ListObject<RunStepObject>))]
[JsonSerializable(typeof(DeleteAssistantResponse))]
[JsonSerializable(typeof(DeleteThreadResponse))]
[JsonSerializable(typeof(DeleteMessageResponse))]
[JsonSerializable(typeof(List<Store.VectorStoreSnapshot>))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(MessageDelta))]
[JsonSerializable(typeof(StepDelta))]
[JsonSerializable(typeof(FiredTransition))]
[JsonSerializable(typeof(Control.ClockState))]
[JsonSerializable(typeof(Control.AdvanceResult))]
[JsonSerializable(typeof(Control.HealthState))]
[JsonSerializable(typeof(Control.ResetResult))]
[JsonSerializable(typeof(Control.RunSummaryList))]
[JsonSerializable(typeof(Control.AdvanceRequest))]
[JsonSerializable(typeof(Control.TransitionRequest))]
[JsonSerializable(typeof(Control.JournalList))]
[JsonSerializable(typeof(Control.JournalCleared))]
[JsonSerializable(typeof(Control.FaultQueueRequest))]
[JsonSerializable(typeof(Control.FaultQueueState))]
[JsonSerializable(typeof(Control.QueuedFault))]
[JsonSerializable(typeof(Options.RuntimeOptions))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Store.StateSnapshot))]
[JsonSerializable(typeof(List<AssistantObject>))]
public sealed partial class JsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context every answer is written with: as <see cref="Default"/>, but without escaping
    /// quotes and non-ASCII text, so errors read <c>Invalid 'limit'</c> as OpenAI wrote them.
    /// </summary>
    public static JsonContext Relaxed => RelaxedHolder.Instance;

    /// <summary>As <see cref="Relaxed"/>, with the text each file search result found: for a request whose <c>include[]</c> asks for it.</summary>
    public static JsonContext WithFileSearchContent => WithFileSearchContentHolder.Instance;

    // Holder classes so the instances are built after the generated Default exists.
    private static class RelaxedHolder
    {
        public static readonly JsonContext Instance = new(new JsonSerializerOptions(Default!.Options)
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
    }

    private static class WithFileSearchContentHolder
    {
        public static readonly JsonContext Instance = new(new JsonSerializerOptions(Default!.Options)
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Converters = { new FileSearchContentConverter() },
        });
    }
}
