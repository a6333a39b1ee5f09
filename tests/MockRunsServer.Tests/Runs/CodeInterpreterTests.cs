using System.Text.Json;
using System.Text.RegularExpressions;
using MockRunsServer.Tests.Infrastructure;
using static MockRunsServer.Tests.Infrastructure.WireAssertions;

namespace MockRunsServer.Tests.Runs;

/// <summary>A run with the code_interpreter tool and files for it writes and runs code before it answers, as OpenAI's did.</summary>
public sealed class CodeInterpreterTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private static readonly object Analyst = new { model = "gpt-4o", tools = new[] { new { type = "code_interpreter" } } };

    private async Task<(string Thread, string Run)> Completed(object assistant, object? thread = null, object? run = null, bool expectCompleted = true)
    {
        var (threadId, runId) = await api.RunToEnd(assistant, thread, run, "Describe the data.");
        if (expectCompleted)
        {
            Assert.Equal("completed", (await api.GetRun(threadId, runId)).Status());
        }
        return (threadId, runId);
    }

    private static JsonElement Code(JsonElement step)
    {
        var call = Assert.Single(step.GetProperty("step_details").GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("code_interpreter", call.Str("type"));
        AssertId("call", call.Str("id"));
        return call.GetProperty("code_interpreter");
    }

    [Fact]
    public async Task A_run_with_files_for_code_interpreter_runs_code_on_them_in_a_step_of_its_own_before_it_answers()
    {
        var (thread, run) = await Completed(Analyst, new
        {
            messages = new[] { new { role = "user", content = "Describe the data." } },
            tool_resources = new { code_interpreter = new { file_ids = new[] { "file-sales" } } },
        });

        var steps = await api.Steps(thread, run, "?order=asc");
        Assert.Equal(["tool_calls", "message_creation"], steps.Select(step => step.Str("type")));
        Assert.Equal("completed", steps[0].Str("status"));
        var code = Code(steps[0]);
        Assert.Contains("/mnt/data/file-sales", code.Str("input"));
        var output = Assert.Single(code.GetProperty("outputs").EnumerateArray());
        Assert.Equal("logs", output.Str("type"));
        Assert.Matches(@"^\(\d+, \d+\)\n$", output.Str("logs"));
        Assert.True(steps[0].GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Files_attached_to_a_message_for_code_interpreter_are_the_codes_to_read()
    {
        var (thread, run) = await Completed(Analyst, new
        {
            messages = new[] { new { role = "user", content = "Plot it.", attachments = new[] { new { file_id = "file-attached", tools = new[] { new { type = "code_interpreter" } } } } } },
        });

        Assert.Contains("/mnt/data/file-attached", Code((await api.Steps(thread, run, "?order=asc"))[0]).Str("input"));
    }

    [Fact]
    public async Task Tool_choice_code_interpreter_runs_code_without_files_and_what_it_prints_is_what_the_code_computes()
    {
        var (thread, run) = await Completed(Analyst, run: new { tool_choice = new { type = "code_interpreter" } });

        var code = Code((await api.Steps(thread, run, "?order=asc"))[0]);
        var upTo = int.Parse(Regex.Match(code.Str("input"), @"range\(1, (\d+)\)").Groups[1].Value) - 1;
        Assert.Equal($"{upTo * (upTo + 1) / 2}\n", code.GetProperty("outputs")[0].Str("logs"));
    }

    [Fact]
    public async Task A_run_with_nothing_for_its_code_to_read_answers_without_running_any()
    {
        var (thread, run) = await Completed(Analyst);

        Assert.Equal(["message_creation"], (await api.Steps(thread, run)).Select(step => step.Str("type")));
    }

    [Fact]
    public async Task A_run_with_both_tools_and_their_resources_searches_then_runs_code_then_answers_and_usage_adds_up()
    {
        var (thread, run) = await Completed(
            new
            {
                model = "gpt-4o",
                tools = new object[] { new { type = "code_interpreter" }, new { type = "file_search" } },
                tool_resources = new { code_interpreter = new { file_ids = new[] { "file-sales" } }, file_search = new { vector_stores = new[] { new { file_ids = new[] { "file-notes" } } } } },
            });

        var steps = await api.Steps(thread, run, "?order=asc");
        Assert.Equal(["file_search", "code_interpreter"], steps.Take(2).Select(step => step.GetProperty("step_details").GetProperty("tool_calls")[0].Str("type")));
        Assert.Equal("message_creation", steps[2].Str("type"));
        // The answer's call reads the code and what it printed besides the thread.
        Assert.True(steps[2].GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > steps[1].GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        var usage = (await api.GetRun(thread, run)).GetProperty("usage");
        Assert.Equal(steps.Sum(step => step.GetProperty("usage").GetProperty("total_tokens").GetInt32()), usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Code_longer_than_max_completion_tokens_allows_is_never_written()
    {
        var (thread, run) = await Completed(Analyst, new
        {
            messages = new[] { new { role = "user", content = "Describe the data." } },
            tool_resources = new { code_interpreter = new { file_ids = new[] { "file-" + new string('a', 3000) } } },
        }, new { max_completion_tokens = 256 }, expectCompleted: false);

        Assert.DoesNotContain("tool_calls", (await api.Steps(thread, run)).Select(step => step.Str("type")));
        Assert.InRange((await api.GetRun(thread, run)).GetProperty("usage").GetProperty("completion_tokens").GetInt32(), 0, 256);
    }

    [Fact]
    public async Task Tool_choice_none_never_runs_code()
    {
        var (thread, run) = await Completed(Analyst, new
        {
            messages = new[] { new { role = "user", content = "Describe the data." } },
            tool_resources = new { code_interpreter = new { file_ids = new[] { "file-sales" } } },
        }, new { tool_choice = "none" });

        Assert.Equal(["message_creation"], (await api.Steps(thread, run)).Select(step => step.Str("type")));
    }
}
