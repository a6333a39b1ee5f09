using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MockRunsServer.Tests.Infrastructure;

/// <summary>A real-clock server whose TimeProvider is a fake, so the one scheduler loop can be driven without sleeping.</summary>
public sealed class FakeTimeServer() : MockServerFactory(new Dictionary<string, string?> { ["Mock:Clock:Mode"] = "real" })
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeSeconds(Start));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }
}
