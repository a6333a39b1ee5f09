using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Control;

/// <summary>The Swagger document describes the whole control API, with the schemas the answers really have.</summary>
public sealed class ControlSwaggerTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    public static TheoryData<string, string> ControlOperations => new()
    {
        { "get", "/_mock/clock" },
        { "post", "/_mock/clock/advance" },
        { "post", "/_mock/reset" },
        { "get", "/_mock/runs" },
        { "post", "/_mock/runs/{run_id}/transition" },
        { "get", "/_mock/requests" },
        { "delete", "/_mock/requests" },
        { "get", "/_mock/config" },
        { "put", "/_mock/config" },
        { "get", "/_mock/faults/next" },
        { "post", "/_mock/faults/next" },
        { "delete", "/_mock/faults/next" },
    };

    [Theory]
    [MemberData(nameof(ControlOperations))]
    public async Task Each_control_operation_documents_its_answer_schema(string method, string path)
    {
        var operation = await Operation(method, path);

        var schema = operation.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.StartsWith("#/components/schemas/", schema.Str("$ref"));
        Assert.Equal("Control", operation.GetProperty("tags")[0].GetString());
    }

    [Theory]
    [InlineData("post", "/_mock/clock/advance", "AdvanceRequest")]
    [InlineData("post", "/_mock/runs/{run_id}/transition", "TransitionRequest")]
    [InlineData("put", "/_mock/config", "RuntimeOptions")]
    [InlineData("post", "/_mock/faults/next", "FaultQueueRequest")]
    public async Task Control_operations_that_take_a_body_document_its_schema(string method, string path, string schema)
    {
        var operation = await Operation(method, path);

        var body = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.Equal($"#/components/schemas/{schema}", body.Str("$ref"));
    }

    [Theory]
    [InlineData("ClockState", "now_ms")]
    [InlineData("JournalEntry", "duration_ms")]
    [InlineData("JournalEntry", "body_truncated")]
    [InlineData("RuntimeOptions", "rate_limits")]
    [InlineData("FaultOptions", "service_unavailable")]
    [InlineData("RunObject", "assistant_id")]
    public async Task Schemas_use_the_snake_case_names_the_answers_have(string schema, string property)
    {
        var schemas = (await Document()).GetProperty("components").GetProperty("schemas");

        Assert.True(schemas.GetProperty(schema).GetProperty("properties").TryGetProperty(property, out _), $"{schema} lacks {property}");
    }

    [Fact]
    public async Task Computed_option_properties_are_not_documented()
    {
        var schemas = (await Document()).GetProperty("components").GetProperty("schemas");

        Assert.False(schemas.GetProperty("FaultOptions").GetProperty("properties").TryGetProperty("total", out _));
        Assert.False(schemas.GetProperty("RateLimitOptions").GetProperty("properties").TryGetProperty("enabled", out _));
    }

    [Fact]
    public async Task The_document_offers_bearer_authorization_for_the_api_and_admin_keys()
    {
        var document = await Document();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.Str("type"));
        Assert.Equal("bearer", scheme.Str("scheme"));
        Assert.True(document.GetProperty("security")[0].TryGetProperty("bearer", out _));
    }

    private async Task<JsonElement> Operation(string method, string path) =>
        (await Document()).GetProperty("paths").GetProperty(path).GetProperty(method);

    private async Task<JsonElement> Document() => (await factory.Api().Get("/swagger/v1/swagger.json")).Ok().Json;
}
