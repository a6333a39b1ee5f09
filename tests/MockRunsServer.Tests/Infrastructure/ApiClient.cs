using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MockRunsServer.Tests.Infrastructure;

/// <summary>
/// HTTP to the server with the beta header the SDKs send. Every JSON answer from an OpenAI
/// route is checked against the spec's schema for that operation (or the error schema).
/// </summary>
public sealed class ApiClient(HttpClient http)
{
    public HttpClient Http => http;

    public Dictionary<string, string> Headers { get; } = new() { ["OpenAI-Beta"] = "assistants=v2" };

    public Task<ApiResponse> Get(string path, params (string Name, string Value)[] headers) => Send(HttpMethod.Get, path, null, headers);

    public Task<ApiResponse> Post(string path, object? body = null, params (string Name, string Value)[] headers) =>
        Send(HttpMethod.Post, path, body is null ? null : body as string ?? JsonSerializer.Serialize(body), headers);

    public Task<ApiResponse> Delete(string path) => Send(HttpMethod.Delete, path, null);

    public async Task<ApiResponse> Send(HttpMethod method, string path, string? body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var result = new ApiResponse(response.StatusCode, text, response.Headers, response.Content.Headers.ContentType);
        CheckSchema(method, path, result);
        return result;
    }

    // ---- shortcuts ------------------------------------------------------------------------

    public async Task<string> CreateAssistant(object? body = null)
    {
        var response = await Post("/v1/assistants", body ?? new { model = "gpt-4o", name = "Helper" });
        return response.Ok().Id;
    }

    public async Task<string> CreateThread(object? body = null)
    {
        var response = await Post("/v1/threads", body ?? new { messages = new[] { new { role = "user", content = "Hello there" } } });
        return response.Ok().Id;
    }

    public async Task<ApiResponse> CreateRun(string threadId, object body, params (string Name, string Value)[] headers) =>
        await Post($"/v1/threads/{threadId}/runs", body, headers);

    public async Task<JsonElement> GetRun(string threadId, string runId) =>
        (await Get($"/v1/threads/{threadId}/runs/{runId}")).Ok().Json;

    public async Task<JsonElement> Advance(double seconds)
    {
        var response = await Post("/_mock/clock/advance", new { seconds });
        return response.Ok().Json;
    }

    public async Task<(string Assistant, string Thread, string Run)> StartRun(object? assistant = null, object? run = null, params (string Name, string Value)[] headers)
    {
        var assistantId = await CreateAssistant(assistant);
        var threadId = await CreateThread();
        var body = run is null
            ? (object)new { assistant_id = assistantId }
            : MergeAssistant(run, assistantId);
        var response = await CreateRun(threadId, body, headers);
        return (assistantId, threadId, response.Ok().Id);
    }

    private static Dictionary<string, object?> MergeAssistant(object run, string assistantId)
    {
        var json = JsonSerializer.SerializeToElement(run);
        var merged = new Dictionary<string, object?> { ["assistant_id"] = assistantId };
        foreach (var property in json.EnumerateObject())
        {
            merged[property.Name] = property.Value;
        }
        return merged;
    }

    // ---- schema checks --------------------------------------------------------------------

    private static void CheckSchema(HttpMethod method, string path, ApiResponse response)
    {
        if (!OpenApiSchemas.IsAvailable || response.ContentType?.MediaType != "application/json" || !IsOpenAIRoute(path))
        {
            return;
        }
        if ((int)response.Status >= 400)
        {
            OpenApiSchemas.AssertMatchesSchema("ErrorResponse", response.Text);
            return;
        }
        OpenApiSchemas.AssertMatchesResponse(method.Method, path, response.Text);
    }

    public static bool IsOpenAIRoute(string path)
    {
        var clean = path.StartsWith("/v1/", StringComparison.Ordinal) ? path[3..] : path;
        return clean.StartsWith("/assistants", StringComparison.Ordinal) || clean.StartsWith("/threads", StringComparison.Ordinal);
    }
}

public sealed record ApiResponse(HttpStatusCode Status, string Text, HttpResponseHeaders Headers, MediaTypeHeaderValue? ContentType)
{
    private JsonElement? json;

    public JsonElement Json => json ??= Text.Length == 0 ? default : JsonDocument.Parse(Text).RootElement.Clone();

    public string Id => Json.GetProperty("id").GetString()!;

    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>Asserts a 200 and returns itself, showing the body when it is not.</summary>
    public ApiResponse Ok()
    {
        Assert.True(Status == HttpStatusCode.OK, $"Expected 200, got {(int)Status}: {Text}");
        return this;
    }

    /// <summary>Asserts an OpenAI error envelope with this status and returns its error object.</summary>
    public JsonElement Error(HttpStatusCode status)
    {
        Assert.True(Status == status, $"Expected {(int)status}, got {(int)Status}: {Text}");
        var error = Json.GetProperty("error");
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("param", out _), "error.param missing");
        Assert.True(error.TryGetProperty("code", out _), "error.code missing");
        return error;
    }
}
