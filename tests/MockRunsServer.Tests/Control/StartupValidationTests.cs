using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Control;

/// <summary>Invalid configuration stops start-up with a message naming the key (contract §5).</summary>
public sealed class StartupValidationTests
{
    private static string StartFailure(params (string Key, string? Value)[] settings)
    {
        using var server = MockServerFactory.With(settings);
        var exception = Record.Exception(() => server.CreateClient());
        Assert.NotNull(exception);
        return exception.ToString();
    }

    [Theory]
    [InlineData("Mock:Timings:Queued", "-00:00:01")]
    [InlineData("Mock:Timings:InProgress", "-00:00:02")]
    [InlineData("Mock:Timings:Cancelling", "-00:00:00.500")]
    [InlineData("Mock:Timings:Expiry", "00:00:00")]
    [InlineData("Mock:Timings:Jitter", "1.5")]
    [InlineData("Mock:Timings:Jitter", "-0.1")]
    [InlineData("Mock:PollAfterMaxMs", "0")]
    public void A_bad_timing_stops_start_up_naming_the_key(string key, string value)
    {
        Assert.Contains(key, StartFailure((key, value)));
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("1e20")]
    [InlineData("100000000001")]
    [InlineData("NaN")]
    public void A_clock_start_that_is_no_unix_time_stops_start_up_naming_the_key(string value)
    {
        Assert.Contains("Mock:Clock:Start", StartFailure(("Mock:Clock:Start", value)));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100000000000")]
    public async Task A_clock_start_at_either_end_of_the_range_starts_and_moves(string value)
    {
        using var server = MockServerFactory.With(("Mock:Clock:Start", value));
        var api = server.Api();

        var advanced = (await api.Post("/_mock/clock/advance", new { seconds = 3 })).Ok().Json;

        Assert.Equal(long.Parse(value, System.Globalization.CultureInfo.InvariantCulture) + 3, advanced.Long("now"));
    }

    [Theory]
    [InlineData("Mock:Clock:Mod", "manual", "Mock:Clock:Mod")]
    [InlineData("Mock:Timing:Queued", "00:00:01", "Mock:Timing")]
    [InlineData("Mock:Scenarios:slow:Outcom", "fail", "Mock:Scenarios:slow:Outcom")]
    [InlineData("Mock:Rules:0:Modle", "gpt-4o", "Mock:Rules:0:Modle")]
    public void A_misspelled_key_stops_start_up_naming_its_path_instead_of_being_ignored(string key, string value, string named)
    {
        Assert.Contains($"{named} is not a setting the server knows", StartFailure((key, value)));
    }

    [Theory]
    [InlineData("Mock:Outcomes:complete", "abc", "Mock:Outcomes:complete 'abc' is not a number")]
    [InlineData("Mock:Scenarios:x:ToolCalls", "1.5", "Mock:Scenarios:x:ToolCalls '1.5' is not a whole number")]
    [InlineData("Mock:Scenarios:slow:Queued", "5s", "Mock:Scenarios:slow:Queued '5s' is not a duration")]
    [InlineData("Mock:Auth:ApiKeys", "sk-secret", "Mock:Auth:ApiKeys takes entries under it")]
    [InlineData("Mock:Outcomes", "complete", "Mock:Outcomes takes entries under it")]
    [InlineData("Mock:Clock", "manual", "Mock:Clock takes settings under it")]
    [InlineData("Mock:Seed:0", "42", "Mock:Seed:0 is not a setting the server knows")]
    [InlineData("Mock:Clock:Mode", "5", "Mock:Clock:Mode '5' is not one of real, manual")]
    [InlineData("Mock:Clock:Mode", "1", "Mock:Clock:Mode '1' is not one of real, manual")]
    public void A_value_the_binder_would_drop_without_a_word_stops_start_up_naming_it(string key, string value, string expected)
    {
        Assert.Contains(expected, StartFailure((key, value)));
    }

    [Fact]
    public void A_rule_s_metadata_given_as_one_value_stops_start_up_instead_of_matching_every_run()
    {
        var message = StartFailure(("Mock:Rules:0:Scenario", "fail"), ("Mock:Rules:0:Metadata", "tier"));

        Assert.Contains("Mock:Rules:0:Metadata takes entries under it", message);
    }

    [Fact]
    public async Task Empty_values_for_an_outcome_weight_and_the_admin_key_mean_none_and_list_entries_may_skip_numbers()
    {
        // As the binder takes them: compose's ${ADMIN_KEY:-} and a removed numbered variable must not stop the server.
        using var server = MockServerFactory.With(
            ("Mock:Outcomes:fail", ""), ("Mock:Admin:ApiKey", ""), ("Mock:Auth:ApiKeys:0", "sk-first"), ("Mock:Auth:ApiKeys:2", "sk-third"));
        var api = server.Api();

        var config = (await api.Get("/_mock/config")).Ok().Json;
        Assert.False(config.GetProperty("outcomes").TryGetProperty("fail", out _));
        api.Headers["Authorization"] = "Bearer sk-third";
        (await api.Get("/v1/assistants")).Ok();
    }

    [Theory]
    [InlineData("Mock:MaxRequestBodyBytes", "9223372036854775807")]
    [InlineData("Mock:MaxRequestBodyBytes", "30000001")]
    [InlineData("Mock:Generation:MaxWords", "2147483647")]
    [InlineData("Mock:Persistence:Interval", "49.17:02:47.295")]
    [InlineData("Mock:Admin:ApiKey", "  ")]
    [InlineData("Mock:Timings:Expiry", "00:00:00.0001")]
    public void A_value_past_what_the_server_can_hold_stops_start_up_naming_the_key(string key, string value)
    {
        Assert.Contains(key, StartFailure((key, value)));
    }

    [Fact]
    public void Every_misspelled_key_is_named_at_once()
    {
        var message = StartFailure(("Mock:Clock:Mod", "manual"), ("Mock:Sed", "1"));

        Assert.Contains("Mock:Clock:Mod", message);
        Assert.Contains("Mock:Sed", message);
    }

    [Fact]
    public void An_outcome_weight_for_an_unknown_scenario_stops_start_up()
    {
        var message = StartFailure(("Mock:Outcomes:explode", "5"));
        Assert.Contains("Mock:Outcomes:explode", message);
    }

    [Fact]
    public void A_negative_outcome_weight_stops_start_up()
    {
        Assert.Contains("Mock:Outcomes:fail", StartFailure(("Mock:Outcomes:fail", "-1")));
    }

    [Fact]
    public void A_rule_naming_an_unknown_scenario_stops_start_up()
    {
        var message = StartFailure(("Mock:Rules:0:Scenario", "explode"), ("Mock:Rules:0:Model", "gpt-4o"));
        Assert.Contains("Mock:Rules:0:Scenario", message);
    }

    [Fact]
    public void A_scenario_with_an_unknown_outcome_stops_start_up()
    {
        var message = StartFailure(("Mock:Scenarios:slow:Outcome", "explode"));
        Assert.Contains("Mock:Scenarios:slow:Outcome", message);
    }

    [Fact]
    public void A_scenario_with_a_negative_timing_stops_start_up()
    {
        Assert.Contains("Mock:Scenarios:slow:InProgress", StartFailure(("Mock:Scenarios:slow:InProgress", "-00:00:01")));
    }

    [Fact]
    public void A_rule_may_name_a_configured_scenario()
    {
        using var server = MockServerFactory.With(("Mock:Scenarios:slow:Outcome", "complete"), ("Mock:Rules:0:Scenario", "slow"));
        Assert.NotNull(server.CreateClient());
    }

    [Fact]
    public void A_timing_that_is_not_a_time_span_stops_start_up()
    {
        Assert.Contains("Mock:Timings:Queued", StartFailure(("Mock:Timings:Queued", "soon")));
    }
}
