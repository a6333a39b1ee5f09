using MockRunsServer.Runs;
using MockRunsServer.Scenarios;
using MockRunsServer.Streaming;
using MockRunsServer.Wire;

namespace MockRunsServer.Store;

/// <summary>A run with what the engine needs beside its wire shape. Guarded by its thread's lock.</summary>
public sealed class RunRecord(RunObject run, ThreadRecord thread, RunPlan plan) : ISequenced
{
    public RunObject Run { get; } = run;
    public ThreadRecord Thread { get; } = thread;
    public RunPlan Plan { get; } = plan;
    public string Id => Run.Id;

    public bool HasId(ReadOnlySpan<char> id) => id.SequenceEqual(Run.Id);
    public long Seq { get; } = Sequence.Next();

    /// <summary>Bumped on every change; a scheduled transition that finds another version is stale.</summary>
    public int Version { get; set; }

    /// <summary>Unix ms of the run's next scheduled change, or null when nothing is scheduled.</summary>
    public long? NextDueMs { get; set; }

    public TransitionKind? Pending { get; set; }

    public int ToolRoundsDone { get; set; }

    /// <summary>The slots of the run's first and last step in the store's <see cref="StepTable"/>, or -1.</summary>
    public int FirstStep = -1;

    public int LastStep = -1;

    public int StepCount;

    /// <summary>The slot of the step in progress, or -1.</summary>
    public int CurrentStep = -1;

    /// <summary>
    /// The slot in the store's <see cref="MessageTable"/> of the message the run is writing, or -1.
    /// The message holds the full text it will have when done (<see cref="MessageSlot.Text"/>),
    /// which deltas reveal piece by piece.
    /// </summary>
    public int CurrentMessage = -1;

    public int PromptTokens { get; set; }

    /// <summary>The citation the message being written will carry once its text reaches the marker (a file search found files).</summary>
    public FileCitationAnnotation? PendingCitation { get; set; }

    /// <summary>Set when the message being written will end incomplete (max_completion_tokens, max_prompt_tokens…).</summary>
    public string? IncompleteReason { get; set; }

    /// <summary>created_at + Expiry in Unix ms (expires_at on the wire is whole seconds).</summary>
    public long ExpiresAtMs { get; init; }

    public int RevealedChars { get; set; }

    public int PiecesLeft { get; set; }

    public long PieceIntervalMs { get; set; }

    public RunObserverList? Observers { get; set; }

    public bool Deleted { get; set; }

    /// <summary>The create's include[] asked for file search results' content: every stream of the run (the submit ones too) sends it.</summary>
    public bool StreamsFileSearchContent { get; init; }
}
