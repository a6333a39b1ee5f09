using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MockRunsServer.Options;
using MockRunsServer.Wire;

namespace MockRunsServer.Generation;

/// <summary>Writes what a run produces: message text (plain, JSON object or JSON-schema JSON) and tool-call arguments.</summary>
public sealed class ContentGenerator(MockRandom random, IOptions<MockOptions> options)
{
    private readonly GenerationOptions generation = options.Value.Generation;

    public string MessageText(string? scripted, JsonElement responseFormat)
    {
        if (scripted is not null)
        {
            return scripted;
        }
        if (responseFormat.ValueKind == JsonValueKind.Object && responseFormat.TryGetProperty("type", out var type))
        {
            switch (type.GetString())
            {
                case "json_object":
                    return random.Use(faker => new JsonSchemaFaker(faker.Random).Generate(JsonObjectShape));
                case "json_schema":
                    var schema = responseFormat.TryGetProperty("json_schema", out var jsonSchema) && jsonSchema.TryGetProperty("schema", out var inner)
                        ? inner
                        : JsonDefaults.EmptyObject;
                    return random.Use(faker => new JsonSchemaFaker(faker.Random).Generate(schema));
            }
        }
        return random.Use(faker =>
        {
            var words = faker.Random.Number(generation.MinWords, generation.MaxWords);
            var text = new StringBuilder(words * 8);
            while (words > 0)
            {
                var sentence = Math.Min(words, faker.Random.Number(4, 12));
                if (text.Length > 0)
                {
                    text.Append(' ');
                }
                var line = faker.Lorem.Sentence(sentence);
                text.Append(line);
                words -= sentence;
            }
            return text.ToString();
        });
    }

    public string Arguments(FunctionObject function) =>
        random.Use(faker => new JsonSchemaFaker(faker.Random).Generate(function.Parameters));

    private static readonly JsonElement JsonObjectShape = JsonDefaults.Parse(
        """{"type":"object","properties":{"answer":{"type":"string"},"confidence":{"type":"number","minimum":0,"maximum":1},"tags":{"type":"array","items":{"type":"string"},"maxItems":3}},"required":["answer","confidence"],"additionalProperties":false}""");
}
