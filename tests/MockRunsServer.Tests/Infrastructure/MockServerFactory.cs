using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace MockRunsServer.Tests.Infrastructure;

/// <summary>
/// The server in process, through its real pipeline. By default: manual clock starting at
/// <see cref="Start"/>, seed 42, and every run completing (the shipped weights make some fail
/// on purpose). Subclasses or <see cref="With"/> change settings for a test class.
/// </summary>
public class MockServerFactory : WebApplicationFactory<Program>
{
    public const long Start = 1_700_000_000;

    private readonly Dictionary<string, string?> settings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Mock:Clock:Mode"] = "manual",
        ["Mock:Clock:Start"] = Start.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mock:Seed"] = "42",
        ["Mock:Outcomes:complete"] = "100",
        ["Mock:Outcomes:fail"] = "0",
        ["Mock:Outcomes:incomplete"] = "0",
        ["Mock:Outcomes:rate_limit"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    public MockServerFactory()
    {
    }

    protected MockServerFactory(IDictionary<string, string?> overrides)
    {
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }
    }

    /// <summary>A server with other settings, for a test that needs its own (dispose it).</summary>
    public static MockServerFactory With(params (string Key, string? Value)[] overrides) =>
        new(overrides.ToDictionary(pair => pair.Key, pair => pair.Value));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
    }

    /// <summary>
    /// Serves on a real Kestrel socket, a free local port, instead of the in-memory test server.
    /// Listen options rather than UseKestrel(0): with a port, the factory rewrites the server's
    /// addresses after the app has started Kestrel on its own thread, and now and then Kestrel has
    /// already made them read-only (dotnet/aspnetcore#67714).
    /// </summary>
    public void UseKestrelOnAFreePort() => UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));

    /// <summary>A client that talks to the OpenAI routes the way the SDKs do.</summary>
    public ApiClient Api() => new(CreateClient());
}
