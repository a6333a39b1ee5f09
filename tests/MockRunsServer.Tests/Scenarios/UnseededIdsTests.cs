using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Scenarios;

/// <summary>Without Mock:Seed, ids are drawn afresh: a reset does not repeat them.</summary>
public sealed class UnseededIdsTests(UnseededIdsTests.Server factory) : IClassFixture<UnseededIdsTests.Server>
{
    public sealed class Server() : MockServerFactory(new Dictionary<string, string?> { ["Mock:Seed"] = null });

    [Fact]
    public async Task Without_a_seed_ids_differ_after_a_reset()
    {
        var api = factory.Api();
        (await api.Post("/_mock/reset")).Ok();
        var first = await api.CreateAssistant();
        (await api.Post("/_mock/reset")).Ok();
        var second = await api.CreateAssistant();
        Assert.NotEqual(first, second);
    }
}
