using Microsoft.AspNetCore.Http;
using MockRunsServer.Http;
using MockRunsServer.Options;
using MockRunsServer.Runs;

namespace MockRunsServer.Tests.Http;

/// <summary>
/// Under a seed, only answered requests (and drops) take the session's request ids: a request whose
/// client left unanswered, or one begun before a reset, shifts none of them, whenever it ends.
/// </summary>
public sealed class UnansweredRequestIdTests
{
    private static readonly Microsoft.Extensions.Options.IOptions<MockOptions> Seeded =
        Microsoft.Extensions.Options.Options.Create(new MockOptions { Seed = 42 });

    /// <summary>The journal middleware over one request that ends without an answer; <paramref name="during"/> runs as its endpoint.</summary>
    private static async Task<RequestJournal> Unanswered(RequestIds ids, Func<RequestJournal, Task> during)
    {
        var journal = new RequestJournal(Seeded);
        var middleware = new JournalMiddleware(_ => during(journal), journal, new MockClock(Seeded, TimeProvider.System), Seeded);
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/v1/assistants";
        using var left = new CancellationTokenSource();
        left.Cancel();
        context.RequestAborted = left.Token;
        context.Features.Set(new RequestNotes(ids, forSession: true));
        await middleware.InvokeAsync(context);
        return journal;
    }

    [Fact]
    public async Task A_request_whose_client_left_unanswered_is_journaled_with_an_id_outside_the_session()
    {
        var ids = new RequestIds(Seeded);
        var session = new RequestIds(Seeded);

        var journal = await Unanswered(ids, _ => Task.CompletedTask);

        var entry = Assert.Single(journal.Snapshot());
        var first = session.Next(forSession: true);
        Assert.NotEqual(first, entry.RequestId);
        Assert.Equal(first, ids.Next(forSession: true));
    }

    [Fact]
    public async Task A_request_begun_before_a_reset_draws_nothing_as_it_ends()
    {
        var ids = new RequestIds(Seeded);
        var session = new RequestIds(Seeded);

        var journal = await Unanswered(ids, journal =>
        {
            journal.Reset();
            return Task.CompletedTask;
        });

        Assert.Empty(journal.Snapshot());
        Assert.Equal(session.Next(forSession: true), ids.Next(forSession: true));
    }

    [Fact]
    public async Task Two_threads_asking_a_request_its_id_at_once_draw_it_once()
    {
        var ids = new RequestIds(Seeded);
        var session = new RequestIds(Seeded);
        const int requests = 5_000;

        for (var i = 0; i < requests; i++)
        {
            var notes = new RequestNotes(ids, forSession: true);
            using var start = new Barrier(2);
            var other = Task.Run(() =>
            {
                start.SignalAndWait();
                return notes.RequestId;
            });
            start.SignalAndWait();
            var mine = notes.RequestId;
            Assert.Equal(mine, await other);
        }

        for (var i = 0; i < requests; i++)
        {
            session.Next(forSession: true);
        }
        Assert.Equal(session.Next(forSession: true), ids.Next(forSession: true));
    }
}
