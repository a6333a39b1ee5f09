using Microsoft.Extensions.Configuration;
using MockRunsServer.Http;

namespace MockRunsServer.Tests.Http;

/// <summary>The published build listens where <c>dotnet run</c> does unless an address is configured.</summary>
public sealed class DefaultAddressTests
{
    private static IConfiguration With(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(pair => KeyValuePair.Create(pair.Key, (string?)pair.Value))).Build();

    [Fact]
    public void With_no_address_configured_the_server_listens_on_localhost_5080()
    {
        Assert.Equal("http://localhost:5080", Hosting.AddressWhenUnset(With(("Mock:Seed", "42"))));
    }

    [Theory]
    [InlineData("urls", "http://127.0.0.1:9000")]
    [InlineData("http_ports", "8080")]
    [InlineData("https_ports", "8443")]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://0.0.0.0:9001")]
    public void An_address_configured_any_way_the_host_reads_one_decides(string key, string value)
    {
        Assert.Null(Hosting.AddressWhenUnset(With((key, value))));
    }
}
