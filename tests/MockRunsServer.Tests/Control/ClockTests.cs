using System.Net;
using MockRunsServer.Tests.Infrastructure;
using MockRunsServer.Tests.Runs;

namespace MockRunsServer.Tests.Control;

/// <summary>GET /_mock/clock and POST /_mock/clock/advance (contract §3).</summary>
public sealed class ClockTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task The_clock_shows_manual_mode_and_the_time_in_seconds_and_milliseconds()
    {
        var clock = (await api.Get("/_mock/clock")).Ok().Json;
        Assert.Equal("manual", clock.Str("mode"));
        Assert.Equal(clock.Long("now_ms") / 1000, clock.Long("now"));
        Assert.True(clock.Long("now") >= MockServerFactory.Start);
    }

    [Fact]
    public async Task Advancing_by_fractional_seconds_moves_the_clock_by_that_many_milliseconds()
    {
        var before = await api.NowMs();
        var result = await api.Advance(0.25);
        Assert.Equal(before + 250, result.Long("now_ms"));
        Assert.Equal("manual", result.Str("mode"));
        Assert.Equal(before + 250, await api.NowMs());
    }

    [Fact]
    public async Task Advancing_to_a_unix_time_moves_the_clock_there()
    {
        var target = (await api.NowMs()) / 1000 + 100;
        var result = (await api.Post("/_mock/clock/advance", new { to = target })).Ok().Json;
        Assert.Equal(target, result.Long("now"));
        Assert.Equal(target * 1000, result.Long("now_ms"));
    }

    [Fact]
    public async Task Advancing_to_the_present_moves_nothing_and_is_allowed()
    {
        var now = await api.NowMs();
        var result = (await api.Post("/_mock/clock/advance", new { to = now / 1000.0 })).Ok().Json;
        Assert.Equal(now, result.Long("now_ms"));
    }

    [Fact]
    public async Task Advancing_to_the_past_is_a_400()
    {
        var now = await api.NowMs();
        var error = (await api.Post("/_mock/clock/advance", new { to = now / 1000 - 10 })).Error(HttpStatusCode.BadRequest);
        Assert.Equal("to", error.Str("param"));
        Assert.Equal(now, await api.NowMs());
    }

    [Fact]
    public async Task Giving_both_seconds_and_to_is_a_400()
    {
        var now = await api.NowMs();
        (await api.Post("/_mock/clock/advance", new { seconds = 1, to = now / 1000 + 5 })).Error(HttpStatusCode.BadRequest);
        Assert.Equal(now, await api.NowMs());
    }

    [Fact]
    public async Task Giving_neither_seconds_nor_to_is_a_400()
    {
        (await api.Post("/_mock/clock/advance", new { })).Error(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("\"5\"")]
    public async Task Seconds_that_are_not_a_positive_number_are_a_400(string seconds)
    {
        var error = (await api.Post("/_mock/clock/advance", $$"""{"seconds": {{seconds}}}""")).Error(HttpStatusCode.BadRequest);
        Assert.Equal("seconds", error.Str("param"));
    }

    [Fact]
    public async Task Less_than_a_millisecond_still_moves_the_clock_by_one()
    {
        var before = await api.NowMs();

        var result = await api.Advance(0.0004);

        Assert.Equal(before + 1, result.Long("now_ms"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-0.0004)]
    public async Task Seconds_that_are_not_more_than_zero_are_refused_saying_so(double seconds)
    {
        var before = await api.NowMs();

        var error = (await api.Post("/_mock/clock/advance", new { seconds })).Error(HttpStatusCode.BadRequest);

        Assert.Contains("> 0", error.Message());
        Assert.Equal(before, await api.NowMs());
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/plain")]
    public async Task An_advance_is_read_as_json_whatever_its_content_type(string contentType)
    {
        // curl -d sends form encoding: the body is JSON all the same.
        var before = await api.NowMs();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_mock/clock/advance")
        {
            Content = new StringContent("""{"seconds": 2}""", System.Text.Encoding.UTF8, contentType),
        };
        using var response = await api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 2000, await api.NowMs());
    }

    [Fact]
    public async Task An_advance_without_a_body_is_a_400_not_an_unknown_route()
    {
        var error = (await api.Send(HttpMethod.Post, "/_mock/clock/advance", null)).Error(HttpStatusCode.BadRequest);
        Assert.DoesNotContain("Invalid URL", error.Message());
    }

    [Fact]
    public async Task An_unknown_field_is_a_400()
    {
        var error = (await api.Post("/_mock/clock/advance", new { minutes = 1 })).Error(HttpStatusCode.BadRequest);
        Assert.Equal("unknown_parameter", error.Str("code"));
    }

    [Fact]
    public async Task The_fired_transitions_come_in_due_order_across_runs()
    {
        var (_, threadA, runA) = await api.StartRun();
        await api.Advance(0.2);
        var (_, threadB, runB) = await api.StartRun(null, RunsApi.Scenario("fail"));
        await api.Advance(0.1);
        var (_, threadC, runC) = await api.StartRun();

        var result = await api.Advance(10);
        var fired = result.GetProperty("fired").EnumerateArray()
            .Where(t => t.Str("run_id") is var id && (id == runA || id == runB || id == runC))
            .Select(t => (Run: t.Str("run_id"), Thread: t.Str("thread_id"), Move: $"{t.Str("from")}->{t.Str("to")}", At: t.GetProperty("at").GetDouble()))
            .ToList();

        Assert.Equal(fired.OrderBy(t => t.At).Select(t => t.At), fired.Select(t => t.At));
        Assert.Equal(
            [(runA, "queued->in_progress"), (runB, "queued->in_progress"), (runC, "queued->in_progress"), (runA, "in_progress->completed"), (runB, "in_progress->failed"), (runC, "in_progress->completed")],
            fired.Select(t => (t.Run, t.Move)));
        Assert.Equal([threadA, threadB, threadC], fired.Take(3).Select(t => t.Thread));
    }

    [Fact]
    public async Task Each_transition_is_applied_at_its_own_due_time()
    {
        var created = await api.NowMs();
        var (_, thread, run) = await api.StartRun();
        var result = await api.Advance(100);

        var fired = result.GetProperty("fired").EnumerateArray().Where(t => t.Str("run_id") == run).ToList();
        Assert.Equal((created + 500) / 1000.0, fired[0].GetProperty("at").GetDouble());
        Assert.Equal((created + 2500) / 1000.0, fired[1].GetProperty("at").GetDouble());
        var body = await api.GetRun(thread, run);
        Assert.Equal((created + 500) / 1000, body.Long("started_at"));
        Assert.Equal((created + 2500) / 1000, body.Long("completed_at"));
    }

    [Fact]
    public async Task Concurrent_advances_add_up_and_each_reports_the_time_it_reached()
    {
        // Runs waiting to move make each advance take a while, so the advances overlap.
        for (var i = 0; i < 30; i++)
        {
            await api.StartRun();
        }
        var before = await api.NowMs();

        var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => api.Advance(1))));

        Assert.Equal(before + 64_000, await api.NowMs());
        Assert.Equal(Enumerable.Range(1, 64).Select(k => before + 1000L * k), answers.Select(answer => answer.Long("now_ms")).Order());
    }

    [Fact]
    public async Task An_advance_with_nothing_due_fires_nothing()
    {
        await api.Advance(3600);
        var result = await api.Advance(1);
        Assert.Empty(result.GetProperty("fired").EnumerateArray());
    }

    [Fact]
    public async Task The_clock_cannot_be_advanced_in_real_mode()
    {
        using var server = MockServerFactory.With(("Mock:Clock:Mode", "real"));
        var client = server.Api();
        Assert.Equal("real", (await client.Get("/_mock/clock")).Ok().Json.Str("mode"));
        var error = (await client.Post("/_mock/clock/advance", new { seconds = 1 })).Error(HttpStatusCode.BadRequest);
        Assert.Contains("manual", error.Message());
    }

    [Fact]
    public async Task The_control_routes_need_no_beta_header()
    {
        var client = new ApiClient(factory.CreateClient());
        client.Headers.Clear();
        (await client.Get("/_mock/clock")).Ok();
    }
}
