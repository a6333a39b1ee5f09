using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Control;

/// <summary>Mock:Persistence:Interval: the state is saved on the server's TimeProvider (here a fake one), not only at shutdown.</summary>
public sealed class PersistenceIntervalTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "mockruns-interval-" + Guid.NewGuid().ToString("N"));

    private string StatePath => Path.Combine(directory, "state.json");

    private sealed class Server(string path, FakeTimeProvider time) : MockServerFactory(new Dictionary<string, string?>
    {
        ["Mock:Persistence:Path"] = path,
        ["Mock:Persistence:Interval"] = "00:00:30",
    })
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(time));
        }
    }

    [Fact]
    public async Task Each_interval_on_the_servers_time_saves_the_state_as_it_stands()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(MockServerFactory.Start));
        using var server = new Server(StatePath, time);
        var api = server.Api();
        var first = await api.CreateAssistant();

        Assert.Contains(first, await SavedAfterIntervals(time, first));

        var second = await api.CreateAssistant();
        Assert.Contains(second, await SavedAfterIntervals(time, second));
    }

    /// <summary>
    /// Moves the server's time an interval at a time until the file holds <paramref name="id"/>. The
    /// timer is made on the service's own task, perhaps after the first move, and the save runs there
    /// after the tick, so this goes on until it shows; it measures no time. The guard only stops a
    /// hang: it was 500 rounds of 10 ms, about 5 s of wall clock, which a loaded machine can outlast.
    /// </summary>
    private async Task<string> SavedAfterIntervals(FakeTimeProvider time, string id)
    {
        var text = "";
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!guard.IsCancellationRequested && !text.Contains(id, StringComparison.Ordinal))
        {
            time.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(10);
            text = File.Exists(StatePath) ? await ReadShared(StatePath) : "";
        }
        return text;
    }

    private static async Task<string> ReadShared(string path)
    {
        try
        {
            return await File.ReadAllTextAsync(path);
        }
        catch (IOException)
        {
            return "";
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
