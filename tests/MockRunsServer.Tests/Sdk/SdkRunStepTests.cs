#pragma warning disable OPENAI001

using System.ClientModel;
using MockRunsServer.Tests.Infrastructure;
using OpenAI.Assistants;

namespace MockRunsServer.Tests.Sdk;

/// <summary>Run steps through the official .NET SDK: list and get, for message and tool steps.</summary>
public sealed class SdkRunStepTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly SdkHarness sdk = new(factory);

    [Fact]
    public async Task A_completed_run_has_one_completed_message_creation_step_pointing_at_the_reply()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        var run = await sdk.RunToEnd(thread.Id, assistant.Id);

        var steps = await sdk.Client.GetRunStepsAsync(thread.Id, run.Id).ToListAsync();

        var step = Assert.Single(steps);
        var reply = (await sdk.Client.GetMessagesAsync(thread.Id).ToListAsync())[0];
        Assert.StartsWith("step_", step.Id);
        Assert.Equal(RunStepKind.CreatedMessage, step.Kind);
        Assert.Equal(RunStepStatus.Completed, step.Status);
        Assert.Equal(reply.Id, step.Details.CreatedMessageId);
        Assert.Empty(step.Details.ToolCalls);
        Assert.Equal(run.Id, step.RunId);
        Assert.Equal(thread.Id, step.ThreadId);
        Assert.Equal(assistant.Id, step.AssistantId);
        Assert.Equal(run.CompletedAt, step.CompletedAt);
        Assert.Null(step.CancelledAt);
        Assert.Null(step.FailedAt);
        Assert.Null(step.ExpiredAt);
        Assert.Null(step.LastError);
        Assert.Empty(step.Metadata);
        Assert.Equal(run.Usage.TotalTokenCount, step.Usage.TotalTokenCount);
        Assert.Equal(step.Usage.InputTokenCount + step.Usage.OutputTokenCount, step.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task A_file_search_reads_as_a_file_search_tool_call_with_its_results_and_the_reply_cites_its_file()
    {
        var options = new AssistantCreationOptions { Name = "Librarian", Tools = { ToolDefinition.CreateFileSearch() } };
        var assistant = await sdk.CreateAssistant(options);
        var message = new ThreadInitializationMessage(MessageRole.User, ["What does the report say?"])
        {
            Attachments = { new MessageCreationAttachment("file-report", [ToolDefinition.CreateFileSearch()]) },
        };
        var thread = (await sdk.Client.CreateThreadAsync(new ThreadCreationOptions { InitialMessages = { message } })).Value;
        var run = await sdk.RunToEnd(thread.Id, assistant.Id, SdkHarness.Scenario("complete"));

        var steps = await sdk.Client.GetRunStepsAsync(thread.Id, run.Id, new RunStepCollectionOptions { Order = RunStepCollectionOrder.Ascending }).ToListAsync();

        Assert.Equal([RunStepKind.ToolCall, RunStepKind.CreatedMessage], steps.Select(step => step.Kind));
        var call = Assert.Single(steps[0].Details.ToolCalls);
        Assert.Equal(RunStepToolCallKind.FileSearch, call.Kind);
        var result = Assert.Single(call.FileSearchResults);
        Assert.Equal("file-report", result.FileId);
        Assert.Equal("file-report.txt", result.FileName);
        Assert.InRange(result.Score, 0f, 1f);
        // The SDK asks every steps read for the results' content (include[]), as it did against the live API.
        var found = Assert.Single(result.Content);
        Assert.Equal(RunStepFileSearchResultContentKind.Text, found.Kind);
        Assert.False(string.IsNullOrWhiteSpace(found.Text));
        var reply = (await sdk.Client.GetMessagesAsync(thread.Id).ToListAsync())[0];
        var citation = Assert.Single(reply.Content[0].TextAnnotations);
        Assert.Equal("file-report", citation.InputFileId);
        Assert.Equal(citation.TextToReplace, reply.Content[0].Text.Substring(citation.StartIndex, citation.EndIndex - citation.StartIndex));
    }

    [Fact]
    public async Task Code_the_run_ran_reads_as_a_code_interpreter_tool_call_with_its_input_and_logs()
    {
        var options = new AssistantCreationOptions
        {
            Name = "Analyst",
            Tools = { ToolDefinition.CreateCodeInterpreter() },
            ToolResources = new ToolResources { CodeInterpreter = new CodeInterpreterToolResources { FileIds = { "file-sales" } } },
        };
        var assistant = await sdk.CreateAssistant(options);
        var thread = await sdk.CreateThread();
        var run = await sdk.RunToEnd(thread.Id, assistant.Id, SdkHarness.Scenario("complete"));

        var steps = await sdk.Client.GetRunStepsAsync(thread.Id, run.Id, new RunStepCollectionOptions { Order = RunStepCollectionOrder.Ascending }).ToListAsync();

        Assert.Equal([RunStepKind.ToolCall, RunStepKind.CreatedMessage], steps.Select(step => step.Kind));
        var call = Assert.Single(steps[0].Details.ToolCalls);
        Assert.Equal(RunStepToolCallKind.CodeInterpreter, call.Kind);
        Assert.Contains("/mnt/data/file-sales", call.CodeInterpreterInput);
        Assert.Matches(@"^\(\d+, \d+\)\n$", Assert.Single(call.CodeInterpreterOutputs).Logs);
    }

    [Fact]
    public async Task Getting_a_step_returns_the_listed_one()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        var run = await sdk.RunToEnd(thread.Id, assistant.Id);
        var listed = (await sdk.Client.GetRunStepsAsync(thread.Id, run.Id).ToListAsync()).Single();

        RunStep step = await sdk.Client.GetRunStepAsync(thread.Id, run.Id, listed.Id);

        Assert.Equal(listed.Id, step.Id);
        Assert.Equal(listed.CreatedAt, step.CreatedAt);
        Assert.Equal(listed.Details.CreatedMessageId, step.Details.CreatedMessageId);
    }

    [Fact]
    public async Task A_step_still_running_is_in_progress_without_usage()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        var run = await sdk.Poll((await sdk.Client.CreateRunAsync(thread.Id, assistant.Id)).Value, until: RunStatus.InProgress);

        var step = (await sdk.Client.GetRunStepsAsync(thread.Id, run.Id).ToListAsync()).Single();

        Assert.Equal(RunStatus.InProgress, run.Status);
        Assert.Equal(RunStepStatus.InProgress, step.Status);
        Assert.Null(step.CompletedAt);
        Assert.Null(step.Usage);
    }

    [Fact]
    public async Task A_tool_run_lists_its_tool_step_before_its_message_step()
    {
        var assistant = await sdk.CreateAssistantWithFunctions();
        var thread = await sdk.CreateThread();
        var run = await sdk.RunToEnd(thread.Id, assistant.Id, SdkHarness.Scenario("tool_call"));
        var call = Assert.Single(run.RequiredActions);
        run = await sdk.Poll((await sdk.Client.SubmitToolOutputsToRunAsync(thread.Id, run.Id, [new ToolOutput(call.ToolCallId, "sunny")])).Value);

        var steps = await sdk.Client.GetRunStepsAsync(thread.Id, run.Id, new RunStepCollectionOptions { Order = RunStepCollectionOrder.Ascending }).ToListAsync();

        Assert.Equal([RunStepKind.ToolCall, RunStepKind.CreatedMessage], steps.Select(step => step.Kind));
        Assert.All(steps, step => Assert.Equal(RunStepStatus.Completed, step.Status));
        var descending = await sdk.Client.GetRunStepsAsync(thread.Id, run.Id, new RunStepCollectionOptions { Order = RunStepCollectionOrder.Descending, PageSizeLimit = 1 }).ToListAsync();
        Assert.Equal(steps.Select(step => step.Id).Reverse(), descending.Select(step => step.Id));
    }

    [Fact]
    public async Task The_sdk_writes_back_a_run_step_exactly_as_it_was_received()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        var run = await sdk.RunToEnd(thread.Id, assistant.Id);
        var step = (await sdk.Client.GetRunStepsAsync(thread.Id, run.Id).ToListAsync()).Single();

        var raw = (await sdk.Api.Get($"/v1/threads/{thread.Id}/runs/{run.Id}/steps/{step.Id}")).Ok().Text;

        SdkJson.AssertRoundTrips<RunStep>(raw);
    }

    [Fact]
    public async Task Getting_an_unknown_step_throws_a_404()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        var run = await sdk.RunToEnd(thread.Id, assistant.Id);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Client.GetRunStepAsync(thread.Id, run.Id, "step_unknown"));

        Assert.Equal(404, error.Status);
        Assert.Contains("No run step found with id 'step_unknown'.", error.Message);
    }
}
