using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Faults;

/// <summary>
/// <c>Mock:Latency</c>: a wait before each answer on the OpenAI routes, as a timer on the
/// server's TimeProvider — here a fake one that records every timer, so the tests see the exact
/// delay asked for and release it by advancing fake time (no sleeps, no thread held).
/// </summary>
public sealed class LatencyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>The server over a fake wall clock; the manual mock clock still starts at <see cref="MockServerFactory.Start"/>.</summary>
    private sealed class Server(IDictionary<string, string?> settings) : MockServerFactory(settings)
    {
        public RecordingTimeProvider Time { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
        }
    }

    /// <summary>A timer the server created: when it is due, and a task that ends when the server lets go of it.</summary>
    private sealed record RecordedTimer(TimeSpan Due, Task Disposed);

    /// <summary>A fake time provider that reports every timer created on it.</summary>
    private sealed class RecordingTimeProvider : FakeTimeProvider
    {
        private readonly Channel<RecordedTimer> timers = Channel.CreateUnbounded<RecordedTimer>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var disposed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            // Reported only once it exists: a test that advances as soon as it hears of a timer
            // would otherwise move time before the timer is set, and the timer would never fire.
            var timer = new ObservedTimer(base.CreateTimer(callback, state, dueTime, period), disposed);
            timers.Writer.TryWrite(new RecordedTimer(dueTime, disposed.Task));
            return timer;
        }

        public async Task<TimeSpan> NextTimer() => (await NextRecordedTimer()).Due;

        public async Task<RecordedTimer> NextRecordedTimer() => await timers.Reader.ReadAsync().AsTask().WaitAsync(Patience);

        public bool AnyTimer => timers.Reader.TryPeek(out _);
    }

    private sealed class ObservedTimer(ITimer inner, TaskCompletionSource disposed) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            inner.Dispose();
            disposed.TrySetResult();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private static Server Latency(string? fixedDelay, string? jitter = null, int seed = 42) => new(new Dictionary<string, string?>
    {
        ["Mock:Latency:Fixed"] = fixedDelay,
        ["Mock:Latency:Jitter"] = jitter,
        ["Mock:Seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    [Fact]
    public async Task A_request_waits_the_fixed_latency_before_it_is_answered()
    {
        using var server = Latency("00:00:02");
        var pending = server.Api().Get("/v1/assistants");

        Assert.Equal(TimeSpan.FromSeconds(2), await server.Time.NextTimer());
        server.Time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(pending.IsCompleted);
        server.Time.Advance(TimeSpan.FromMilliseconds(1));

        (await pending.WaitAsync(Patience)).Ok();
    }

    [Fact]
    public async Task A_request_that_waited_through_a_reset_and_the_next_one_get_different_request_ids()
    {
        using var server = Latency("00:00:02");
        var api = server.Api();
        var waiting = api.Get("/v1/assistants");
        await server.Time.NextTimer();

        (await api.Post("/_mock/reset")).Ok();
        server.Time.Advance(TimeSpan.FromSeconds(2));
        var first = (await waiting.WaitAsync(Patience)).Ok();
        var next = api.Get("/v1/assistants");
        await server.Time.NextTimer();
        server.Time.Advance(TimeSpan.FromSeconds(2));
        var second = (await next.WaitAsync(Patience)).Ok();

        // Under a seed, the reset puts the ids back: an id drawn before it would come round again.
        Assert.NotEqual(first.Header("x-request-id"), second.Header("x-request-id"));
    }

    [Fact]
    public async Task A_stopping_server_answers_a_waiting_request_at_once_instead_of_holding_its_shutdown()
    {
        // Over a real socket: Kestrel, unlike the in-memory test server, lets a request it is draining finish before the host goes.
        using var server = Latency("00:01:00");
        server.UseKestrelOnAFreePort();
        server.StartServer();
        var pending = server.Api().Get("/v1/assistants");
        Assert.Equal(TimeSpan.FromMinutes(1), await server.Time.NextTimer());

        // Fake time never moves here: only the stop can end the wait.
        server.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().StopApplication();

        (await pending.WaitAsync(Patience)).Ok();
    }

    [Fact]
    public async Task The_jitter_is_a_seeded_draw_between_zero_and_its_maximum()
    {
        using var first = Latency("00:00:01", "00:00:01");
        using var second = Latency("00:00:01", "00:00:01");

        var delays = await Delays(first, 6);

        Assert.Equal(delays, await Delays(second, 6));
        Assert.All(delays, delay => Assert.InRange(delay, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
        Assert.True(delays.Distinct().Count() > 1, "The jitter never varied.");
    }

    [Fact]
    public async Task Another_seed_draws_other_jitter()
    {
        using var first = Latency("00:00:01", "00:00:01", seed: 1);
        using var second = Latency("00:00:01", "00:00:01", seed: 2);

        Assert.NotEqual(await Delays(first, 4), await Delays(second, 4));
    }

    [Theory]
    [InlineData("/_mock/clock")]
    [InlineData("/healthz")]
    public async Task Routes_outside_the_OpenAI_surface_answer_at_once(string path)
    {
        using var server = Latency("00:01:00");

        var response = await server.Api().Get(path).WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.False(server.Time.AnyTimer);
    }

    [Fact]
    public async Task The_manual_clock_stands_still_while_a_request_waits()
    {
        using var server = Latency("00:00:05");
        var api = server.Api();
        var pending = api.Get("/v1/assistants");
        server.Time.Advance(await server.Time.NextTimer());
        (await pending.WaitAsync(Patience)).Ok();

        var clock = (await api.Get("/_mock/clock")).Ok().Json;

        Assert.Equal(MockServerFactory.Start * 1000, clock.Long("now_ms"));
    }

    [Fact]
    public async Task A_request_given_up_during_the_wait_changes_nothing()
    {
        using var server = Latency("00:00:30");
        var http = server.CreateClient();
        var threads = (await server.Api().Get("/healthz")).Ok().Json.GetProperty("threads").GetInt32();
        using var cancel = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/threads") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("OpenAI-Beta", "assistants=v2");
        var pending = http.SendAsync(request, cancel.Token);
        var timer = await server.Time.NextRecordedTimer();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        // The server drops the latency timer before it is due only when the wait was cancelled,
        // and a cancelled wait never reaches the endpoint.
        await timer.Disposed.WaitAsync(Patience);
        server.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(threads, (await server.Api().Get("/healthz")).Ok().Json.GetProperty("threads").GetInt32());
    }

    [Fact]
    public async Task Latency_put_at_run_time_applies_to_the_next_request()
    {
        using var server = Latency(null);
        var api = server.Api();
        (await api.Get("/v1/assistants").WaitAsync(Patience)).Ok();
        var config = System.Text.Json.Nodes.JsonNode.Parse((await api.Get("/_mock/config")).Ok().Text)!;
        config["latency"]!["fixed"] = "00:00:03";
        (await api.Send(HttpMethod.Put, "/_mock/config", config.ToJsonString())).Ok();

        var pending = api.Get("/v1/assistants");

        Assert.Equal(TimeSpan.FromSeconds(3), await server.Time.NextTimer());
        server.Time.Advance(TimeSpan.FromSeconds(3));
        (await pending.WaitAsync(Patience)).Ok();
    }

    /// <summary>The delays of <paramref name="count"/> requests in a row, each released by advancing fake time.</summary>
    private static async Task<List<TimeSpan>> Delays(Server server, int count)
    {
        var api = server.Api();
        var delays = new List<TimeSpan>();
        for (var i = 0; i < count; i++)
        {
            var pending = api.Get("/v1/assistants");
            var delay = await server.Time.NextTimer();
            delays.Add(delay);
            server.Time.Advance(delay);
            (await pending.WaitAsync(Patience)).Ok();
        }
        return delays;
    }
}
