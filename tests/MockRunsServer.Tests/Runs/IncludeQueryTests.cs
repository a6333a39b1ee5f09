using System.Net;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary>include[] takes the one value the spec allows, in the forms the SDKs send it.</summary>
public sealed class IncludeQueryTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();
    private const string Content = "step_details.tool_calls[*].file_search.results[*].content";

    [Theory]
    [InlineData("include[]")]
    [InlineData("include%5B%5D")]
    [InlineData("include")]
    public async Task The_file_search_content_value_is_accepted_on_every_route_that_takes_it(string key)
    {
        var assistant = await api.CreateAssistant();
        var thread = await api.CreateThread();
        var query = $"?{key}={Uri.EscapeDataString(Content)}";
        var run = (await api.Post($"/v1/threads/{thread}/runs{query}", new { assistant_id = assistant })).Ok().Id;
        await api.Advance(3);
        var steps = (await api.Get($"/v1/threads/{thread}/runs/{run}/steps{query}")).Ok().Json.GetProperty("data");
        (await api.Get($"/v1/threads/{thread}/runs/{run}/steps/{steps[0].Str("id")}{query}")).Ok();
    }

    [Fact]
    public async Task Any_other_value_is_a_400_and_creates_no_run()
    {
        var assistant = await api.CreateAssistant();
        var thread = await api.CreateThread();
        var error = (await api.Post($"/v1/threads/{thread}/runs?include[]=bogus", new { assistant_id = assistant })).Error(HttpStatusCode.BadRequest);
        Assert.Equal("include", error.Str("param"));
        Assert.Equal(0, (await api.Get($"/v1/threads/{thread}/runs")).Ok().Json.GetProperty("data").GetArrayLength());
    }
}
