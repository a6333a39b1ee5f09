using System.Text.Json;
using MockRunsServer.Generation;
using MockRunsServer.Store;
using MockRunsServer.Wire;

namespace MockRunsServer.Runs;

/// <summary>Creates threads with their initial messages, and adds the messages clients write.</summary>
public sealed class ThreadFactory(MockStore store, MockRandom random, MockClock clock)
{
    /// <summary>Creates and stores a thread (create thread).</summary>
    public ThreadRecord Create(NewThread request)
    {
        var draft = Draft(request, clock.NowSeconds);
        var thread = draft.Make();
        store.AddThread(thread);
        return thread;
    }

    /// <summary>
    /// A new thread's id, tool resources and messages, drawn in the order a create always draws
    /// them; its objects are made later (<see cref="ThreadDraft.Make"/>), which create thread and run
    /// does right before its run's, so that the two lie side by side for the GC (bench/README.md).
    /// </summary>
    public ThreadDraft Draft(NewThread request, long now)
    {
        var draft = new ThreadDraft
        {
            Id = random.NewInlineId("thread"),
            CreatedAt = now,
            Metadata = request.Metadata ?? JsonDefaults.EmptyMetadata,
            ToolResources = ToolResources.ResolveVectorStoreHelper(request.ToolResources, random, store.VectorStores) ?? JsonDefaults.EmptyObject,
        };
        foreach (var message in request.Messages)
        {
            draft.ToolResources = AddMessage(ref draft.Messages, draft.ToolResources, message, now) ?? draft.ToolResources;
        }
        return draft;
    }

    /// <summary>
    /// Adds a message a client wrote to a stored thread; the caller holds the thread's lock. A file
    /// attached for file_search gives the thread a vector store if it has none, as OpenAI made one
    /// for the attachments of a thread (and added later files to it).
    /// </summary>
    public MessageRef AddMessage(ThreadRecord thread, NewMessage message, long now)
    {
        if (AddMessage(ref thread.Messages, thread.Thread.ToolResources, message, now) is { } changed)
        {
            var current = thread.Thread;
            // Replaced, not changed: readers outside the lock keep a consistent thread object.
            thread.Thread = new ThreadObject { Id = current.Id, CreatedAt = current.CreatedAt, Metadata = current.Metadata, ToolResources = changed };
        }
        return thread.Messages[^1];
    }

    /// <summary>Adds the message; answers the thread's tool resources when its attachments changed them.</summary>
    private JsonElement? AddMessage(ref OrderedCollection<MessageRef> messages, JsonElement toolResources, NewMessage message, long now)
    {
        var id = random.NewId("msg");
        // The tool resources first: nothing is added when they cannot be worked out.
        var resources = ToolResources.ForAttachments(toolResources, message.Attachments ?? JsonDefaults.EmptyArray, random, store.VectorStores);
        messages.Add(store.Messages.Add(MessageSlot.User(id, now, message, store.Texts)));
        return resources;
    }
}

/// <summary>A thread drawn but not yet made (<see cref="ThreadFactory.Draft"/>); its messages are already in the store's table.</summary>
public struct ThreadDraft
{
    public InlineId Id;

    public long CreatedAt;

    public Dictionary<string, string> Metadata;

    public JsonElement ToolResources;

    public OrderedCollection<MessageRef> Messages;

    public readonly ThreadRecord Make() => new(new ThreadObject { Id = Id.ToString(), CreatedAt = CreatedAt, Metadata = Metadata, ToolResources = ToolResources })
    {
        Messages = Messages,
    };
}
