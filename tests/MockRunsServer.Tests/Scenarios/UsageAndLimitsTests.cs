using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Scenarios;

public sealed class LongReplyServer() : MockServerFactory(new Dictionary<string, string?>
{
    ["Mock:Generation:MinWords"] = "600",
    ["Mock:Generation:MaxWords"] = "700",
});

/// <summary>Token estimates (~4 characters a token), per-step usage, and the natural limits max_*_tokens (issue 4).</summary>
public sealed class UsageAndLimitsTests(LongReplyServer factory) : IClassFixture<LongReplyServer>
{
    private readonly ApiClient api = factory.Api();

    private async Task<(string Thread, string Run, JsonElement Body)> Finished(object? assistant, object run)
    {
        var (_, thread, id) = await api.StartRun(assistant, run);
        await api.Advance(3);
        return (thread, id, await api.GetRun(thread, id));
    }

    [Fact]
    public async Task Max_completion_tokens_below_the_reply_ends_incomplete_with_a_truncated_message()
    {
        var (thread, run, body) = await Finished(null, new { max_completion_tokens = 256 });

        Assert.Equal("incomplete", body.Status());
        Assert.Equal("max_completion_tokens", body.GetProperty("incomplete_details").Str("reason"));
        Assert.True(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32() <= 256);
        var message = (await api.Get($"/v1/threads/{thread}/messages?run_id={run}")).Ok().Json.GetProperty("data")[0];
        Assert.Equal("incomplete", message.Str("status"));
        Assert.Equal("max_tokens", message.GetProperty("incomplete_details").Str("reason"));
        Assert.True(message.GetProperty("content")[0].GetProperty("text").Str("value").Length <= 256 * 4);
    }

    [Theory]
    [InlineData(536870912)]
    [InlineData(int.MaxValue)]
    public async Task An_incomplete_run_with_a_huge_max_completion_tokens_still_ends_incomplete(int limit)
    {
        // The spec sets no maximum; 2^29 tokens and more once overflowed the characters they allow.
        var (_, thread, id) = await api.StartRun(null, new { max_completion_tokens = limit }, ("X-Mock-Scenario", "incomplete"));
        var fired = (await api.Post("/_mock/clock/advance", new { seconds = 3 })).Ok().Json.GetProperty("fired");
        var body = await api.GetRun(thread, id);

        Assert.Equal("incomplete", body.Status());
        Assert.Equal("max_completion_tokens", body.GetProperty("incomplete_details").Str("reason"));
        Assert.Contains(fired.EnumerateArray(), transition => transition.Str("run_id") == id && transition.Str("to") == "incomplete");
        var message = (await api.Get($"/v1/threads/{thread}/messages?run_id={id}")).Ok().Json.GetProperty("data")[0];
        Assert.NotEmpty(message.GetProperty("content")[0].GetProperty("text").Str("value"));
    }

    [Fact]
    public async Task A_reply_cut_by_max_completion_tokens_never_splits_an_emoji()
    {
        // 1,023 characters, then an emoji across the 1,024-character (256-token) cut.
        var text = new string('a', 1000) + " " + new string('b', 22) + "\U0001F600 and more words after it";
        using var server = MockServerFactory.With(("Mock:Scenarios:emoji:MessageText", text));
        var client = server.Api();
        var (_, thread, run) = await client.StartRun(null, new { max_completion_tokens = 256 }, ("X-Mock-Scenario", "emoji"));
        await client.Advance(3);

        var message = (await client.Get($"/v1/threads/{thread}/messages?run_id={run}")).Ok().Json.GetProperty("data")[0];

        Assert.Equal("incomplete", message.Str("status"));
        Assert.Equal(text[..1023], message.GetProperty("content")[0].GetProperty("text").Str("value"));
    }

