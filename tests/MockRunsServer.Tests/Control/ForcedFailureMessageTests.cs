using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Control;

/// <summary>A failure forced through /_mock/runs/{id}/transition with only a code gets the message OpenAI gives that code.</summary>
public sealed class ForcedFailureMessageTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    [Fact]
    public async Task A_forced_failure_with_only_a_code_gets_that_code_s_default_message()
    {
        var api = factory.Api();
        var (_, thread, run) = await api.StartRun();
        await api.Advance(0.5);
        (await api.Post($"/_mock/runs/{run}/transition", new { status = "failed", last_error = new { code = "rate_limit_exceeded" } })).Ok();

        var error = (await api.GetRun(thread, run)).GetProperty("last_error");
        Assert.Equal("rate_limit_exceeded", error.Str("code"));
        Assert.Contains("exceeded your current quota", error.Str("message"));
    }
}
