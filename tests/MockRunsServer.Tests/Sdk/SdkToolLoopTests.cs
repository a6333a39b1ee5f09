#pragma warning disable OPENAI001

using System.ClientModel;
using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;
using OpenAI.Assistants;

namespace MockRunsServer.Tests.Sdk;

/// <summary>The function-calling loop through the official .NET SDK: requires_action, submit outputs, completed.</summary>
public sealed class SdkToolLoopTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly SdkHarness sdk = new(factory);

    [Fact]
    public async Task A_tool_call_run_stops_at_requires_action_with_typed_required_actions()
    {
        var assistant = await sdk.CreateAssistantWithFunctions();
        var thread = await sdk.CreateThread();

        var run = await sdk.RunToEnd(thread.Id, assistant.Id, SdkHarness.Scenario("tool_call"));

        Assert.Equal(RunStatus.RequiresAction, run.Status);
        Assert.False(run.Status.IsTerminal);
        Assert.NotNull(run.ExpiresAt);
        Assert.Null(run.Usage);
        var call = Assert.Single(run.RequiredActions);
        Assert.StartsWith("call_", call.ToolCallId);
        Assert.Equal("get_weather", call.FunctionName);
        var arguments = JsonDocument.Parse(call.FunctionArguments).RootElement;
        Assert.Equal(JsonValueKind.String, arguments.GetProperty("city").ValueKind);
        Assert.Contains(arguments.GetProperty("unit").GetString(), new[] { "c", "f" });
    }

    [Fact]
    public async Task Submitting_the_outputs_queues_the_run_and_it_completes()
    {
        var assistant = await sdk.CreateAssistantWithFunctions();
        var thread = await sdk.CreateThread();
        var run = await sdk.RunToEnd(thread.Id, assistant.Id, SdkHarness.Scenario("tool_call"));
        var call = Assert.Single(run.RequiredActions);

        ThreadRun submitted = await sdk.Client.SubmitToolOutputsToRunAsync(thread.Id, run.Id, [new ToolOutput(call.ToolCallId, "{\"temp\":21}")]);
        var finished = await sdk.Poll(submitted);

        Assert.Equal(RunStatus.Queued, submitted.Status);
        Assert.Empty(submitted.RequiredActions);
        Assert.Equal(run.StartedAt, submitted.StartedAt);
        Assert.Equal(RunStatus.Completed, finished.Status);
        Assert.NotNull(finished.Usage);
        var reply = (await sdk.Client.GetMessagesAsync(thread.Id).ToListAsync())[0];
        Assert.Equal(MessageRole.Assistant, reply.Role);
        Assert.Equal(run.Id, reply.RunId);
    }

    [Fact]
    public async Task The_tool_step_shows_the_call_and_the_submitted_output()
    {
        var assistant = await sdk.CreateAssistantWithFunctions();
        var thread = await sdk.CreateThread();
        var run = await sdk.RunToEnd(thread.Id, assistant.Id, SdkHarness.Scenario("tool_call"));
        var call = Assert.Single(run.RequiredActions);
        await sdk.Poll((await sdk.Client.SubmitToolOutputsToRunAsync(thread.Id, run.Id, [new ToolOutput(call.ToolCallId, "sunny")])).Value);

        var step = (await sdk.Client.GetRunStepsAsync(thread.Id, run.Id, new RunStepCollectionOptions { Order = RunStepCollectionOrder.Ascending }).ToListAsync())[0];

        Assert.Equal(RunStepKind.ToolCall, step.Kind);
        Assert.Equal(RunStepStatus.Completed, step.Status);
        Assert.Null(step.Details.CreatedMessageId);
        var toolCall = Assert.Single(step.Details.ToolCalls);
        Assert.Equal(RunStepToolCallKind.Function, toolCall.Kind);
        Assert.Equal(call.ToolCallId, toolCall.Id);
        Assert.Equal("get_weather", toolCall.FunctionName);
        Assert.Equal(call.FunctionArguments, toolCall.FunctionArguments);
        Assert.Equal("sunny", toolCall.FunctionOutput);
        SdkJson.AssertRoundTrips<RunStep>((await sdk.Api.Get($"/v1/threads/{thread.Id}/runs/{run.Id}/steps/{step.Id}")).Ok().Text);
    }

    [Fact]
    public async Task A_required_tool_choice_calls_a_function_without_any_scenario()
    {
        var assistant = await sdk.CreateAssistantWithFunctions();
        var thread = await sdk.CreateThread();

        var run = await sdk.RunToEnd(thread.Id, assistant.Id, new RunCreationOptions { ToolConstraint = ToolConstraint.Required });

        Assert.Equal(RunStatus.RequiresAction, run.Status);
        Assert.Equal("get_weather", Assert.Single(run.RequiredActions).FunctionName);
    }

    [Fact]
    public async Task A_named_tool_choice_calls_only_that_function()
    {
        var assistant = await sdk.CreateAssistantWithFunctions("get_weather", "get_time");
        var thread = await sdk.CreateThread();

        var run = await sdk.RunToEnd(thread.Id, assistant.Id, new RunCreationOptions { ToolConstraint = new ToolConstraint(assistant.Tools[1]) });

        Assert.Equal("get_time", Assert.Single(run.RequiredActions).FunctionName);
    }

    [Fact]
    public async Task Parallel_calls_ask_for_each_function_and_take_all_outputs_at_once()
    {
        var assistant = await sdk.CreateAssistantWithFunctions("get_weather", "get_time");
        var thread = await sdk.CreateThread();
        var run = await sdk.RunToEnd(thread.Id, assistant.Id, SdkHarness.Scenario("tool_call"));

        Assert.Equal(["get_weather", "get_time"], run.RequiredActions.Select(call => call.FunctionName));
        var outputs = run.RequiredActions.Select(call => new ToolOutput(call.ToolCallId, call.FunctionName)).ToList();
        var finished = await sdk.Poll((await sdk.Client.SubmitToolOutputsToRunAsync(thread.Id, run.Id, outputs)).Value);

        Assert.Equal(RunStatus.Completed, finished.Status);
    }

    [Fact]
    public async Task Without_parallel_calls_one_function_is_called_per_round()
    {
        var assistant = await sdk.CreateAssistantWithFunctions("get_weather", "get_time");
        var thread = await sdk.CreateThread();
        var options = SdkHarness.Scenario("tool_call");
        options.AllowParallelToolCalls = false;

        var run = await sdk.RunToEnd(thread.Id, assistant.Id, options);

        Assert.Single(run.RequiredActions);
    }

    [Fact]
    public async Task Submitting_without_one_of_the_call_ids_throws_the_real_400()
    {
        var assistant = await sdk.CreateAssistantWithFunctions("get_weather", "get_time");
        var thread = await sdk.CreateThread();
        var run = await sdk.RunToEnd(thread.Id, assistant.Id, SdkHarness.Scenario("tool_call"));
        var first = run.RequiredActions[0];

        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            sdk.Client.SubmitToolOutputsToRunAsync(thread.Id, run.Id, [new ToolOutput(first.ToolCallId, "only one")]));

        Assert.Equal(400, error.Status);
        Assert.Contains($"Expected tool outputs for call_ids ['{first.ToolCallId}', '{run.RequiredActions[1].ToolCallId}'], got ['{first.ToolCallId}']", error.Message);
        Assert.Equal(RunStatus.RequiresAction, (await sdk.Client.GetRunAsync(thread.Id, run.Id)).Value.Status);
    }

    [Fact]
    public async Task Submitting_outputs_to_a_run_that_does_not_require_action_throws_the_real_400()
    {
        var assistant = await sdk.CreateAssistantWithFunctions();
        var thread = await sdk.CreateThread();
        ThreadRun run = await sdk.Client.CreateRunAsync(thread.Id, assistant.Id);

        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            sdk.Client.SubmitToolOutputsToRunAsync(thread.Id, run.Id, [new ToolOutput("call_x", "out")]));

        Assert.Equal(400, error.Status);
        Assert.Contains("Runs in status \"queued\" do not accept tool outputs.", error.Message);
    }

    [Fact]
    public async Task Cancelling_a_run_that_requires_action_ends_cancelled()
    {
        var assistant = await sdk.CreateAssistantWithFunctions();
        var thread = await sdk.CreateThread();
        var run = await sdk.RunToEnd(thread.Id, assistant.Id, SdkHarness.Scenario("tool_call"));

        ThreadRun cancelling = await sdk.Client.CancelRunAsync(thread.Id, run.Id);
        var cancelled = await sdk.Poll(cancelling);

        Assert.Equal(RunStatus.Cancelling, cancelling.Status);
        Assert.Empty(cancelling.RequiredActions);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        var step = (await sdk.Client.GetRunStepsAsync(thread.Id, run.Id).ToListAsync()).Single();
        Assert.Equal(RunStepStatus.Cancelled, step.Status);
    }

    [Fact]
    public async Task A_run_left_requiring_action_expires_after_ten_minutes()
    {
        var assistant = await sdk.CreateAssistantWithFunctions();
        var thread = await sdk.CreateThread();
        var run = await sdk.RunToEnd(thread.Id, assistant.Id, SdkHarness.Scenario("tool_call"));

        await sdk.Advance(600);
        run = await sdk.Client.GetRunAsync(thread.Id, run.Id);

        Assert.Equal(RunStatus.Expired, run.Status);
        Assert.Empty(run.RequiredActions);
        var step = (await sdk.Client.GetRunStepsAsync(thread.Id, run.Id).ToListAsync()).Single();
        Assert.Equal(RunStepStatus.Expired, step.Status);
        Assert.NotNull(step.ExpiredAt);
        SdkJson.AssertRoundTrips<RunStep>((await sdk.Api.Get($"/v1/threads/{thread.Id}/runs/{run.Id}/steps/{step.Id}")).Ok().Text);
    }
}
