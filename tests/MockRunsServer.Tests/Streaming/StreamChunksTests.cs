using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary><c>Mock:Streaming:Chunks</c> sets how many deltas the message text is revealed in.</summary>
public sealed class StreamChunksTests
{
    [Fact]
    public async Task With_one_chunk_the_whole_text_comes_in_a_single_delta()
    {
        using var server = MockServerFactory.With(("Mock:Streaming:Chunks", "1"));
        var api = server.Api();
        var (thread, stream) = await api.OpenRun();
        await using var _ = stream;
        await api.Advance(StreamingApi.WholeRun);
        await stream.ReadToEnd();

        var delta = Assert.Single(stream.Events.Named("thread.message.delta"));
        Assert.Equal(await api.MessageText(thread, delta.Json().Str("id")), stream.Events.DeltaText());
    }

    [Fact]
    public async Task With_more_chunks_the_text_comes_in_at_most_that_many_deltas()
    {
        using var server = MockServerFactory.With(("Mock:Streaming:Chunks", "8"), ("Mock:Scenarios:long:MessageText", string.Join(' ', Enumerable.Range(1, 40).Select(i => $"word{i}"))));
        var api = server.Api();
        var (thread, stream) = await api.OpenRun(scenario: "long");
        await using var _ = stream;
        await api.Advance(StreamingApi.WholeRun);
        await stream.ReadToEnd();

        var deltas = stream.Events.Named("thread.message.delta").ToList();
        Assert.InRange(deltas.Count, 5, 8);
        Assert.Equal(await api.MessageText(thread, deltas[0].Json().Str("id")), stream.Events.DeltaText());
    }
}
