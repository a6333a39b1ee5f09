using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Http;

/// <summary>
/// Request targets that Kestrel rewrites before routing, sent as they are over a real socket (an
/// HttpClient would rewrite them itself). A path segment "." or ".." (as sent or percent-encoded) names
/// no object: Kestrel would resolve it, so DELETE /v1/threads/T/messages/%2E%2E reached delete thread
/// and removed T.
/// </summary>
public sealed class RequestTargetTests(KestrelMockServer server) : IClassFixture<KestrelMockServer>
{
    private readonly ApiClient api = server.Api();

    private async Task<(int Status, string Body)> SendRawAsync(string method, string target)
    {
        var address = api.Http.BaseAddress!;
        using var socket = new TcpClient();
        await socket.ConnectAsync(address.Host, address.Port);
        var stream = socket.GetStream();
        var request = $"{method} {target} HTTP/1.1\r\nHost: {address.Authority}\r\nOpenAI-Beta: assistants=v2\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(15));
        var status = int.Parse(answer.Split(' ', 3)[1]);
        return (status, answer[(answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
    }

    [Theory]
    [InlineData("DELETE", "/v1/threads/{thread}/messages/%2E%2E")]
    [InlineData("DELETE", "/v1/threads/{thread}/messages/%2e%2E")]
    [InlineData("DELETE", "/v1/threads/{thread}/messages/..")]
    [InlineData("DELETE", "/v1/threads/{thread}/runs/.%2E")]
    [InlineData("GET", "/v1/threads/{thread}/messages/%2E")]
    [InlineData("POST", "/v1/threads/{thread}/runs/%2E%2E/%2E%2E/%2E%2E/%2E%2E/_mock/reset")]
    [InlineData("DELETE", "/v1/threads/{thread}/messages/../x://y")]
    public async Task A_dot_segment_is_an_invalid_url_and_changes_nothing(string method, string template)
    {
        var thread = (await api.Post("/v1/threads", new { messages = new[] { new { role = "user", content = "keep me" } } })).Ok().Id;
        var target = template.Replace("{thread}", thread);

        var (status, body) = await SendRawAsync(method, target);

        Assert.Equal(404, status);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error");
        Assert.Equal($"Invalid URL ({method} {target})", error.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        (await api.Get($"/v1/threads/{thread}")).Ok();
        Assert.Single((await api.Get($"/v1/threads/{thread}/messages")).Ok().Json.GetProperty("data").EnumerateArray());
    }

    [Theory]
    [InlineData("DELETE", "{origin}/v1/threads/{thread}/messages/%2E%2E")]
    [InlineData("DELETE", "{origin}/v1/threads/{thread}/messages\\..")]
    [InlineData("DELETE", "{origin}/v1/threads/{thread}/messages/x\\%2E%2E")]
    [InlineData("POST", "{origin}/v1/threads/x/runs\\..\\..\\..\\..\\_mock/reset")]
    public async Task A_dot_segment_in_an_absolute_form_target_is_an_invalid_url_and_changes_nothing(string method, string template)
    {
        // The form a client sends to a proxy, which a server must accept too: System.Uri resolves its
        // dot segments, and takes a backslash for a slash.
        var thread = (await api.Post("/v1/threads", new { messages = new[] { new { role = "user", content = "keep me" } } })).Ok().Id;
        var target = template.Replace("{origin}", $"http://{api.Http.BaseAddress!.Authority}").Replace("{thread}", thread);

        var (status, body) = await SendRawAsync(method, target);

        Assert.Equal(404, status);
        // The path, as for any other request: not the origin the client put in front of it.
        var path = template.Replace("{origin}", "").Replace("{thread}", thread);
        Assert.Equal($"Invalid URL ({method} {path})", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString());
        (await api.Get($"/v1/threads/{thread}")).Ok();
        Assert.Single((await api.Get($"/v1/threads/{thread}/messages")).Ok().Json.GetProperty("data").EnumerateArray());
    }

    [Theory]
    [InlineData("/v1/threads/thread_a.b", "No thread found with id 'thread_a.b'.")]
    [InlineData("/v1/threads/thread_..", "No thread found with id 'thread_..'.")]
    [InlineData("/v1/threads/...", "Invalid 'thread_id': '...'. Expected an ID that begins with 'thread'.")]
    [InlineData("/v1/threads/%2E%2E%2E", "Invalid 'thread_id': '...'. Expected an ID that begins with 'thread'.")]
    [InlineData("/v1/threads/thread_x?after=..", "No thread found with id 'thread_x'.")]
    public async Task Dots_that_are_not_a_whole_dot_segment_are_looked_up_as_ids(string target, string message)
    {
        var (status, body) = await SendRawAsync("GET", target);

        Assert.True(status is 400 or 404, $"status {status}");
        Assert.Equal(message, JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_unknown_swagger_document_is_a_404_in_the_error_envelope()
    {
        var (status, body) = await SendRawAsync("GET", "/swagger/v2/swagger.json");

        Assert.Equal(404, status);
        Assert.Equal("Invalid URL (GET /swagger/v2/swagger.json)", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_asterisk_form_target_is_an_invalid_url_that_names_the_asterisk()
    {
        var (status, body) = await SendRawAsync("OPTIONS", "*");

        Assert.Equal(404, status);
        Assert.Equal("Invalid URL (OPTIONS *)", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString());
    }
}
