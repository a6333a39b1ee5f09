namespace MockRunsServer.Tests.Infrastructure;

/// <summary>
/// An answer far larger than the socket's buffers (100 assistants of 256 KB instructions), asked for
/// over a real socket and left unread: the server is still writing it while the test goes on.
/// </summary>
public sealed class UnreadAnswer : IDisposable
{
    private readonly HttpClient reader;
    private readonly HttpResponseMessage response;

    private UnreadAnswer(HttpClient reader, HttpResponseMessage response) => (this.reader, this.response) = (reader, response);

    /// <summary>The query of the request left unread, as the journal shows it.</summary>
    public const string Query = "limit=100";

    public static async Task<UnreadAnswer> OpenAsync(KestrelMockServer server)
    {
        var api = server.Api();
        var instructions = new string('x', 256_000);
        for (var i = 0; i < 100; i++)
        {
            await api.CreateAssistant(new { model = "gpt-4o", instructions });
        }
        var reader = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/assistants?" + Query);
        request.Headers.Add("OpenAI-Beta", "assistants=v2");
        return new UnreadAnswer(reader, await reader.SendAsync(request, HttpCompletionOption.ResponseHeadersRead));
    }

    public void Dispose()
    {
        response.Dispose();
        reader.Dispose();
    }
}
