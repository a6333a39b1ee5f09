using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Control;

/// <summary><c>Mock:Journal:Headers</c>: each journal entry keeps its request's headers, a bearer key masked.</summary>
public sealed class JournalHeadersTests(JournalHeadersTests.Server server) : IClassFixture<JournalHeadersTests.Server>, IAsyncLifetime
{
    public sealed class Server() : MockServerFactory(new Dictionary<string, string?> { ["Mock:Journal:Headers"] = "true" });

    private readonly ApiClient api = server.Api();

    public async Task InitializeAsync() => (await api.Delete("/_mock/requests")).Ok();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<System.Text.Json.JsonElement> OnlyEntry() =>
        (await api.Get("/_mock/requests")).Ok().Json.GetProperty("data").EnumerateArray().Single();

    [Fact]
    public async Task An_entry_keeps_the_headers_the_app_sent_by_lower_case_name()
    {
        await api.Get("/v1/assistants", ("X-App-Tenant", "acme"), ("OpenAI-Organization", "org-test"));

        var headers = (await OnlyEntry()).GetProperty("headers");

        Assert.Equal("acme", headers.Str("x-app-tenant"));
        Assert.Equal("org-test", headers.Str("openai-organization"));
        Assert.Equal("assistants=v2", headers.Str("openai-beta"));
    }

    [Fact]
    public async Task A_bearer_key_is_kept_masked()
    {
        await api.Get("/v1/assistants", ("Authorization", "Bearer sk-proj-abcdefghijklmnop1234"));

        var headers = (await OnlyEntry()).GetProperty("headers");

        Assert.Equal("Bearer sk-proj-" + new string('*', 16) + "1234", headers.Str("authorization"));
    }

    [Fact]
    public async Task An_entry_keeps_at_most_its_share_of_many_large_headers()
    {
        var large = Enumerable.Range(0, 50).Select(i => ($"X-Large-{i:D2}", new string('v', 1000))).ToArray();

        await api.Get("/v1/assistants", large);

        var headers = (await OnlyEntry()).GetProperty("headers").EnumerateObject().ToList();
        Assert.InRange(headers.Sum(header => header.Name.Length + header.Value.GetString()!.Length), 1, MockRunsServer.Http.JournalMiddleware.Recorder.MaxHeaderChars);
        Assert.True(headers.Count < 50);
    }

    [Fact]
    public async Task Without_the_setting_entries_keep_no_headers()
    {
        using var plain = MockServerFactory.With();
        var client = plain.Api();
        await client.Get("/v1/assistants", ("X-App-Tenant", "acme"));

        var entry = (await client.Get("/_mock/requests")).Ok().Json.GetProperty("data").EnumerateArray().Single();

        Assert.True(entry.IsNull("headers"));
    }
}
