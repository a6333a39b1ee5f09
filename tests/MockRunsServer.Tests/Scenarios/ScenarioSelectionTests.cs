using System.Net;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Scenarios;

public sealed class RuleServer() : MockServerFactory(new Dictionary<string, string?>
{
    ["Mock:Rules:0:Scenario"] = "fail",
    ["Mock:Rules:0:MessageContains"] = "please fail",
    ["Mock:Rules:1:Scenario"] = "rate_limit",
    ["Mock:Rules:1:AssistantName"] = "Throttled",
    ["Mock:Rules:2:Scenario"] = "incomplete",
    ["Mock:Rules:2:Model"] = "gpt-tiny",
    ["Mock:Rules:3:Scenario"] = "invalid_prompt",
    ["Mock:Rules:3:MessageRegex"] = "^forbidden \\d+$",
    ["Mock:Rules:4:Scenario"] = "fail",
    ["Mock:Rules:4:Metadata:tier"] = "broken",
});

/// <summary>How a run's scenario is chosen: header, metadata, directive, rules, weights, then complete (contract §2).</summary>
public sealed class ScenarioSelectionTests(RuleServer factory) : IClassFixture<RuleServer>
{
    private readonly ApiClient api = factory.Api();

    private async Task<string> FinalStatus(string thread, string run)
    {
        await api.Advance(3);
        return (await api.GetRun(thread, run)).Status();
    }

    private async Task<(string Thread, string Run)> RunOnMessage(string text, object? runFields = null, params (string, string)[] headers)
    {
        var assistant = await api.CreateAssistant();
        var thread = await api.CreateThread(new { messages = new[] { new { role = "user", content = text } } });
        var body = new Dictionary<string, object?> { ["assistant_id"] = assistant };
        if (runFields is not null)
        {
            foreach (var property in System.Text.Json.JsonSerializer.SerializeToElement(runFields).EnumerateObject())
            {
                body[property.Name] = property.Value;
            }
        }
        var run = (await api.CreateRun(thread, body, headers)).Ok().Id;
        return (thread, run);
    }

    [Fact]
    public async Task The_X_Mock_Scenario_header_chooses_the_scenario()
    {
        var (thread, run) = await RunOnMessage("hello", null, ("X-Mock-Scenario", "fail"));
        Assert.Equal("failed", await FinalStatus(thread, run));
    }

    [Fact]
    public async Task The_header_wins_over_metadata()
    {
        var (thread, run) = await RunOnMessage("hello", new { metadata = new { mock_scenario = "fail" } }, ("X-Mock-Scenario", "complete"));
        Assert.Equal("completed", await FinalStatus(thread, run));
    }

    [Fact]
    public async Task Metadata_mock_scenario_chooses_the_scenario()
    {
        var (thread, run) = await RunOnMessage("hello", new { metadata = new { mock_scenario = "incomplete" } });
        Assert.Equal("incomplete", await FinalStatus(thread, run));
    }

    [Fact]
    public async Task Metadata_wins_over_a_directive()
    {
        var (thread, run) = await RunOnMessage("[mock:fail] hi", new { metadata = new { mock_scenario = "complete" } });
        Assert.Equal("completed", await FinalStatus(thread, run));
    }

    [Fact]
    public async Task A_directive_in_the_last_user_message_chooses_the_scenario()
    {
        var (thread, run) = await RunOnMessage("Book me a table [mock:rate_limit] tonight");
        await api.Advance(3);
        var body = await api.GetRun(thread, run);
        Assert.Equal("failed", body.Status());
        Assert.Equal("rate_limit_exceeded", body.GetProperty("last_error").Str("code"));
    }

    [Fact]
    public async Task An_unknown_directive_is_just_text()
    {
        var (thread, run) = await RunOnMessage("[mock:no_such_thing] hello");
        Assert.Equal("completed", await FinalStatus(thread, run));
    }

