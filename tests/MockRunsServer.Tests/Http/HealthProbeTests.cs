using MockRunsServer.Http;

namespace MockRunsServer.Tests.Http;

/// <summary>The container's health probe asks the server where the host would have it listen.</summary>
public sealed class HealthProbeTests
{
    [Theory]
    [InlineData(null, null, "http://127.0.0.1:5080/healthz")]
    [InlineData(null, "9000", "http://127.0.0.1:9000/healthz")]
    [InlineData(null, "9000;9001", "http://127.0.0.1:9000/healthz")]
    [InlineData("http://+:9090", "8080", "http://127.0.0.1:9090/healthz")]
    [InlineData("http://*:9090/", null, "http://127.0.0.1:9090/healthz")]
    [InlineData("http://0.0.0.0:7000;http://localhost:7001", null, "http://127.0.0.1:7000/healthz")]
    [InlineData("https://+:443;http://[::]:5000", null, "http://127.0.0.1:5000/healthz")]
    [InlineData("http://10.1.2.3:5080", null, "http://10.1.2.3:5080/healthz")]
    [InlineData("http://[::1]:5080", null, "http://[::1]:5080/healthz")]
    [InlineData("http://mockruns-svc:5998", null, "http://127.0.0.1:5998/healthz")]
    [InlineData("HTTP://[::]:8081", null, "http://127.0.0.1:8081/healthz")]
    public void The_probe_url_follows_aspnetcore_urls_then_http_ports(string? urls, string? httpPorts, string expected)
    {
        Assert.Equal(expected, HealthProbe.DefaultUrl(urls, httpPorts));
    }
}
