using System.Text.Json.Nodes;

namespace MockRunsServer.Tests.Infrastructure;

/// <summary>
/// The few places where the emulator deliberately follows the live service instead of the spec
/// (shared/spec/runs.md). Each one widens a single property; everything else is validated as the
/// spec writes it. Gaps that need no relaxation (run steps sending both <c>expires_at</c> and
/// <c>expired_at</c>, messages always sending <c>status</c>, usage extras, run <c>tool_resources</c>)
/// pass on their own because response objects are open.
/// </summary>
internal static class SpecRelaxations
{
    private static readonly (string Schema, string Property, string Why)[] NullableStrings =
    [
        ("ListAssistantsResponse", "first_id", ListIds),
        ("ListAssistantsResponse", "last_id", ListIds),
        ("ListMessagesResponse", "first_id", ListIds),
        ("ListMessagesResponse", "last_id", ListIds),
        ("ListRunsResponse", "first_id", ListIds),
        ("ListRunsResponse", "last_id", ListIds),
        ("ListRunStepsResponse", "first_id", ListIds),
        ("ListRunStepsResponse", "last_id", ListIds),
        ("RunObject", "instructions",
            "runs.md 3.4: a run's instructions are null when neither the request nor the assistant " +
            "has any (as the live service and the spec's own examples answer); the schema types it string."),
    ];

    private const string ListIds =
        "runs.md 12: first_id/last_id are null on an empty page (live); the spec types them string.";

    /// <summary>Human-readable list of what was widened, for reports and the tests.</summary>
    public static IReadOnlyList<string> Descriptions { get; } =
        NullableStrings.Select(r => $"{r.Schema}.{r.Property} may be null — {r.Why}").ToArray();

    public static void Apply(JsonObject document)
    {
        var schemas = document["components"]?["schemas"] as JsonObject
                      ?? throw new InvalidOperationException("The spec has no components/schemas.");
        foreach (var (schemaName, property, _) in NullableStrings)
        {
            if (schemas[schemaName]?["properties"]?[property] is not JsonObject target ||
                target["type"] is not JsonValue type || type.GetValue<string>() != "string")
            {
                throw new InvalidOperationException(
                    $"Spec relaxation for {schemaName}.{property} no longer fits the spec (expected a plain string " +
                    "property). Check shared/spec/runs.md section 12 against the new spec and update SpecRelaxations.");
            }

            target["type"] = new JsonArray("string", "null");
        }
    }
}
