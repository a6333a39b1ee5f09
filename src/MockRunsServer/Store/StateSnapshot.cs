using MockRunsServer.Runs;
using MockRunsServer.Scenarios;
using MockRunsServer.Wire;

namespace MockRunsServer.Store;

// The shape of the persistence file (Mock:Persistence:Path): every object, plus what the engine
// needs to carry a run on where it stopped.

public sealed class StateSnapshot
{
    public int FormatVersion { get; init; } = 1;
    public long SavedAtMs { get; init; }
    public long? ManualClockMs { get; init; }

    /// <summary>How many starts this state has been carried through (0: written by a server that loaded none).</summary>
    public int Session { get; init; }
    public List<AssistantObject> Assistants { get; init; } = [];
    public List<ThreadSnapshot> Threads { get; init; } = [];

    /// <summary>The files of the vector stores made here (absent in older files).</summary>
    public List<VectorStoreSnapshot>? VectorStores { get; init; }

    /// <summary>Assistants deleted lately, for list cursors that name them (absent in older files).</summary>
    public List<RemovedSnapshot>? RemovedAssistants { get; init; }
}

/// <summary>An item deleted lately: its id, and its place among the items saved beside it (the index of the first one after it).</summary>
public sealed record RemovedSnapshot(string Id, int At);

public sealed class ThreadSnapshot
{
    public required ThreadObject Thread { get; init; }

    /// <summary>When retention last saw the thread used, as an order among the saved threads (absent in older files).</summary>
    public long? LastUsed { get; init; }
    public List<MessageObject> Messages { get; init; } = [];
    public List<RunSnapshot> Runs { get; init; } = [];

    /// <summary>Messages deleted lately, for list cursors that name them (absent in older files).</summary>
    public List<RemovedSnapshot>? RemovedMessages { get; init; }
}

public sealed class RunSnapshot
{
    public required RunObject Run { get; init; }
    public required RunPlan Plan { get; init; }
    public List<RunStepObject> Steps { get; init; } = [];
    public int ToolRoundsDone { get; init; }
    public string? CurrentStepId { get; init; }
    public string? CurrentMessageId { get; init; }
    public string? PendingText { get; init; }

    /// <summary>The citation the message being written will carry once revealed (absent in older files).</summary>
    public FileCitationAnnotation? PendingCitation { get; init; }

    /// <summary>The create's include[] asked for file search results' content (false in older files).</summary>
    public bool StreamsFileSearchContent { get; init; }
    public string? IncompleteReason { get; init; }
    public int PromptTokens { get; init; }
    public long ExpiresAtMs { get; init; }
    public int RevealedChars { get; init; }
    public int PiecesLeft { get; init; }
    public long PieceIntervalMs { get; init; }
    public TransitionKind? Pending { get; init; }
    public long? NextDueMs { get; init; }

    /// <summary>When the run was made, as an order among every saved run: the control API lists runs in it (absent in older files).</summary>
    public long? Seq { get; init; }

    /// <summary>The pending transition's place among every one due at the same millisecond, which fire in that order (absent in older files).</summary>
    public int? ScheduleOrder { get; init; }
}
