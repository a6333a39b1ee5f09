using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MockRunsServer.Store;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary><c>POST /v1/threads/runs</c>: a new thread and its first run in one call (spec/runs.md §2.4).</summary>
public sealed class CreateThreadAndRunTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    private async Task<int> ThreadCount() => (await api.Get("/healthz")).Ok().Json.GetProperty("threads").GetInt32();

    [Fact]
    public async Task The_run_names_a_new_thread_holding_the_given_messages()
    {
        var assistant = await api.CreateAssistant();
        var run = (await api.Post("/v1/threads/runs", new
        {
            assistant_id = assistant,
            thread = new
            {
                messages = new[] { new { role = "user", content = "First" }, new { role = "user", content = "Second" } },
                metadata = new { origin = "test" },
            },
        })).Ok().Json;

        Assert.Equal("queued", run.Status());
        var thread = run.Str("thread_id");
        var threadBody = (await api.Get($"/v1/threads/{thread}")).Ok().Json;
        Assert.Equal("test", threadBody.GetProperty("metadata").Str("origin"));
        var messages = await api.Messages(thread, "?order=asc");
        Assert.Equal(["First", "Second"], messages.Select(m => m.GetProperty("content")[0].GetProperty("text").Str("value")));
        Assert.All(messages, m => Assert.True(m.IsNull("run_id")));
    }

    [Fact]
    public async Task A_refused_create_keeps_nothing_and_draws_no_id_so_the_next_one_gets_the_ids_it_would_have()
    {
        async Task<string> IdsOfACreate(bool refusedFirst)
        {
            using var server = MockServerFactory.With(("Mock:Seed", "7"));
            var seeded = server.Api();
            var assistant = await seeded.CreateAssistant();
            var body = new { assistant_id = assistant, thread = new { messages = new[] { new { role = "user", content = "Hi" } } } };
            if (refusedFirst)
            {
                (await seeded.Post("/v1/threads/runs", body, ("X-Mock-Scenario", "no_such_scenario"))).Error(HttpStatusCode.BadRequest);
                var store = server.Services.GetRequiredService<MockStore>();
                Assert.Equal(0, store.ThreadCount);
                Assert.Equal(0, store.Messages.Count);
            }
            var run = (await seeded.Post("/v1/threads/runs", body)).Ok().Json;
            var message = Assert.Single(await seeded.Messages(run.Str("thread_id"))).Str("id");
            return $"{run.Str("thread_id")} {run.Str("id")} {message}";
        }

        Assert.Equal(await IdsOfACreate(refusedFirst: false), await IdsOfACreate(refusedFirst: true));
    }

    [Fact]
    public async Task Without_a_thread_the_run_gets_an_empty_one()
    {
        var assistant = await api.CreateAssistant();
        var run = (await api.Post("/v1/threads/runs", new { assistant_id = assistant })).Ok().Json;

        var thread = run.Str("thread_id");
        Assert.Matches("^thread_[A-Za-z0-9]{24}$", thread);
        Assert.Empty(await api.Messages(thread));
    }

    [Fact]
    public async Task The_run_moves_like_any_other_and_replies_on_its_thread()
    {
        var assistant = await api.CreateAssistant();
        var run = (await api.Post("/v1/threads/runs", new { assistant_id = assistant, thread = new { messages = new[] { new { role = "user", content = "Hi" } } } })).Ok().Json;
        await api.Advance(3);

        var thread = run.Str("thread_id");
        Assert.Equal("completed", (await api.GetRun(thread, run.Str("id"))).Status());
        var reply = Assert.Single(await api.Messages(thread, $"?run_id={run.Str("id")}"));
        Assert.Equal("assistant", reply.Str("role"));
    }

    [Fact]
    public async Task Run_fields_apply_to_the_run_and_tool_resources_are_attached_to_it()
    {
        var assistant = await api.CreateAssistant(RunsApi.ToolAssistant);
        var run = (await api.Post("/v1/threads/runs", new
        {
            assistant_id = assistant,
            model = "gpt-4.1",
            instructions = "Be terse.",
            temperature = 0.2,
            metadata = new { kind = "combined" },
            tool_choice = "required",
            tool_resources = new { code_interpreter = new { file_ids = new[] { "file-abc" } } },
        })).Ok().Json;

        Assert.Equal("gpt-4.1", run.Str("model"));
        Assert.Equal("Be terse.", run.Str("instructions"));
        Assert.Equal(0.2, run.GetProperty("temperature").GetDouble());
        Assert.Equal("combined", run.GetProperty("metadata").Str("kind"));
        Assert.Equal("required", run.GetProperty("tool_choice").GetString());
        Assert.Equal("file-abc", run.GetProperty("tool_resources").GetProperty("code_interpreter").GetProperty("file_ids")[0].GetString());
    }

    [Theory]
    [InlineData("additional_instructions", "\"more\"")]
    [InlineData("additional_messages", "[]")]
    [InlineData("reasoning_effort", "\"low\"")]
    public async Task Fields_only_create_run_has_are_refused(string field, string value)
    {
        var assistant = await api.CreateAssistant();
        var error = (await api.Post("/v1/threads/runs", $$"""{"assistant_id": "{{assistant}}", "{{field}}": {{value}}}""")).Error(HttpStatusCode.BadRequest);
        Assert.Equal(field, error.Str("param"));
        Assert.Equal("unknown_parameter", error.Str("code"));
    }

    [Fact]
    public async Task A_bad_message_in_the_thread_is_a_400_naming_it()
    {
        var assistant = await api.CreateAssistant();
        var error = (await api.Post("/v1/threads/runs", new { assistant_id = assistant, thread = new { messages = new[] { new { role = "robot", content = "x" } } } }))
            .Error(HttpStatusCode.BadRequest);
        Assert.Equal("thread.messages[0].role", error.Str("param"));
    }

    [Fact]
    public async Task An_unknown_assistant_is_a_404_and_leaves_no_thread_behind()
    {
        var before = await ThreadCount();
        var error = (await api.Post("/v1/threads/runs", new { assistant_id = "asst_doesnotexist", thread = new { messages = new[] { new { role = "user", content = "x" } } } }))
            .Error(HttpStatusCode.NotFound);
        Assert.Equal("No assistant found with id 'asst_doesnotexist'.", error.Message());
        Assert.Equal(before, await ThreadCount());
    }

    [Fact]
    public async Task A_tool_choice_the_run_cannot_honour_leaves_no_thread_behind()
    {
        var assistant = await api.CreateAssistant();
        var before = await ThreadCount();
        (await api.Post("/v1/threads/runs", new { assistant_id = assistant, tool_choice = new { type = "function", function = new { name = "nothing" } } }))
            .Error(HttpStatusCode.BadRequest);
        Assert.Equal(before, await ThreadCount());
    }

    [Fact]
    public async Task An_unknown_scenario_leaves_no_thread_behind()
    {
        var assistant = await api.CreateAssistant();
        var before = await ThreadCount();
        var error = (await api.Post("/v1/threads/runs", new { assistant_id = assistant, metadata = new { mock_scenario = "nonsense" } })).Error(HttpStatusCode.BadRequest);
        Assert.Contains("nonsense", error.Message());
        Assert.Equal(before, await ThreadCount());
    }

    [Fact]
    public async Task A_streamed_create_starts_with_the_new_thread()
    {
        var assistant = await api.CreateAssistant();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/threads/runs")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { assistant_id = assistant, stream = true }), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("OpenAI-Beta", "assistants=v2");
        using var response = await api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("event: thread.created", await reader.ReadLineAsync());
        var thread = JsonDocument.Parse((await reader.ReadLineAsync())!["data: ".Length..]).RootElement;
        Assert.Equal("thread", thread.Str("object"));
        await reader.ReadLineAsync();
        Assert.Equal("event: thread.run.created", await reader.ReadLineAsync());
        var run = JsonDocument.Parse((await reader.ReadLineAsync())!["data: ".Length..]).RootElement;
        Assert.Equal(thread.Str("id"), run.Str("thread_id"));
    }
}
