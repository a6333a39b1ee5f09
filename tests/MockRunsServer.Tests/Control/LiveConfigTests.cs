using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MockRunsServer.Runs;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Control;

/// <summary><c>GET</c>/<c>PUT /_mock/config</c>: the runtime configuration, replaced whole, validated like start-up, undone by reset.</summary>
public sealed class LiveConfigTests(LiveConfigTests.Server server) : IClassFixture<LiveConfigTests.Server>, IAsyncLifetime
{
    /// <summary>Half the runs fail and timings jitter, so the seeded draws show in every answer.</summary>
    public sealed class Server() : MockServerFactory(new Dictionary<string, string?>
    {
        ["Mock:Outcomes:complete"] = "50",
        ["Mock:Outcomes:fail"] = "50",
        ["Mock:Timings:Jitter"] = "0.3",
        ["Mock:Faults:RetryAfter"] = "00:00:02",
    });

    private readonly ApiClient api = server.Api();

    /// <summary>Each test starts from the configured values.</summary>
    public async Task InitializeAsync() => (await api.Post("/_mock/reset")).Ok();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_GET_shows_the_configured_runtime_config()
    {
        var config = (await api.Get("/_mock/config")).Ok().Json;

        Assert.Equal("00:00:00.5000000", config.GetProperty("timings").Str("queued"));
        Assert.Equal(0.3, config.GetProperty("timings").GetProperty("jitter").GetDouble());
        Assert.Equal(50, config.GetProperty("outcomes").GetProperty("fail").GetDouble());
        Assert.Equal("00:00:02", config.GetProperty("faults").Str("retry_after"));
        Assert.Equal(0, config.GetProperty("faults").GetProperty("server_error").GetDouble());
        Assert.Equal("00:00:00", config.GetProperty("latency").Str("fixed"));
        Assert.True(config.GetProperty("rate_limits").IsNull("requests_per_minute"));
        Assert.Equal(JsonValueKind.Array, config.GetProperty("rules").ValueKind);
        Assert.Equal(JsonValueKind.Object, config.GetProperty("scenarios").ValueKind);
    }

    [Fact]
    public async Task Putting_back_what_get_answered_changes_nothing()
    {
        var before = (await api.Get("/_mock/config")).Ok().Text;

        var put = (await api.Send(HttpMethod.Put, "/_mock/config", before)).Ok().Text;

        Assert.Equal(before, put);
        Assert.Equal(before, (await api.Get("/_mock/config")).Ok().Text);
    }

