#pragma warning disable OPENAI001

using System.ClientModel;
using MockRunsServer.Tests.Infrastructure;
using OpenAI.Assistants;

namespace MockRunsServer.Tests.Sdk;

/// <summary>Messages through the official .NET SDK: create, get, modify, delete and the paged list.</summary>
public sealed class SdkMessageTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly SdkHarness sdk = new(factory);

    [Fact]
    public async Task Creating_a_text_message_returns_a_completed_user_message()
    {
        AssistantThread thread = await sdk.Client.CreateThreadAsync();
        var now = await sdk.Now();

        ThreadMessage message = await sdk.Client.CreateMessageAsync(thread.Id, MessageRole.User, ["What is 2 + 2?"],
            new MessageCreationOptions { Metadata = { ["source"] = "test" } });

        Assert.StartsWith("msg_", message.Id);
        Assert.Equal(thread.Id, message.ThreadId);
        Assert.Equal(MessageRole.User, message.Role);
        Assert.Equal(MessageStatus.Completed, message.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(now), message.CreatedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(now), message.CompletedAt);
        Assert.Null(message.IncompleteAt);
        Assert.Null(message.IncompleteDetails);
        Assert.Null(message.AssistantId);
        Assert.Null(message.RunId);
        Assert.Empty(message.Attachments);
        Assert.Equal("test", message.Metadata["source"]);
        var part = Assert.Single(message.Content);
        Assert.Equal("What is 2 + 2?", part.Text);
        Assert.Empty(part.TextAnnotations);
    }

    [Fact]
    public async Task A_message_with_image_parts_keeps_each_part()
    {
        AssistantThread thread = await sdk.Client.CreateThreadAsync();

        ThreadMessage message = await sdk.Client.CreateMessageAsync(thread.Id, MessageRole.User,
        [
            MessageContent.FromText("Look:"),
            MessageContent.FromImageUri(new Uri("https://example.com/cat.png"), MessageImageDetail.High),
            MessageContent.FromImageFileId("file-abc123"),
        ]);

        Assert.Collection(message.Content,
            part => Assert.Equal("Look:", part.Text),
            part =>
            {
                Assert.Equal(new Uri("https://example.com/cat.png"), part.ImageUri);
                Assert.Equal(MessageImageDetail.High, part.ImageDetail);
            },
            part =>
            {
                Assert.Equal("file-abc123", part.ImageFileId);
                Assert.Equal(MessageImageDetail.Auto, part.ImageDetail);
            });
    }

    [Fact]
    public async Task Getting_a_message_returns_what_was_created()
    {
        var thread = await sdk.CreateThread("Fetch me");
        var created = (await sdk.Client.GetMessagesAsync(thread.Id).ToListAsync()).Single();

        ThreadMessage fetched = await sdk.Client.GetMessageAsync(thread.Id, created.Id);

        Assert.Equal(created.Id, fetched.Id);
        Assert.Equal("Fetch me", fetched.Content[0].Text);
    }

    [Fact]
    public async Task Modifying_a_message_replaces_its_metadata()
    {
        AssistantThread thread = await sdk.Client.CreateThreadAsync();
        ThreadMessage created = await sdk.Client.CreateMessageAsync(thread.Id, MessageRole.User, ["Hi"]);

        ThreadMessage modified = await sdk.Client.ModifyMessageAsync(thread.Id, created.Id, new MessageModificationOptions { Metadata = { ["seen"] = "true" } });

        Assert.Equal("true", modified.Metadata["seen"]);
        Assert.Equal("Hi", modified.Content[0].Text);
        Assert.Equal("true", (await sdk.Client.GetMessageAsync(thread.Id, created.Id)).Value.Metadata["seen"]);
    }

    [Fact]
    public async Task Deleting_a_message_reports_it_deleted_and_the_list_no_longer_has_it()
    {
        AssistantThread thread = await sdk.Client.CreateThreadAsync();
        ThreadMessage keep = await sdk.Client.CreateMessageAsync(thread.Id, MessageRole.User, ["keep"]);
        ThreadMessage drop = await sdk.Client.CreateMessageAsync(thread.Id, MessageRole.User, ["drop"]);

        MessageDeletionResult result = await sdk.Client.DeleteMessageAsync(thread.Id, drop.Id);

        Assert.True(result.Deleted);
        Assert.Equal(drop.Id, result.MessageId);
        Assert.Equal([keep.Id], (await sdk.Client.GetMessagesAsync(thread.Id).ToListAsync()).Select(m => m.Id));
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => sdk.Client.GetMessageAsync(thread.Id, drop.Id))).Status);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Enumerating_messages_pages_through_all_of_them_in_order(bool ascending)
    {
        AssistantThread thread = await sdk.Client.CreateThreadAsync();
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await sdk.Client.CreateMessageAsync(thread.Id, MessageRole.User, [$"Message {i}"])).Value.Id);
        }
        var options = new MessageCollectionOptions
        {
            PageSizeLimit = 3,
            Order = ascending ? MessageCollectionOrder.Ascending : MessageCollectionOrder.Descending,
        };

        var seen = (await sdk.Client.GetMessagesAsync(thread.Id, options).ToListAsync()).Select(m => m.Id).ToList();
        var pages = await sdk.Client.GetMessagesAsync(thread.Id, options).GetRawPagesAsync().CountAsync();

        Assert.Equal(ascending ? created : Enumerable.Reverse(created).ToList(), seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task A_list_whose_last_page_is_full_ends_without_an_extra_page()
    {
        AssistantThread thread = await sdk.Client.CreateThreadAsync();
        for (var i = 0; i < 6; i++)
        {
            await sdk.Client.CreateMessageAsync(thread.Id, MessageRole.User, [$"{i}"]);
        }

        var pages = await sdk.Client.GetMessagesAsync(thread.Id, new MessageCollectionOptions { PageSizeLimit = 3 }).GetRawPagesAsync().CountAsync();

        Assert.Equal(2, pages);
    }

    [Fact]
    public async Task A_message_keeps_its_attachments_and_their_tools()
    {
        AssistantThread thread = await sdk.Client.CreateThreadAsync();
        var attachment = new MessageCreationAttachment("file-abc", [ToolDefinition.CreateCodeInterpreter(), ToolDefinition.CreateFileSearch()]);

        ThreadMessage message = await sdk.Client.CreateMessageAsync(thread.Id, MessageRole.User, ["See file"], new MessageCreationOptions { Attachments = [attachment] });

        var stored = Assert.Single(message.Attachments);
        Assert.Equal("file-abc", stored.FileId);
        Assert.Collection(stored.Tools,
            tool => Assert.IsType<CodeInterpreterToolDefinition>(tool),
            tool => Assert.IsType<FileSearchToolDefinition>(tool));
        SdkJson.AssertRoundTrips<ThreadMessage>((await sdk.Api.Get($"/v1/threads/{thread.Id}/messages/{message.Id}")).Ok().Text);
    }

    [Fact]
    public async Task Enumerating_messages_defaults_to_newest_first()
    {
        AssistantThread thread = await sdk.Client.CreateThreadAsync();
        ThreadMessage first = await sdk.Client.CreateMessageAsync(thread.Id, MessageRole.User, ["1"]);
        ThreadMessage second = await sdk.Client.CreateMessageAsync(thread.Id, MessageRole.User, ["2"]);

        var seen = await sdk.Client.GetMessagesAsync(thread.Id).ToListAsync();

        Assert.Equal([second.Id, first.Id], seen.Select(m => m.Id));
    }

    [Fact]
    public async Task Enumerating_messages_before_an_id_gives_the_ones_before_it()
    {
        AssistantThread thread = await sdk.Client.CreateThreadAsync();
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await sdk.Client.CreateMessageAsync(thread.Id, MessageRole.User, [$"{i}"])).Value.Id);
        }

        var seen = await sdk.Client.GetMessagesAsync(thread.Id, new MessageCollectionOptions { BeforeId = ids[2], Order = MessageCollectionOrder.Ascending }).ToListAsync();

        Assert.Equal(ids[..2], seen.Select(m => m.Id));
    }

    [Fact]
    public async Task Adding_a_message_while_a_run_is_active_throws_the_real_400()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        ThreadRun run = await sdk.Client.CreateRunAsync(thread.Id, assistant.Id);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Client.CreateMessageAsync(thread.Id, MessageRole.User, ["More"]));

        Assert.Equal(400, error.Status);
        Assert.Contains($"Can't add messages to {thread.Id} while a run {run.Id} is active.", error.Message);
    }

    [Fact]
    public async Task Creating_a_message_on_an_unknown_thread_throws_a_404()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Client.CreateMessageAsync("thread_nope", MessageRole.User, ["Hi"]));

        Assert.Equal(404, error.Status);
        Assert.Contains("No thread found with id 'thread_nope'.", error.Message);
    }

    [Fact]
    public async Task The_sdk_writes_back_a_message_exactly_as_it_was_received()
    {
        AssistantThread thread = await sdk.Client.CreateThreadAsync();
        ThreadMessage created = await sdk.Client.CreateMessageAsync(thread.Id, MessageRole.User,
            ["Text", MessageContent.FromImageUri(new Uri("https://example.com/a.png"))], new MessageCreationOptions { Metadata = { ["m"] = "1" } });

        var raw = (await sdk.Api.Get($"/v1/threads/{thread.Id}/messages/{created.Id}")).Ok().Text;

        SdkJson.AssertRoundTrips<ThreadMessage>(raw);
    }
}
