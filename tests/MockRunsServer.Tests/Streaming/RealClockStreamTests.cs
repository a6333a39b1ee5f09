using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Streaming;

/// <summary>On the real clock the scheduler loop pushes the same events with nobody advancing anything.</summary>
public sealed class RealClockStreamTests(RealClockStreamTests.Server factory) : IClassFixture<RealClockStreamTests.Server>
{
    public sealed class Server() : MockServerFactory(new Dictionary<string, string?>
    {
        ["Mock:Clock:Mode"] = "real",
        ["Mock:Timings:Queued"] = "00:00:00.020",
        ["Mock:Timings:InProgress"] = "00:00:00.080",
    });

    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task A_stream_on_the_real_clock_runs_to_completion_on_its_own()
    {
        var (thread, stream) = await api.OpenRun();
        await using var _ = stream;

        await stream.ReadToEnd();

        Assert.Equal(StreamingApi.Sequence(StreamingApi.Start, StreamingApi.MessageCreation, ["thread.run.completed", "done"]), stream.Events.Squashed());
        Assert.Equal(await api.MessageText(thread, stream.Events.Single("thread.message.completed").Str("id")), stream.Events.DeltaText());
    }
}
