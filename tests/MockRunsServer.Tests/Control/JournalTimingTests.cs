using MockRunsServer.Tests.Infrastructure;
using MockRunsServer.Tests.Streaming;

namespace MockRunsServer.Tests.Control;

/// <summary>When a request reaches the journal: a client that has its answer, asking on another connection, finds it there.</summary>
public sealed class JournalTimingTests
{
    [Fact]
    public async Task An_answer_is_in_the_journal_before_its_first_byte_reaches_the_client()
    {
        using var server = new KestrelMockServer();
        var api = server.Api();
        using var unread = await UnreadAnswer.OpenAsync(server);

        var entries = (await api.Get("/_mock/requests?method=GET&path=/v1/assistants")).Ok().Json.GetProperty("data");

        var entry = Assert.Single(entries.EnumerateArray());
        Assert.Equal(UnreadAnswer.Query, entry.Str("query"));
        Assert.Equal(200, entry.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_stream_is_in_the_journal_by_the_time_its_done_event_reaches_the_client()
    {
        using var server = new MockServerFactory();
        var api = server.Api();
        var assistant = await api.CreateAssistant();
        var (_, stream) = await api.OpenRun(assistant, "complete");
        await using var _ = stream;
        await api.Advance(StreamingApi.WholeRun);

        // Up to [DONE], not to the end of the answer.
        await stream.ReadUntil("done");
        var entries = (await api.Get("/_mock/requests?method=POST&path=/v1/threads/")).Ok().Json.GetProperty("data");

        var entry = Assert.Single(entries.EnumerateArray(), e => e.Str("path").EndsWith("/runs", StringComparison.Ordinal));
        Assert.Equal(200, entry.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_dropped_request_is_in_the_journal_by_the_time_its_client_sees_the_connection_cut()
    {
        using var server = new KestrelMockServer();
        var api = server.Api();

        await Assert.ThrowsAsync<HttpRequestException>(() => api.Get("/v1/assistants?dropped=1", ("X-Mock-Fault", "drop")));
        var entries = (await api.Get("/_mock/requests?path=/v1/assistants")).Ok().Json.GetProperty("data");

        var entry = Assert.Single(entries.EnumerateArray(), e => e.Str("query") == "dropped=1");
        Assert.True(entry.IsNull("status"));
        Assert.Equal("drop", entry.Str("fault"));
    }

    [Fact]
    public async Task An_upload_its_client_resets_is_journaled_as_dropped_or_cut_short_never_as_a_server_error()
    {
        using var server = new KestrelMockServer();
        var api = server.Api();
        using (var connection = await RawConnection.OpenAsync(server))
        {
            await connection.SendHeadAsync("/v1/threads?cut=1", "Content-Length: 100\r\n", "{\"metadata\":");
            connection.Reset();
        }

        // The server hears of the cut on its own time: its entry is waited for (bounded).
        System.Text.Json.JsonElement entry = default;
        for (var attempt = 0; attempt < 300 && entry.ValueKind == System.Text.Json.JsonValueKind.Undefined; attempt++)
        {
            var entries = (await api.Get("/_mock/requests?path=/v1/threads")).Ok().Json.GetProperty("data");
            entry = entries.EnumerateArray().FirstOrDefault(e => e.Str("query") == "cut=1");
            if (entry.ValueKind == System.Text.Json.JsonValueKind.Undefined)
            {
                await Task.Delay(50);
            }
        }

        Assert.NotEqual(System.Text.Json.JsonValueKind.Undefined, entry.ValueKind);
        // Dropped when the server meets the reset; a 400 when Kestrel sees the body end early first.
        Assert.True(entry.IsNull("status") || entry.GetProperty("status").GetInt32() == 400, $"Journaled as {entry.GetProperty("status")}.");
    }
}
