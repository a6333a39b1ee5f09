using System.Net;
using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Assistants;

/// <summary>
/// The schemas OpenAI refused in function parameters and json_schema response formats, with its
/// messages: a root that is not an object schema, a type name JSON Schema doesn't have, and under
/// strict: true a schema outside the Structured Outputs subset.
/// </summary>
public sealed class SchemaRulesTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private static string Function(string parameters, bool strict = false) =>
        """{"model":"gpt-4o","tools":[{"type":"function","function":{"name":"lookup","parameters":""" + parameters + ""","strict":""" + (strict ? "true" : "false") + "}}]}";

    private static string Format(string schema, bool strict = false) =>
        """{"model":"gpt-4o","response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":""" + schema + ""","strict":""" + (strict ? "true" : "false") + "}}}";

    private async Task<JsonElement> Refused(string body)
    {
        var before = (await api.Get("/v1/assistants?limit=100")).Ok().Json.Ids().Count();
        var error = (await api.Post("/v1/assistants", body)).Error(HttpStatusCode.BadRequest);
        Assert.Equal(before, (await api.Get("/v1/assistants?limit=100")).Ok().Json.Ids().Count());
        return error;
    }

    private async Task<string> FunctionRefusal(string parameters, bool strict = false)
    {
        var error = await Refused(Function(parameters, strict));
        Assert.Equal("tools[0].function.parameters", error.Str("param"));
        Assert.Equal("invalid_function_parameters", error.Str("code"));
        return error.Str("message");
    }

    [Theory]
    [InlineData("""{"anyOf":[{"type":"object"},{"type":"object"}]}""")]
    [InlineData("""{"properties":{"city":{"type":"string"}}}""")]
    [InlineData("""{"type":null,"properties":{}}""")]
    public async Task A_function_schema_without_an_object_type_at_its_root_is_refused_as_type_None(string parameters)
    {
        Assert.Equal(
            """Invalid schema for function 'lookup': schema must be a JSON Schema of 'type: "object"', got 'type: "None"'.""",
            await FunctionRefusal(parameters));
    }

    [Fact]
    public async Task A_function_schema_of_another_type_is_refused_with_that_type_quoted()
    {
        Assert.Equal(
            """Invalid schema for function 'lookup': schema must be a JSON Schema of 'type: "object"', got 'type: "string"'.""",
            await FunctionRefusal("""{"type":"string"}"""));
    }

    [Fact]
    public async Task Empty_function_parameters_stand_for_none_and_are_accepted()
    {
        var assistant = (await api.Post("/v1/assistants", Function("{}"))).Ok().Json;

        Assert.Equal("{}", assistant.GetProperty("tools")[0].GetProperty("function").GetProperty("parameters").GetRawText());
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"timeout":{"type":"any"}}}""", "'any'")]
    [InlineData("""{"type":"object","properties":{"tags":{"type":"array","items":{"type":"strin"}}}}""", "'strin'")]
    [InlineData("""{"type":"object","properties":{"a":{"anyOf":[{"type":"string"},{"type":["integer","nul"]}]}}}""", "['integer', 'nul']")]
    public async Task A_type_name_JSON_Schema_does_not_have_is_refused_wherever_it_is(string parameters, string quoted)
    {
        Assert.Equal(
            $"Invalid schema for function 'lookup': {quoted} is not valid under any of the given schemas.",
            await FunctionRefusal(parameters));
    }

    [Fact]
    public async Task An_open_schema_is_fine_without_strict()
    {
        (await api.Post("/v1/assistants", Function("""{"type":"object","properties":{"city":{"type":["string","null"]},"note":{}},"required":[]}"""))).Ok();
    }

    [Fact]
    public async Task Strict_requires_every_object_to_be_closed()
    {
        Assert.Equal(
            "Invalid schema for function 'lookup': In context=(), 'additionalProperties' is required to be supplied and to be false.",
            await FunctionRefusal("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""", strict: true));
    }

    [Fact]
    public async Task Strict_requires_every_property_to_be_required_and_names_the_first_one_missing()
    {
        const string Parameters = """
            {"type":"object","additionalProperties":false,"required":["address"],"properties":{"address":{"type":"object","additionalProperties":false,
             "properties":{"street":{"type":"string"},"zip":{"type":"string"}},"required":["street"]}}}
            """;

        Assert.Equal(
            "Invalid schema for function 'lookup': In context=('properties', 'address'), 'required' is required to be supplied and to be an array including every key in properties. Missing 'zip'.",
            await FunctionRefusal(Parameters, strict: true));
    }

    [Fact]
    public async Task Strict_refuses_a_required_key_that_is_not_a_property()
    {
        Assert.Equal(
            "Invalid schema for function 'lookup': In context=(), 'required' is required to be supplied and to be an array including every key in properties. Extra required key 'zip' supplied.",
            await FunctionRefusal("""{"type":"object","additionalProperties":false,"properties":{"city":{"type":"string"}},"required":["city","zip"]}""", strict: true));
    }

    [Fact]
    public async Task Strict_requires_a_type_in_every_schema_and_writes_the_context_as_a_python_tuple()
    {
        const string Parameters = """
            {"type":"object","additionalProperties":false,"required":["tags"],"properties":{"tags":{"type":"array","items":{"description":"a tag"}}}}
            """;

        Assert.Equal(
            "Invalid schema for function 'lookup': In context=('properties', 'tags', 'items'), schema must have a 'type' key.",
            await FunctionRefusal(Parameters, strict: true));
    }

    [Fact]
    public async Task A_strict_schema_inside_the_subset_is_accepted_and_kept()
    {
        const string Parameters = """
            {"type":"object","additionalProperties":false,"required":["city","unit","days"],"properties":{"city":{"type":"string"},
             "unit":{"anyOf":[{"type":"string","enum":["c","f"]},{"type":"null"}]},"days":{"type":"array","items":{"$ref":"#/$defs/day"}}},
             "$defs":{"day":{"type":"object","additionalProperties":false,"properties":{"date":{"type":"string"}},"required":["date"]}}}
            """;

        var assistant = (await api.Post("/v1/assistants", Function(Parameters, strict: true))).Ok().Json;

        var function = assistant.GetProperty("tools")[0].GetProperty("function");
        Assert.True(function.GetProperty("strict").GetBoolean());
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(Parameters).RootElement, function.GetProperty("parameters")));
    }

    [Fact]
    public async Task A_response_format_schema_follows_the_same_rules_under_its_own_name()
    {
        var notObject = await Refused(Format("""{"type":"string"}"""));
        Assert.Equal(
            """Invalid schema for response_format 'answer': schema must be a JSON Schema of 'type: "object"', got 'type: "string"'.""",
            notObject.Str("message"));
        Assert.Equal("response_format.json_schema.schema", notObject.Str("param"));
        Assert.Equal("invalid_json_schema", notObject.Str("code"));

        var open = await Refused(Format("""{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"]}""", strict: true));
        Assert.Equal(
            "Invalid schema for response_format 'answer': In context=(), 'additionalProperties' is required to be supplied and to be false.",
            open.Str("message"));

        (await api.Post("/v1/assistants", Format("""{"type":"object","properties":{"answer":{"type":"string"}}}"""))).Ok();
    }

    [Fact]
    public async Task A_run_that_overrides_the_tools_is_held_to_the_same_rules()
    {
        var assistant = (await api.Post("/v1/assistants", new { model = "gpt-4o" })).Ok().Id;
        var thread = (await api.Post("/v1/threads", "{}")).Ok().Id;

        var error = (await api.Post($"/v1/threads/{thread}/runs", """{"assistant_id":""" + $"\"{assistant}\"" + """
            ,"tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object","properties":{"x":{"type":"any"}}}}}]}
            """)).Error(HttpStatusCode.BadRequest);

        Assert.Equal("Invalid schema for function 'lookup': 'any' is not valid under any of the given schemas.", error.Str("message"));
        Assert.Equal("tools[0].function.parameters", error.Str("param"));
        Assert.Empty((await api.Get($"/v1/threads/{thread}/runs")).Ok().Json.Ids());
    }
}
