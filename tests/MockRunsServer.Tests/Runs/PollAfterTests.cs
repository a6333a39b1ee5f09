using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary>
/// <c>openai-poll-after-ms</c>: on answers carrying a run that moves on its own, the milliseconds
/// until its next scheduled change, so the SDKs' poll helpers wait exactly that long (contract §1).
/// </summary>
public sealed class PollAfterTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private const string Header = "openai-poll-after-ms";

    private readonly ApiClient api = factory.Api();

    private async Task<ApiResponse> Retrieve(string thread, string run) => (await api.Get($"/v1/threads/{thread}/runs/{run}")).Ok();

    private async Task<(string Assistant, string Thread, ApiResponse Created)> Create(object? assistant = null)
    {
        var assistantId = await api.CreateAssistant(assistant);
        var thread = await api.CreateThread();
        return (assistantId, thread, (await api.CreateRun(thread, new { assistant_id = assistantId })).Ok());
    }

    [Fact]
    public async Task Creating_a_run_answers_the_time_until_it_starts()
    {
        var (_, _, created) = await Create();
        Assert.Equal("500", created.Header(Header));
    }

    [Fact]
    public async Task Creating_a_thread_and_run_answers_the_time_until_it_starts()
    {
        var assistant = await api.CreateAssistant();
        var created = (await api.Post("/v1/threads/runs", new { assistant_id = assistant })).Ok();
        Assert.Equal("500", created.Header(Header));
    }

    [Fact]
    public async Task Retrieving_answers_the_time_left_until_the_next_change()
    {
        var (_, thread, created) = await Create();
        await api.Advance(0.3);
        Assert.Equal("200", (await Retrieve(thread, created.Id)).Header(Header));
    }

    [Fact]
    public async Task An_in_progress_run_answers_the_time_until_it_ends_not_until_its_next_piece_of_text()
    {
        var (_, thread, created) = await Create();

        // Started at 0.5 s, InProgress 2 s in 4 pieces (at 1.0, 1.5, 2.0 s, the last with the finish at 2.5 s).
        await api.Advance(1.7);
        var afterTwoPieces = (await Retrieve(thread, created.Id)).Header(Header);
        await api.Advance(0.5);
        var afterThreePieces = (await Retrieve(thread, created.Id)).Header(Header);

        Assert.Equal("800", afterTwoPieces);
        Assert.Equal("300", afterThreePieces);
    }

    [Fact]
    public async Task The_time_until_an_in_progress_run_ends_never_reaches_past_its_expiry()
    {
        using var server = MockServerFactory.With(("Mock:Timings:InProgress", "00:00:20"), ("Mock:Timings:Expiry", "00:00:10"), ("Mock:PollAfterMaxMs", "100000"));
        var client = server.Api();
        var assistant = await client.CreateAssistant();
        var thread = await client.CreateThread();
        var created = (await client.CreateRun(thread, new { assistant_id = assistant })).Ok();
        await client.Advance(1);

        var run = (await client.Get($"/v1/threads/{thread}/runs/{created.Id}")).Ok();

        Assert.Equal("in_progress", run.Json.Str("status"));
        Assert.Equal("9000", run.Header(Header));
    }

    [Fact]
    public async Task Cancelling_answers_the_time_until_the_run_is_cancelled()
    {
        var (_, thread, created) = await Create();
        var cancelled = (await api.Cancel(thread, created.Id)).Ok();
        Assert.Equal("500", cancelled.Header(Header));
        await api.Advance(0.125);
        Assert.Equal("375", (await Retrieve(thread, created.Id)).Header(Header));
    }

    [Fact]
    public async Task Modifying_a_moving_run_answers_the_time_left()
    {
        var (_, thread, created) = await Create();
        await api.Advance(0.1);
        var modified = (await api.Post($"/v1/threads/{thread}/runs/{created.Id}", new { metadata = new { a = "b" } })).Ok();
        Assert.Equal("400", modified.Header(Header));
    }

    [Fact]
    public async Task Outputs_accepted_answer_the_time_until_the_run_starts_again()
    {
        var (thread, run, waiting) = await api.RunRequiringAction();
        var submitted = (await api.Submit(thread, run, waiting.CallIds())).Ok();
        Assert.Equal("500", submitted.Header(Header));
    }

    [Fact]
    public async Task A_run_waiting_for_outputs_gets_no_poll_hint()
    {
        var (thread, run, _) = await api.RunRequiringAction();
        Assert.Null((await Retrieve(thread, run)).Header(Header));
    }

    [Theory]
    [InlineData("complete")]
    [InlineData("fail")]
    [InlineData("incomplete")]
    public async Task An_ended_run_gets_no_poll_hint(string scenario)
    {
        var (_, thread, run) = await api.StartRun(null, RunsApi.Scenario(scenario));
        await api.Advance(3);
        Assert.Null((await Retrieve(thread, run)).Header(Header));
        Assert.Null((await api.Post($"/v1/threads/{thread}/runs/{run}", new { metadata = new { a = "b" } })).Ok().Header(Header));
    }

    [Fact]
    public async Task A_cancelled_run_gets_no_poll_hint()
    {
        var (_, thread, created) = await Create();
        (await api.Cancel(thread, created.Id)).Ok();
        await api.Advance(0.5);
        Assert.Null((await Retrieve(thread, created.Id)).Header(Header));
    }

    [Fact]
    public async Task The_hint_is_a_plain_integer()
    {
        var (_, thread, created) = await Create();
        await api.Advance(0.0005);
        var value = (await Retrieve(thread, created.Id)).Header(Header);
        Assert.Matches("^[0-9]+$", value);
        Assert.True(int.Parse(value!, System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    [Fact]
    public async Task Lists_carry_no_poll_hint()
    {
        var (_, thread, _) = await Create();
        Assert.Null((await api.Get($"/v1/threads/{thread}/runs")).Ok().Header(Header));
    }

    [Fact]
    public async Task A_change_due_now_is_hinted_as_one_millisecond()
    {
        using var server = MockServerFactory.With(("Mock:Timings:Queued", "00:00:00"));
        var client = server.Api();
        var (_, thread, run) = await client.StartRun();
        var response = (await client.Get($"/v1/threads/{thread}/runs/{run}")).Ok();
        Assert.Equal("1", response.Header(Header));
    }

    [Fact]
    public async Task A_far_change_is_hinted_at_no_more_than_the_configured_maximum()
    {
        using var server = MockServerFactory.With(("Mock:Timings:Queued", "00:00:30"));
        var client = server.Api();
        var created = (await client.CreateRun(await client.CreateThread(), new { assistant_id = await client.CreateAssistant() })).Ok();
        Assert.Equal("1000", created.Header(Header));
    }

    [Fact]
    public async Task The_maximum_hint_is_configurable()
    {
        using var server = MockServerFactory.With(("Mock:PollAfterMaxMs", "250"));
        var client = server.Api();
        var created = (await client.CreateRun(await client.CreateThread(), new { assistant_id = await client.CreateAssistant() })).Ok();
        Assert.Equal("250", created.Header(Header));
    }

    [Fact]
    public async Task An_expiring_run_in_progress_is_hinted_at_the_maximum_while_it_waits()
    {
        var (_, thread, run) = await api.StartRun(null, RunsApi.Scenario("expire"));
        await api.Advance(1);
        Assert.Equal("1000", (await Retrieve(thread, run)).Header(Header));
    }
}
