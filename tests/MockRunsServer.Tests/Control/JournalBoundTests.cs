using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Control;

/// <summary><c>Mock:Journal:Size</c> bounds the journal: the oldest entries give way.</summary>
public sealed class JournalBoundTests
{
    [Fact]
    public async Task The_journal_keeps_only_the_most_recent_Size_requests()
    {
        using var server = MockServerFactory.With(("Mock:Journal:Size", "5"));
        var api = server.Api();
        for (var i = 1; i <= 12; i++)
        {
            await api.Get($"/v1/assistants?limit={i}");
        }

        var list = (await api.Get("/_mock/requests")).Ok().Json;

        Assert.Equal(5, list.GetProperty("capacity").GetInt32());
        Assert.Equal(["limit=12", "limit=11", "limit=10", "limit=9", "limit=8"], list.GetProperty("data").EnumerateArray().Select(entry => entry.Str("query")));
    }

    [Fact]
    public async Task Concurrent_requests_are_all_recorded_once()
    {
        using var server = MockServerFactory.With(("Mock:Journal:Size", "500"));
        var api = server.Api();

        await Task.WhenAll(Enumerable.Range(1, 200).Select(i => api.Get($"/v1/assistants?limit={i % 100 + 1}&n={i}")));

        var entries = (await api.Get("/_mock/requests")).Ok().Json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(200, entries.Count);
        Assert.Equal(200, entries.Select(entry => entry.Str("request_id")).Distinct().Count());
        var seqs = entries.Select(entry => entry.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(seqs.OrderDescending(), seqs);
    }

    [Fact]
    public async Task Size_zero_turns_the_journal_off()
    {
        using var server = MockServerFactory.With(("Mock:Journal:Size", "0"));
        var api = server.Api();
        await api.Get("/v1/assistants");

        var list = (await api.Get("/_mock/requests")).Ok().Json;

        Assert.Equal(0, list.GetProperty("count").GetInt32());
        Assert.Equal(0, list.GetProperty("capacity").GetInt32());
    }
}
