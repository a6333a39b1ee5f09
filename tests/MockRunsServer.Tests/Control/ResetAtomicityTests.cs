using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MockRunsServer.Store;
using MockRunsServer.Tests.Infrastructure;
using MockRunsServer.Tests.Streaming;

namespace MockRunsServer.Tests.Control;

/// <summary>A reset runs alone: after the requests already in, before the ones that come while it waits.</summary>
public sealed class ResetAtomicityTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_reset_waits_for_a_request_in_progress_and_the_requests_that_come_meanwhile_wait_for_the_reset()
    {
        using var server = new MockServerFactory();
        var api = server.Api();
        var assistant = await api.CreateAssistant();
        var gate = server.Services.GetRequiredService<StateGate>();
        // The test holds a share as a request in progress would.
        await gate.EnterAsync();

        var reset = api.Post("/_mock/reset");
        var later = api.Get($"/v1/assistants/{assistant}");
        await Task.Delay(200);
        Assert.False(reset.IsCompleted, "The reset ran while a request was in progress.");
        Assert.False(later.IsCompleted, "A request came in while a reset waited.");

        gate.Exit();

        (await reset.WaitAsync(Patience)).Ok();
        // It came after the reset: the assistant is gone.
        (await later.WaitAsync(Patience)).Error(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_open_stream_does_not_hold_a_reset_back_and_the_reset_ends_it()
    {
        using var server = new MockServerFactory();
        var api = server.Api();
        var assistant = await api.CreateAssistant();
        var thread = await api.CreateThread();
        await using var stream = await EventStream.Open(api, $"/v1/threads/{thread}/runs", new { assistant_id = assistant, stream = true });

        (await api.Post("/_mock/reset").WaitAsync(Patience)).Ok();

        await stream.ReadToEnd().WaitAsync(Patience);
        Assert.Equal("error", stream.Events[^2].Event);
    }

    [Fact]
    public async Task Resets_among_concurrent_creates_with_a_seed_never_answer_a_5xx_nor_leave_a_run_that_never_starts()
    {
        // A seed makes ids repeat after each reset: an object made with the old ids and kept in the new
        // state clashed with a new one (500s), and a run kept without its transition stayed queued.
        using var server = MockServerFactory.With(("Mock:Clock:Mode", "manual"));
        var api = server.Api();
        using var stop = new CancellationTokenSource();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();

        async Task Create()
        {
            while (!stop.IsCancellationRequested)
            {
                var assistant = await api.Post("/v1/assistants", new { model = "gpt-4o" });
                statuses.Add(assistant.Status);
                var run = await api.Post("/v1/threads/runs", new { assistant_id = assistant.Status == HttpStatusCode.OK ? assistant.Id : "asst_gone" });
                statuses.Add(run.Status);
            }
        }

        var creators = Enumerable.Range(0, 6).Select(_ => Task.Run(Create)).ToList();
        for (var i = 0; i < 60; i++)
        {
            (await api.Post("/_mock/reset")).Ok();
        }
        await stop.CancelAsync();
        await Task.WhenAll(creators).WaitAsync(Patience);

        Assert.DoesNotContain(statuses, status => (int)status >= 500);
        await api.Advance(5);
        var runs = (await api.Get("/_mock/runs")).Ok().Json.GetProperty("data");
        Assert.All(runs.EnumerateArray(), run => Assert.Equal("completed", run.Str("status")));
    }
}
