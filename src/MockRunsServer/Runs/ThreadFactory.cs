using MockRunsServer.Generation;
using MockRunsServer.Store;
using MockRunsServer.Wire;

namespace MockRunsServer.Runs;

/// <summary>Creates threads with their initial messages (used by create thread and by create thread and run).</summary>
public sealed class ThreadFactory(MockStore store, MockRandom random, MockClock clock, RunEngine engine)
{
    /// <summary>Creates and stores a thread; <paramref name="forRun"/> keeps retention off it until a run attaches.</summary>
    public ThreadRecord Create(NewThread request, bool forRun = false)
    {
        var now = clock.NowSeconds;
        var thread = new ThreadRecord(new ThreadObject
        {
            Id = random.NewId("thread"),
            CreatedAt = now,
            Metadata = request.Metadata ?? JsonDefaults.EmptyMetadata,
            ToolResources = ToolResources.ResolveVectorStoreHelper(request.ToolResources, random, store.VectorStores) ?? JsonDefaults.EmptyObject,
        })
        {
            AwaitingRun = forRun,
        };
        foreach (var message in request.Messages)
        {
            engine.AddUserMessage(thread, message, now);
        }
        store.AddThread(thread);
        return thread;
    }
}
