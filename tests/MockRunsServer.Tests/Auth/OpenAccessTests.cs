using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Auth;

/// <summary>Without <c>Mock:Auth:ApiKeys</c> (the default) every key, or none, is accepted.</summary>
public sealed class OpenAccessTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    [Theory]
    [InlineData(null)]
    [InlineData("Bearer sk-anything")]
    [InlineData("Basic not-even-base64")]
    public async Task Any_key_or_none_is_accepted(string? authorization)
    {
        var api = factory.Api();
        if (authorization is not null)
        {
            api.Headers["Authorization"] = authorization;
        }

        (await api.Get("/v1/assistants")).Ok();
    }
}
