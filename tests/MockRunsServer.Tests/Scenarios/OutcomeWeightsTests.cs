using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Scenarios;

public sealed class WeightedServer() : MockServerFactory(new Dictionary<string, string?>
{
    ["Mock:Outcomes:complete"] = "60",
    ["Mock:Outcomes:fail"] = "30",
    ["Mock:Outcomes:incomplete"] = "10",
    ["Mock:Seed"] = "7",
});

public sealed class NoDirectivesServer() : MockServerFactory(new Dictionary<string, string?> { ["Mock:MessageDirectives"] = "false" });

/// <summary>The seeded weighted draw from Mock:Outcomes, and turning directives off.</summary>
public sealed class OutcomeWeightsTests(WeightedServer weighted) : IClassFixture<WeightedServer>
{
    [Fact]
    public async Task The_weighted_draw_lands_within_tolerance_of_the_weights()
    {
        var api = weighted.Api();
        var assistant = await api.CreateAssistant();
        var counts = new Dictionary<string, int>();
        const int runs = 300;
        for (var i = 0; i < runs; i++)
        {
            var thread = await api.CreateThread();
            var run = (await api.CreateRun(thread, new { assistant_id = assistant })).Ok().Id;
            await api.Advance(3);
            var status = (await api.GetRun(thread, run)).Status();
            counts[status] = counts.GetValueOrDefault(status) + 1;
        }

        Assert.InRange(counts.GetValueOrDefault("completed"), runs * 0.60 - 30, runs * 0.60 + 30);
        Assert.InRange(counts.GetValueOrDefault("failed"), runs * 0.30 - 27, runs * 0.30 + 27);
        Assert.InRange(counts.GetValueOrDefault("incomplete"), runs * 0.10 - 17, runs * 0.10 + 17);
        Assert.Equal(runs, counts.Values.Sum());
    }

    [Fact]
    public async Task With_directives_off_a_directive_is_just_text()
    {
        using var server = new NoDirectivesServer();
        var api = server.Api();
        var assistant = await api.CreateAssistant();
        var thread = await api.CreateThread(new { messages = new[] { new { role = "user", content = "[mock:fail]" } } });
        var run = (await api.CreateRun(thread, new { assistant_id = assistant })).Ok().Id;
        await api.Advance(3);
        Assert.Equal("completed", (await api.GetRun(thread, run)).Status());
    }
}
