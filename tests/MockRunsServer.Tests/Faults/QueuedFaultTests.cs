using System.Net;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Faults;

/// <summary><c>POST /_mock/faults/next</c>: fail exactly the next N requests on the OpenAI routes (those a path and method pick, when given), in the order queued.</summary>
public sealed class QueuedFaultTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly ApiClient api = factory.Api();

    [Fact]
    public async Task Queued_faults_fail_exactly_the_next_requests_then_stop()
    {
        (await api.Post("/_mock/faults/next", new { fault = "503", count = 2 })).Ok();

        (await api.Get("/v1/assistants")).Error(HttpStatusCode.ServiceUnavailable);
        (await api.Get("/v1/threads/thread_x")).Error(HttpStatusCode.ServiceUnavailable);
        (await api.Get("/v1/assistants")).Ok();
    }

    [Fact]
    public async Task The_control_API_neither_fails_nor_uses_up_queued_faults()
    {
        (await api.Post("/_mock/faults/next", new { fault = "500" })).Ok();

        (await api.Get("/_mock/clock")).Ok();
        var pending = (await api.Get("/_mock/faults/next")).Ok().Json;

        Assert.Equal("500", pending.Str("fault"));
        Assert.Equal(1, pending.GetProperty("remaining").GetInt32());
        (await api.Get("/v1/assistants")).Error(HttpStatusCode.InternalServerError);
    }

    [Fact]
    public async Task Queuing_answers_what_is_pending_and_comes_after_what_was_queued()
    {
        (await api.Post("/_mock/faults/next", new { fault = "500", count = 2 })).Ok();
        var state = (await api.Post("/_mock/faults/next", new { fault = "429", count = 1 })).Ok().Json;

        Assert.Equal("500", state.Str("fault"));
        Assert.Equal(3, state.GetProperty("remaining").GetInt32());
        Assert.Equal(["500", "429"], state.GetProperty("queue").EnumerateArray().Select(entry => entry.Str("fault")));
        (await api.Get("/v1/assistants")).Error(HttpStatusCode.InternalServerError);
        (await api.Get("/v1/assistants")).Error(HttpStatusCode.InternalServerError);
        (await api.Get("/v1/assistants")).Error(HttpStatusCode.TooManyRequests);
        (await api.Get("/v1/assistants")).Ok();
    }

    [Fact]
    public async Task A_fault_aimed_at_a_path_and_method_fails_only_the_requests_that_match()
    {
        (await api.Post("/_mock/faults/next", new { fault = "500", path = "/threads$", method = "post" })).Ok();

        (await api.Get("/v1/assistants")).Ok();
        (await api.Get("/v1/threads/thread_x")).Error(HttpStatusCode.NotFound);
        (await api.Post("/v1/threads", new { })).Error(HttpStatusCode.InternalServerError);
        (await api.Post("/v1/threads", new { })).Ok();
    }

    [Fact]
    public async Task An_aimed_fault_waits_for_its_request_while_later_entries_apply_to_others()
    {
        (await api.Post("/_mock/faults/next", new { fault = "503", path = "submit_tool_outputs" })).Ok();
        (await api.Post("/_mock/faults/next", new { fault = "429" })).Ok();

        (await api.Get("/v1/assistants")).Error(HttpStatusCode.TooManyRequests);
        var pending = (await api.Get("/_mock/faults/next")).Ok().Json;

        var entry = Assert.Single(pending.GetProperty("queue").EnumerateArray());
        Assert.Equal("503", entry.Str("fault"));
        Assert.Equal("submit_tool_outputs", entry.Str("path"));
        Assert.True(entry.IsNull("method"));
        (await api.Post("/v1/threads/thread_x/runs/run_y/submit_tool_outputs", new { tool_outputs = Array.Empty<object>() })).Error(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task An_aimed_path_matches_in_any_case_as_routing_does()
    {
        (await api.Post("/_mock/faults/next", new { fault = "500", path = "/ASSISTANTS$" })).Ok();

        (await api.Get("/v1/threads/thread_x")).Error(HttpStatusCode.NotFound);
        (await api.Get("/v1/assistants")).Error(HttpStatusCode.InternalServerError);
    }

    [Fact]
    public async Task The_queue_refuses_more_than_its_bounds_and_keeps_what_it_holds()
    {
        using var server = MockServerFactory.With();
        var client = server.Api();
        for (var i = 0; i < 10; i++)
        {
            (await client.Post("/_mock/faults/next", new { fault = "500", count = 1_000_000 })).Ok();
        }

        var error = (await client.Post("/_mock/faults/next", new { fault = "429" })).Error(HttpStatusCode.BadRequest);

        Assert.Equal("count", error.Str("param"));
        Assert.Equal(10_000_000, (await client.Get("/_mock/faults/next")).Ok().Json.GetProperty("remaining").GetInt32());
    }

    [Fact]
    public async Task The_queue_holds_at_most_32_different_path_patterns_and_any_number_of_entries_sharing_them()
    {
        // Each pattern is a regex without backtracking (0.1–1.2 MB): 1,000 different ones held over a gigabyte.
        using var server = MockServerFactory.With();
        var client = server.Api();
        for (var i = 0; i < 32; i++)
        {
            (await client.Post("/_mock/faults/next", new { fault = "500", path = $"/runs/run_{i}$" })).Ok();
        }
        for (var i = 0; i < 100; i++)
        {
            (await client.Post("/_mock/faults/next", new { fault = "503", path = "/runs/run_7$" })).Ok();
        }

        var error = (await client.Post("/_mock/faults/next", new { fault = "500", path = "/runs/run_32$" })).Error(HttpStatusCode.BadRequest);

        Assert.Equal("path", error.Str("param"));
        Assert.Contains("at most 32 different path patterns", error.Str("message"));
        Assert.Equal(132, (await client.Get("/_mock/faults/next")).Ok().Json.GetProperty("queue").GetArrayLength());
        // A path pattern leaves with the last entry that uses it: then a new one fits.
        var thread = await client.CreateThread();
        Assert.Equal(HttpStatusCode.InternalServerError, (await client.Get($"/v1/threads/{thread}/runs/run_0")).Status);
        (await client.Post("/_mock/faults/next", new { fault = "500", path = "/runs/run_32$" })).Ok();
    }

    [Fact]
    public async Task Deleting_the_queue_cancels_the_pending_faults()
    {
        (await api.Post("/_mock/faults/next", new { fault = "500", count = 3 })).Ok();

        var state = (await api.Delete("/_mock/faults/next")).Ok().Json;

        Assert.True(state.IsNull("fault"));
        Assert.Equal(0, state.GetProperty("remaining").GetInt32());
        (await api.Get("/v1/assistants")).Ok();
    }

    [Fact]
    public async Task Reset_cancels_the_pending_faults()
    {
        (await api.Post("/_mock/faults/next", new { fault = "503", count = 3 })).Ok();

        (await api.Post("/_mock/reset")).Ok();

        (await api.Get("/v1/assistants")).Ok();
    }

    [Fact]
    public async Task The_header_wins_over_a_queued_fault_and_leaves_it_queued()
    {
        (await api.Post("/_mock/faults/next", new { fault = "503" })).Ok();

        (await api.Get("/v1/assistants", ("X-Mock-Fault", "429"))).Error(HttpStatusCode.TooManyRequests);

        (await api.Get("/v1/assistants")).Error(HttpStatusCode.ServiceUnavailable);
    }

    [Theory]
    [InlineData("{\"fault\":\"404\"}", "fault")]
    [InlineData("{\"fault\":\"500\",\"count\":0}", "count")]
    [InlineData("{\"count\":2}", "fault")]
    [InlineData("{\"fault\":\"500\",\"times\":2}", "times")]
    [InlineData("{\"fault\":\"500\",\"path\":\"(unclosed\"}", "path")]
    [InlineData("{\"fault\":\"500\",\"method\":\"PSOT\"}", "method")]
    [InlineData("{\"fault\":\"500\",\"method\":\"\"}", "method")]
    public async Task A_bad_queue_request_is_a_400_naming_the_field(string body, string param)
    {
        var error = (await api.Post("/_mock/faults/next", body)).Error(HttpStatusCode.BadRequest);

        Assert.Equal(param, error.Str("param"));
        (await api.Get("/v1/assistants")).Ok();
    }
}