    [Fact]
    public async Task Max_completion_tokens_is_for_the_whole_run_so_a_tool_rounds_arguments_leave_the_answer_less()
    {
        var assistant = await api.CreateAssistant(new
        {
            model = "gpt-4o",
            tools = new[] { new { type = "function", function = new { name = "write", parameters = new { type = "object", properties = new { text = new { type = "string", minLength = 800, maxLength = 800 } }, required = new[] { "text" } } } } },
        });
        var thread = await api.CreateThread();
        var run = (await api.CreateRun(thread, new { assistant_id = assistant, max_completion_tokens = 256 }, ("X-Mock-Scenario", "tool_call"))).Ok().Id;
        await api.Advance(3);
        var waiting = await api.GetRun(thread, run);
        var outputs = waiting.GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls").EnumerateArray()
            .Select(call => new { tool_call_id = call.Str("id"), output = "done" }).ToArray();
        (await api.Post($"/v1/threads/{thread}/runs/{run}/submit_tool_outputs", new { tool_outputs = outputs })).Ok();
        await api.Advance(3);

        var body = await api.GetRun(thread, run);
        Assert.Equal("incomplete", body.Status());
        Assert.Equal("max_completion_tokens", body.GetProperty("incomplete_details").Str("reason"));
        Assert.InRange(body.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), 200, 256);
    }

    [Fact]
    public async Task Max_completion_tokens_above_the_reply_completes()
    {
        var (_, _, body) = await Finished(null, new { max_completion_tokens = 100_000 });
        Assert.Equal("completed", body.Status());
    }

    [Fact]
    public async Task Max_prompt_tokens_below_the_prompt_ends_incomplete_with_max_prompt_tokens()
    {
        var assistant = new { model = "gpt-4o", instructions = new string('x', 4000) };
        var (_, _, body) = await Finished(assistant, new { max_prompt_tokens = 256 });
        Assert.Equal("incomplete", body.Status());
        Assert.Equal("max_prompt_tokens", body.GetProperty("incomplete_details").Str("reason"));
        Assert.InRange(body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), 0, 256);
    }

    private async Task<string> ThreadOf(params string[] texts) =>
        await api.CreateThread(new { messages = texts.Select(text => new { role = "user", content = text }).ToArray() });

    [Fact]
    public async Task Auto_truncation_drops_the_oldest_messages_to_fit_max_prompt_tokens_and_completes()
    {
        var assistant = await api.CreateAssistant(new { model = "gpt-4o", instructions = new string('i', 400) });
        // 100 tokens of instructions, then 500, 100 and 40 of messages: only the newest two fit 256 beside them.
        var thread = await ThreadOf(new string('a', 2000), new string('b', 400), new string('c', 160));

        var run = (await api.CreateRun(thread, new { assistant_id = assistant, max_prompt_tokens = 256 })).Ok().Id;
        await api.Advance(3);

        var body = await api.GetRun(thread, run);
        Assert.Equal("completed", body.Status());
        Assert.Equal(100 + 100 + 40, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Truncation_to_the_last_messages_drops_nothing_more_so_a_prompt_over_max_prompt_tokens_ends_incomplete()
    {
        var assistant = await api.CreateAssistant();
        var thread = await ThreadOf(new string('a', 2000), new string('b', 40));

        var run = (await api.CreateRun(thread, new { assistant_id = assistant, max_prompt_tokens = 256, truncation_strategy = new { type = "last_messages", last_messages = 2 } })).Ok().Id;
        await api.Advance(3);

        var body = await api.GetRun(thread, run);
        Assert.Equal("incomplete", body.Status());
        Assert.Equal("max_prompt_tokens", body.GetProperty("incomplete_details").Str("reason"));
        Assert.InRange(body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), 0, 256);
    }

    [Fact]
    public async Task Max_prompt_tokens_is_for_the_whole_run_so_a_tool_round_that_would_pass_it_ends_incomplete()
    {
        var assistant = await api.CreateAssistant(new
        {
            model = "gpt-4o",
            tools = new[] { new { type = "function", function = new { name = "lookup", parameters = new { type = "object", properties = new { } } } } },
        });
        // 190 tokens: the first call fits 256, the second (the same message again, and the call's output) cannot fit the 66 left.
        var thread = await ThreadOf(new string('q', 760));
        var run = (await api.CreateRun(thread, new { assistant_id = assistant, max_prompt_tokens = 256 }, ("X-Mock-Scenario", "tool_call"))).Ok().Id;
        await api.Advance(3);
        var waiting = await api.GetRun(thread, run);
        Assert.Equal("requires_action", waiting.Status());
        var outputs = waiting.GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls").EnumerateArray()
            .Select(call => new { tool_call_id = call.Str("id"), output = "ok" }).ToArray();
        (await api.Post($"/v1/threads/{thread}/runs/{run}/submit_tool_outputs", new { tool_outputs = outputs })).Ok();
        await api.Advance(3);

        var body = await api.GetRun(thread, run);
        Assert.Equal("incomplete", body.Status());
        Assert.Equal("max_prompt_tokens", body.GetProperty("incomplete_details").Str("reason"));
        Assert.Equal(256, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Prompt_tokens_count_the_instructions_and_the_thread_at_four_characters_a_token()
    {
        var assistant = new { model = "gpt-4o", instructions = new string('x', 400) };
        var (_, _, body) = await Finished(assistant, new { });
        // 400 characters of instructions + "Hello there" (11 characters) = 100 + 3 tokens.
        Assert.Equal(103, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Truncation_to_the_last_messages_counts_only_those()
    {
        var assistantId = await api.CreateAssistant();
        var thread = await api.CreateThread(new
        {
            messages = new[]
            {
                new { role = "user", content = new string('a', 400) },
                new { role = "user", content = new string('b', 40) },
            },
        });
        var run = (await api.CreateRun(thread, new { assistant_id = assistantId, truncation_strategy = new { type = "last_messages", last_messages = 1 } })).Ok().Id;
        await api.Advance(3);
        Assert.Equal(10, (await api.GetRun(thread, run)).GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Completion_tokens_are_the_reply_length_over_four()
    {
        var (thread, run, body) = await Finished(null, new { });
        var text = (await api.Get($"/v1/threads/{thread}/messages?run_id={run}")).Ok().Json.GetProperty("data")[0]
            .GetProperty("content")[0].GetProperty("text").Str("value");
        Assert.Equal((text.Length + 3) / 4, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }
}
