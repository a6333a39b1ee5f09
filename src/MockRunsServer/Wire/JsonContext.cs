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
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(AssistantObject))]
[JsonSerializable(typeof(ThreadObject))]
[JsonSerializable(typeof(MessageObject))]
[JsonSerializable(typeof(RunObject))]
[JsonSerializable(typeof(RunStepObject))]
[JsonSerializable(typeof(ListObject<AssistantObject>))]
[JsonSerializable(typeof(ListObject<MessageObject>))]
[JsonSerializable(typeof(ListObject<RunObject>))]
[JsonSerializable(typeof(ListObject<RunStepObject>))]
[JsonSerializable(typeof(DeletedObject))]
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
[JsonSerializable(typeof(Options.RuntimeOptions))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class JsonContext : JsonSerializerContext
{
}