    [Fact]
    public async Task A_directive_wins_over_the_rules()
    {
        var (thread, run) = await RunOnMessage("please fail [mock:complete]");
        Assert.Equal("completed", await FinalStatus(thread, run));
    }

    [Fact]
    public async Task A_rule_matching_the_message_text_chooses_the_scenario()
    {
        var (thread, run) = await RunOnMessage("could you PLEASE FAIL now");
        Assert.Equal("failed", await FinalStatus(thread, run));
    }

    [Fact]
    public async Task A_rule_matching_a_message_regex_chooses_the_scenario()
    {
        var (thread, run) = await RunOnMessage("forbidden 42");
        await api.Advance(3);
        Assert.Equal("invalid_prompt", (await api.GetRun(thread, run)).GetProperty("last_error").Str("code"));
    }

    [Fact]
    public async Task A_rule_matching_the_assistant_name_chooses_the_scenario()
    {
        var assistant = await api.CreateAssistant(new { model = "gpt-4o", name = "Throttled" });
        var thread = await api.CreateThread();
        var run = (await api.CreateRun(thread, new { assistant_id = assistant })).Ok().Id;
        await api.Advance(3);
        Assert.Equal("rate_limit_exceeded", (await api.GetRun(thread, run)).GetProperty("last_error").Str("code"));
    }

    [Fact]
    public async Task A_rule_matching_the_model_chooses_the_scenario()
    {
        var (thread, run) = await RunOnMessage("hello", new { model = "gpt-tiny" });
        Assert.Equal("incomplete", await FinalStatus(thread, run));
    }

    [Fact]
    public async Task A_rule_matching_metadata_chooses_the_scenario()
    {
        var (thread, run) = await RunOnMessage("hello", new { metadata = new { tier = "broken" } });
        Assert.Equal("failed", await FinalStatus(thread, run));
    }

    [Fact]
    public async Task Without_any_selector_the_run_completes()
    {
        var (thread, run) = await RunOnMessage("an ordinary question");
        Assert.Equal("completed", await FinalStatus(thread, run));
    }

    [Fact]
    public async Task An_unknown_scenario_in_the_header_is_a_400_listing_the_known_ones_and_creates_nothing()
    {
        var assistant = await api.CreateAssistant();
        var thread = await api.CreateThread();
        var error = (await api.CreateRun(thread, new { assistant_id = assistant }, ("X-Mock-Scenario", "explode"))).Error(HttpStatusCode.BadRequest);

        Assert.Contains("'explode'", error.Str("message"));
        foreach (var known in new[] { "complete", "tool_call", "fail", "rate_limit", "invalid_prompt", "incomplete", "expire" })
        {
            Assert.Contains($"'{known}'", error.Str("message"));
        }
        Assert.Equal(0, (await api.Get($"/v1/threads/{thread}/runs")).Ok().Json.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task An_unknown_scenario_in_metadata_is_a_400_naming_the_field()
    {
        var assistant = await api.CreateAssistant();
        var thread = await api.CreateThread();
        var error = (await api.CreateRun(thread, new { assistant_id = assistant, metadata = new { mock_scenario = "explode" } })).Error(HttpStatusCode.BadRequest);

        Assert.Equal("metadata.mock_scenario", error.Str("param"));
        Assert.Equal(0, (await api.Get($"/v1/threads/{thread}/runs")).Ok().Json.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task An_unknown_scenario_on_create_thread_and_run_leaves_no_thread_behind()
    {
        var assistant = await api.CreateAssistant();
        var before = (await api.Get("/_mock/runs")).Ok().Json.GetProperty("count").GetInt32();
        (await api.Post("/v1/threads/runs", new { assistant_id = assistant }, ("X-Mock-Scenario", "explode"))).Error(HttpStatusCode.BadRequest);
        Assert.Equal(before, (await api.Get("/_mock/runs")).Ok().Json.GetProperty("count").GetInt32());
    }
}
