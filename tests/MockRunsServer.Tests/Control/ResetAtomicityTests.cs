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

    /// <summary>Waits (bounded) until a reset is waiting at the gate.</summary>
    private static Task ResetPending(StateGate gate) => gate.WhenResetPending().WaitAsync(Patience);

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
        await ResetPending(gate);
        var later = api.Get($"/v1/assistants/{assistant}");
        Assert.False(reset.IsCompleted, "The reset ran while a request was in progress.");

        gate.Exit();

        (await reset.WaitAsync(Patience)).Ok();
        // It came while the reset waited, so it runs after it: the assistant is gone.
        (await later.WaitAsync(Patience)).Error(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_request_that_waited_for_a_reset_is_journaled_as_made_after_it()
    {
        using var server = new MockServerFactory();
        var api = server.Api();
        var gate = server.Services.GetRequiredService<StateGate>();
        await gate.EnterAsync();

        var reset = api.Post("/_mock/reset");
        await ResetPending(gate);
        var create = api.Post("/v1/assistants", new { model = "gpt-4o" });
        gate.Exit();
        (await reset.WaitAsync(Patience)).Ok();
        var id = (await create.WaitAsync(Patience)).Ok().Id;

        var entry = Assert.Single((await api.Get("/_mock/requests?method=POST&path=/v1/assistants")).Ok().Json.GetProperty("data").EnumerateArray());
        Assert.Equal(200, entry.GetProperty("status").GetInt32());
        (await api.Get($"/v1/assistants/{id}")).Ok();
    }

    [Fact]
    public async Task A_client_that_does_not_read_its_answer_holds_no_reset_back()
    {
        using var server = new KestrelMockServer();
        var api = server.Api();
        using var unread = await UnreadAnswer.OpenAsync(server);

        (await api.Post("/_mock/reset").WaitAsync(Patience)).Ok();
        Assert.Equal(0, (await api.Get("/v1/assistants").WaitAsync(Patience)).Ok().Json.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_client_sending_its_body_slowly_holds_no_reset_back_and_its_request_runs_after_it()
    {
        // A body over the journal's limit (so the journal does not read it first): its start, then
        // a reset, then the rest. Had the request held a share while it waited for its body, the
        // reset would have waited until Kestrel gave up on the body and cut the request.
        using var server = new KestrelMockServer();
        var api = server.Api();
        const int length = 100_000;
        var start = "{\"model\":";
        using var connection = await RawConnection.OpenAsync(server);
        await connection.SendHeadAsync("/v1/assistants", $"Content-Length: {length}\r\n", start);

        (await api.Post("/_mock/reset").WaitAsync(Patience)).Ok();
        await connection.SendAsync("\"gpt-4o\"" + new string(' ', length - start.Length - 9) + "}");

        Assert.StartsWith("HTTP/1.1 200", await connection.ReadAnswerStartAsync());
        Assert.Equal(1, (await api.Get("/v1/assistants")).Ok().Json.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_client_sending_a_chunked_body_slowly_holds_no_reset_back()
    {
        using var server = new KestrelMockServer();
        var api = server.Api();
        using var connection = await RawConnection.OpenAsync(server);
        await connection.SendHeadAsync("/v1/assistants", "Transfer-Encoding: chunked\r\n", "9\r\n{\"model\":\r\n");

        (await api.Post("/_mock/reset").WaitAsync(Patience)).Ok();
        await connection.SendAsync("9\r\n\"gpt-4o\"}\r\n0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", await connection.ReadAnswerStartAsync());
        Assert.Equal(1, (await api.Get("/v1/assistants")).Ok().Json.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_body_declared_over_the_limit_is_refused_at_once_without_being_asked_for()
    {
        // Read before the gate only when the endpoint would take it: a client that waits for
        // "100 Continue" before sending 5 MB gets the 413 instead.
        using var server = new KestrelMockServer();
        using var connection = await RawConnection.OpenAsync(server);

        await connection.SendHeadAsync("/v1/threads", "Content-Length: 5000000\r\nExpect: 100-continue\r\n");

        Assert.StartsWith("HTTP/1.1 413", await connection.ReadAnswerStartAsync());
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
        Assert.Contains(HttpStatusCode.OK, statuses);
        // One run made after the races, on the state they left: the check below then never runs over nothing.
        var last = (await api.Post("/v1/assistants", new { model = "gpt-4o" })).Ok();
        var lastRun = (await api.Post("/v1/threads/runs", new { assistant_id = last.Id })).Ok();
        await api.Advance(5);
        var runs = (await api.Get("/_mock/runs")).Ok().Json.GetProperty("data");
        Assert.Contains(runs.EnumerateArray(), run => run.Str("id") == lastRun.Id);
        Assert.All(runs.EnumerateArray(), run => Assert.Equal("completed", run.Str("status")));
    }
}