    [Fact]
    public async Task After_a_round_trip_the_same_requests_give_byte_identical_answers()
    {
        var expected = await Script();
        (await api.Post("/_mock/reset")).Ok();
        var document = (await api.Get("/_mock/config")).Ok().Text;
        (await api.Send(HttpMethod.Put, "/_mock/config", document)).Ok();

        var actual = await Script();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task New_weights_apply_to_runs_created_after_the_put_only()
    {
        await Put(config => config["outcomes"] = new JsonObject { ["complete"] = 1 });
        var (_, before, beforeRun) = await api.StartRun();
        await Put(config => config["outcomes"] = new JsonObject { ["fail"] = 1 });
        var (_, after, afterRun) = await api.StartRun();

        await api.Advance(5);

        Assert.Equal("completed", (await api.GetRun(before, beforeRun)).Status());
        Assert.Equal("failed", (await api.GetRun(after, afterRun)).Status());
    }

    [Fact]
    public async Task New_timings_apply_to_runs_created_after_the_put()
    {
        await Put(config =>
        {
            config["timings"]!["queued"] = "00:00:10";
            config["timings"]!["jitter"] = 0;
        });
        var (_, thread, run) = await api.StartRun();

        await api.Advance(9.9);
        Assert.Equal("queued", (await api.GetRun(thread, run)).Status());
        await api.Advance(0.1);
        Assert.Equal("in_progress", (await api.GetRun(thread, run)).Status());
    }

    [Fact]
    public async Task A_run_keeps_the_jitter_of_the_config_it_was_created_under()
    {
        await Put(config =>
        {
            config["timings"]!["queued"] = "00:00:10";
            config["timings"]!["in_progress"] = "00:00:10";
            config["timings"]!["jitter"] = 0;
        });
        var (_, thread, run) = await api.StartRun();

        await Put(config => config["timings"]!["jitter"] = 0.9);
        await api.Advance(10);
        Assert.Equal("in_progress", (await api.GetRun(thread, run)).Status());
        await api.Advance(9.9);
        Assert.Equal("in_progress", (await api.GetRun(thread, run)).Status());
        await api.Advance(0.1);
        Assert.Equal("completed", (await api.GetRun(thread, run)).Status());
    }

    [Fact]
    public async Task Plans_shared_by_the_runs_of_a_replaced_config_are_let_go()
    {
        var engine = server.Services.GetRequiredService<RunEngine>();
        await api.StartRun();
        await Put(config => config["scenarios"] = new JsonObject { ["long"] = new JsonObject { ["message_text"] = new string('x', 100_000) } });
        await api.StartRun(headers: ("X-Mock-Scenario", "long"));

        await Put(config => config["timings"]!["queued"] = "00:00:01");
        await api.StartRun();

        // Only the plan of the run made under the config now in use is held for sharing, not the 100,000-character text.
        Assert.Equal(1, engine.SharedPlanCount);
    }

    [Fact]
    public async Task A_scenario_added_by_put_can_be_asked_for_until_reset()
    {
        await Put(config => config["scenarios"] = new JsonObject { ["broken"] = new JsonObject { ["outcome"] = "fail" } });

        var (_, thread, run) = await api.StartRun(headers: ("X-Mock-Scenario", "broken"));
        await api.Advance(5);
        Assert.Equal("failed", (await api.GetRun(thread, run)).Status());

        (await api.Post("/_mock/reset")).Ok();
        var refused = await api.CreateRun(await api.CreateThread(), new { assistant_id = await api.CreateAssistant() }, ("X-Mock-Scenario", "broken"));
        refused.Error(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Faults_put_at_run_time_apply_to_the_next_requests()
    {
        await Put(config => config["faults"]!["server_error"] = 1);

        (await api.Get("/v1/assistants")).Error(HttpStatusCode.InternalServerError);
        (await api.Get("/_mock/clock")).Ok();
    }

    [Fact]
    public async Task Rate_limits_put_at_run_time_apply_to_the_next_requests()
    {
        await Put(config => config["rate_limits"]!["requests_per_minute"] = 2);

        var response = (await api.Get("/v1/assistants")).Ok();

        Assert.Equal("2", response.Header("x-ratelimit-limit-requests"));
        Assert.Equal("1", response.Header("x-ratelimit-remaining-requests"));
    }

    [Fact]
    public async Task Reset_returns_to_the_configured_values()
    {
        var configured = (await api.Get("/_mock/config")).Ok().Text;
        await Put(config =>
        {
            config["faults"]!["server_error"] = 1;
            config["outcomes"] = new JsonObject { ["fail"] = 1 };
        });

        (await api.Post("/_mock/reset")).Ok();

        Assert.Equal(configured, (await api.Get("/_mock/config")).Ok().Text);
        (await api.Get("/v1/assistants")).Ok();
    }

    [Fact]
    public async Task Sections_left_out_of_a_put_take_their_defaults()
    {
        (await api.Send(HttpMethod.Put, "/_mock/config", """{"faults":{"drop":0}}""")).Ok();

        var config = (await api.Get("/_mock/config")).Ok().Json;

        Assert.Empty(config.GetProperty("outcomes").EnumerateObject());
        Assert.Equal(0, config.GetProperty("timings").GetProperty("jitter").GetDouble());
        Assert.Equal("00:00:01", config.GetProperty("faults").Str("retry_after"));
    }

    [Theory]
    [InlineData("""{"timings":{"queued":"-00:00:01"}}""", "timings.queued", "invalid_value")]
    [InlineData("""{"timings":{"queued":5}}""", "timings.queued", "invalid_type")]
    [InlineData("""{"timngs":{}}""", "timngs", "unknown_parameter")]
    [InlineData("""{"rules":[{"scenario":"fail","colour":"red"}]}""", "rules.0.colour", "unknown_parameter")]
    [InlineData("""{"timings":null}""", "timings", "invalid_type")]
    [InlineData("""{"outcomes":{"nope":1}}""", "outcomes.nope", "invalid_value")]
    [InlineData("""{"scenarios":{"slow":{"outcome":"bogus"}}}""", "scenarios.slow.outcome", "invalid_value")]
    [InlineData("""{"rules":[{"scenario":"fail","message_regex":"("}]}""", "rules.0.message_regex", "invalid_value")]
    [InlineData("""{"faults":{"server_error":2}}""", "faults.server_error", "invalid_value")]
    [InlineData("""{"faults":{"rate_limit":0.6,"drop":0.6}}""", "faults", "invalid_value")]
    [InlineData("""{"latency":{"fixed":"00:10:00"}}""", "latency.fixed", "invalid_value")]
    [InlineData("""{"rate_limits":{"requests_per_minute":0}}""", "rate_limits.requests_per_minute", "invalid_value")]
    [InlineData("""{"scenarios":{"a b":{"outcome":"x"}}}""", "scenarios.a b.outcome", "invalid_value")]
    [InlineData("""{"outcomes":{"my scenario":1}}""", "outcomes.my scenario", "invalid_value")]
    [InlineData("""{"faults":{"total":1}}""", "faults.total", "unknown_parameter")]
    [InlineData("""{"rate_limits":{"enabled":true}}""", "rate_limits.enabled", "unknown_parameter")]
    public async Task A_bad_document_is_a_400_naming_the_field(string document, string param, string code)
    {
        var error = (await api.Send(HttpMethod.Put, "/_mock/config", document)).Error(HttpStatusCode.BadRequest);

        Assert.Equal(param, error.Str("param"));
        Assert.Equal(code, error.Str("code"));
        Assert.Contains(param, error.Str("message"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/plain")]
    public async Task A_put_is_read_as_json_whatever_its_content_type(string? contentType)
    {
        // curl -X PUT -d sends form encoding: the document is JSON all the same.
        using var request = new HttpRequestMessage(HttpMethod.Put, "/_mock/config")
        {
            Content = new ByteArrayContent("""{"outcomes":{"fail":1}}"""u8.ToArray()),
        };
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await api.Get("/_mock/config")).Ok().Json.GetProperty("outcomes").GetProperty("fail").GetDouble());
    }

    [Fact]
    public async Task Weights_that_add_up_past_the_largest_number_are_a_400_and_change_nothing()
    {
        var before = (await api.Get("/_mock/config")).Ok().Text;

        var error = (await api.Send(HttpMethod.Put, "/_mock/config", """{"outcomes":{"fail":1e308,"rate_limit":1e308}}""")).Error(HttpStatusCode.BadRequest);

        Assert.Equal("outcomes", error.Str("param"));
        Assert.Equal(before, (await api.Get("/_mock/config")).Ok().Text);
    }

    [Fact]
    public async Task A_document_that_is_not_an_object_is_a_400()
    {
        var error = (await api.Send(HttpMethod.Put, "/_mock/config", "[1]")).Error(HttpStatusCode.BadRequest);

        Assert.True(error.IsNull("param"));
    }

    [Fact]
    public async Task A_refused_put_changes_nothing_even_in_its_valid_parts()
    {
        var before = (await api.Get("/_mock/config")).Ok().Text;

        (await api.Send(HttpMethod.Put, "/_mock/config", """{"faults":{"server_error":1},"timings":{"queued":"-00:00:01"}}""")).Error(HttpStatusCode.BadRequest);

        Assert.Equal(before, (await api.Get("/_mock/config")).Ok().Text);
        (await api.Get("/v1/assistants")).Ok();
    }

    /// <summary>Takes the current document, changes it and puts it back.</summary>
    private async Task Put(Action<JsonObject> change)
    {
        var config = JsonNode.Parse((await api.Get("/_mock/config")).Ok().Text)!.AsObject();
        change(config);
        (await api.Send(HttpMethod.Put, "/_mock/config", config.ToJsonString())).Ok();
    }

    /// <summary>A few runs through their lives; every answer's text, in order.</summary>
    private async Task<List<string>> Script()
    {
        var texts = new List<string>();
        var assistant = await api.CreateAssistant();
        for (var i = 0; i < 4; i++)
        {
            var thread = await api.CreateThread();
            var run = (await api.CreateRun(thread, new { assistant_id = assistant })).Ok();
            texts.Add(run.Text);
            await api.Advance(3);
            texts.Add((await api.Get($"/v1/threads/{thread}/runs/{run.Id}")).Ok().Text);
            texts.Add((await api.Get($"/v1/threads/{thread}/messages")).Ok().Text);
        }
        return texts;
    }
}
