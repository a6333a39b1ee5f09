using System.Text.Json;
using Bogus;

namespace MockRunsServer.Generation;

// Placeholder until the schema-driven generator lands from its branch.
public sealed class JsonSchemaFaker(Randomizer random)
{
    public string Generate(JsonElement schema)
    {
        _ = schema;
        _ = random;
        return "{}";
    }
}
