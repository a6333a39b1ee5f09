using System.Net;
using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary>What a run takes from its assistant at creation, what the request overrides, and what it adds (spec/runs.md §4.4).</summary>
public sealed class RunInheritanceTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private static readonly object Configured = new
    {
        model = "gpt-4o-mini",
        name = "Configured",
        instructions = "Be brief.",
        tools = new object[] { new { type = "function", function = new { name = "lookup" } }, new { type = "code_interpreter" } },
        temperature = 0.4,
        top_p = 0.7,
        response_format = new { type = "json_object" },
        reasoning_effort = "low",
    };

    [Fact]
    public async Task A_run_copies_the_assistants_settings()
    {
        var (_, thread, run) = await api.StartRun(Configured);
        var body = await api.GetRun(thread, run);

        Assert.Equal("gpt-4o-mini", body.Str("model"));
        Assert.Equal("Be brief.", body.Str("instructions"));
        Assert.Equal("lookup", body.GetProperty("tools")[0].GetProperty("function").Str("name"));
        Assert.Equal("code_interpreter", body.GetProperty("tools")[1].Str("type"));
        Assert.Equal(0.4, body.GetProperty("temperature").GetDouble());
        Assert.Equal(0.7, body.GetProperty("top_p").GetDouble());
        Assert.Equal("json_object", body.GetProperty("response_format").Str("type"));
        Assert.Equal("low", body.Str("reasoning_effort"));
    }

    [Fact]
    public async Task Later_edits_to_the_assistant_do_not_change_an_existing_run()
    {
        var (assistant, thread, run) = await api.StartRun(Configured);
        var before = (await api.Get($"/v1/threads/{thread}/runs/{run}")).Text;

        (await api.Post($"/v1/assistants/{assistant}", new
        {
            model = "gpt-4.1",
            instructions = "Be verbose.",
            tools = Array.Empty<object>(),
            temperature = 1.5,
            top_p = 0.2,
            response_format = new { type = "text" },
            reasoning_effort = "high",
        })).Ok();

        Assert.Equal(before, (await api.Get($"/v1/threads/{thread}/runs/{run}")).Text);
    }

    [Fact]
    public async Task Request_fields_override_the_assistants()
    {
        var (_, thread, run) = await api.StartRun(Configured, new
        {
            model = "gpt-4.1",
            instructions = "Answer in French.",
            tools = new object[] { new { type = "file_search" } },
            temperature = 1.2,
            top_p = 0.3,
            response_format = new { type = "text" },
            reasoning_effort = "minimal",
        });
        var body = await api.GetRun(thread, run);

        Assert.Equal("gpt-4.1", body.Str("model"));
        Assert.Equal("Answer in French.", body.Str("instructions"));
        Assert.Equal("file_search", Assert.Single(body.GetProperty("tools").EnumerateArray()).Str("type"));
        Assert.Equal(1.2, body.GetProperty("temperature").GetDouble());
        Assert.Equal(0.3, body.GetProperty("top_p").GetDouble());
        Assert.Equal("text", body.GetProperty("response_format").Str("type"));
        Assert.Equal("minimal", body.Str("reasoning_effort"));
    }

    [Fact]
    public async Task An_assistant_without_sampling_settings_gives_the_run_one_point_zero()
    {
        var (_, thread, run) = await api.StartRun(new { model = "gpt-4o" });
        var body = await api.GetRun(thread, run);
        Assert.Equal(1.0, body.GetProperty("temperature").GetDouble());
        Assert.Equal(1.0, body.GetProperty("top_p").GetDouble());
        Assert.Equal("auto", body.GetProperty("response_format").GetString());
        Assert.True(body.IsNull("instructions"));
        Assert.Empty(body.GetProperty("tools").EnumerateArray());
    }

    [Fact]
    public async Task Additional_instructions_are_appended_to_the_assistants_instructions()
    {
        var (_, thread, run) = await api.StartRun(Configured, new { additional_instructions = "Mention the weather." });
        var instructions = (await api.GetRun(thread, run)).Str("instructions");
        Assert.StartsWith("Be brief.", instructions);
        Assert.EndsWith("Mention the weather.", instructions);
    }

    [Fact]
    public async Task Additional_instructions_are_appended_to_overriding_instructions()
    {
        var (_, thread, run) = await api.StartRun(Configured, new { instructions = "Answer in French.", additional_instructions = "Mention the weather." });
        var instructions = (await api.GetRun(thread, run)).Str("instructions");
        Assert.StartsWith("Answer in French.", instructions);
        Assert.EndsWith("Mention the weather.", instructions);
        Assert.DoesNotContain("Be brief.", instructions);
    }

    [Fact]
    public async Task Additional_instructions_alone_become_the_instructions()
    {
        var (_, thread, run) = await api.StartRun(new { model = "gpt-4o" }, new { additional_instructions = "Mention the weather." });
        Assert.Equal("Mention the weather.", (await api.GetRun(thread, run)).Str("instructions"));
    }

    [Fact]
    public async Task Additional_messages_are_added_to_the_thread_in_order_before_the_run_without_a_run_id()
    {
        var (_, thread, run) = await api.StartRun(null, new
        {
            additional_messages = new object[]
            {
                new { role = "user", content = "First extra" },
                new { role = "assistant", content = "Second extra" },
            },
        });
        var messages = await api.Messages(thread, "?order=asc");

        Assert.Equal(["Hello there", "First extra", "Second extra"], messages.Select(m => m.GetProperty("content")[0].GetProperty("text").Str("value")));
        Assert.Equal(["user", "user", "assistant"], messages.Select(m => m.Str("role")));
        Assert.All(messages, m => Assert.True(m.IsNull("run_id")));
        Assert.All(messages, m => Assert.True(m.IsNull("assistant_id")));
        var created = (await api.GetRun(thread, run)).Long("created_at");
        Assert.All(messages, m => Assert.True(m.Long("created_at") <= created));
    }

    [Fact]
    public async Task The_runs_reply_comes_after_its_additional_messages()
    {
        var (_, thread, run) = await api.StartRun(null, new { additional_messages = new[] { new { role = "user", content = "Extra" } } });
        await api.Advance(3);
        var messages = await api.Messages(thread, "?order=asc");
        Assert.Equal(3, messages.Count);
        Assert.Equal(run, messages[^1].Str("run_id"));
    }

    [Fact]
    public async Task A_tool_choice_naming_a_function_not_among_the_tools_is_a_400()
    {
        var assistant = await api.CreateAssistant(Configured);
        var thread = await api.CreateThread();
        var response = await api.CreateRun(thread, new
        {
            assistant_id = assistant,
            tool_choice = new { type = "function", function = new { name = "not_there" } },
        });
        var error = response.Error(HttpStatusCode.BadRequest);
        Assert.Equal("tool_choice", error.Str("param"));
        Assert.Contains("not_there", error.Message());
        Assert.Empty((await api.Get($"/v1/threads/{thread}/runs")).Ok().Json.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task A_tool_choice_is_checked_against_the_overriding_tools_not_the_assistants()
    {
        var assistant = await api.CreateAssistant(Configured);
        var thread = await api.CreateThread();
        var response = await api.CreateRun(thread, new
        {
            assistant_id = assistant,
            tools = new object[] { new { type = "function", function = new { name = "other" } } },
            tool_choice = new { type = "function", function = new { name = "lookup" } },
        });
        response.Error(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_tool_choice_naming_an_inherited_function_is_accepted()
    {
        var (_, thread, run) = await api.StartRun(Configured, new { tool_choice = new { type = "function", function = new { name = "lookup" } } });
        var body = await api.GetRun(thread, run);
        Assert.Equal("lookup", body.GetProperty("tool_choice").GetProperty("function").Str("name"));
    }

    [Fact]
    public async Task A_tool_choice_naming_a_tool_type_the_run_lacks_is_a_400()
    {
        var assistant = await api.CreateAssistant(Configured);
        var thread = await api.CreateThread();
        var error = (await api.CreateRun(thread, new { assistant_id = assistant, tool_choice = new { type = "file_search" } })).Error(HttpStatusCode.BadRequest);
        Assert.Equal("tool_choice", error.Str("param"));
    }

    [Fact]
    public async Task Function_tools_are_normalised_with_strict_and_empty_parameters()
    {
        var (_, thread, run) = await api.StartRun(Configured);
        var function = (await api.GetRun(thread, run)).GetProperty("tools")[0].GetProperty("function");
        Assert.False(function.GetProperty("strict").GetBoolean());
        Assert.Equal(JsonValueKind.Object, function.GetProperty("parameters").ValueKind);
    }
}
