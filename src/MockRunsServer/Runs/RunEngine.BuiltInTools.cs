using System.Text.Json;
using MockRunsServer.Generation;
using MockRunsServer.Store;
using MockRunsServer.Wire;

namespace MockRunsServer.Runs;

// RunEngine, continued: the built-in tools a run calls before it answers: file search (with the citation its answer carries) and code interpreter.
public sealed partial class RunEngine
{
    /// <summary>
    /// A run with the file_search tool and something to search (a vector store on the run, its thread
    /// or its assistant) searches once before it answers, as OpenAI's did: a tool_calls step with one
    /// file_search call, done at once. tool_choice file_search (or required, with no function to call
    /// instead) makes it search anyway; none or another named tool never. It finds the files of the
    /// stores made here (a store named only by id was made elsewhere: its files are not known) and
    /// those the thread's messages attached for file_search, each scored at or above the tool's
    /// threshold, best first.
    /// </summary>
    private bool WillSearch(RunRecord record)
    {
        var run = record.Run;
        var choice = ToolChoiceOf(run.ToolChoice);
        if (!run.Tools.Exists(tool => tool.Type == "file_search") || choice is "none" or "function" or "code_interpreter" || HasSearched(record))
        {
            return false;
        }
        var forced = choice == "file_search" || (choice == "required" && !run.Tools.Exists(tool => tool.Function is not null));
        return forced || HasVectorStore(record);
    }

    private void SearchFiles(RunRecord record, long now)
    {
        var run = record.Run;
        var tool = run.Tools.Find(tool => tool.Type == "file_search")!;
        var options = tool.FileSearch ?? FileSearchOptions.Default;
        var threshold = options.RankingOptions.ScoreThreshold;
        // Each store's files (a file in two stores is found in each), then files attached to messages that no store holds.
        var files = new List<string>();
        foreach (var storeId in StoreIds(record).Distinct(StringComparer.Ordinal))
        {
            files.AddRange(store.VectorStores.Of(storeId));
        }
        var found = new HashSet<string>(files, StringComparer.Ordinal);
        var messages = record.Thread.Messages;
        for (var i = 0; i < messages.Count; i++)
        {
            foreach (var attached in ToolResources.FilesForSearch(messages[i].Value.Attachments))
            {
                if (found.Add(attached))
                {
                    files.Add(attached);
                }
            }
        }
        var results = files
            .Select(fileId => new FileSearchResult
            {
                FileId = fileId,
                // The file's real name is not known here (files are not served): its id stands in.
                FileName = fileId + ".txt",
                Score = threshold + (1 - threshold) * random.NextDouble(),
            })
            .OrderByDescending(result => result.Score)
            .Take(options.MaxNumResults ?? 20)
            .ToList();
        var call = new StepToolCall
        {
            Id = random.NewId("call"),
            Type = "file_search",
            FileSearch = new StepFileSearch { RankingOptions = new StepRanking(options.RankingOptions.Ranker, threshold), Results = results },
        };
        // The search's own call wrote a short query (the live one wrote ~20 tokens).
        WriteBuiltInCall(record, now, call, Math.Clamp(TokenEstimator.Count(LastUserText(record.Thread.Messages)), 1, 24),
            step => [StepDelta.FileSearchCall(step, 0, call)]);
    }

    /// <summary>
    /// A call the run makes itself (a search, code) as a tool_calls step done at once: created with no
    /// calls, in progress, its deltas, completed with its usage. A call that would write more than
    /// max_completion_tokens leaves is never made: the run answers without it.
    /// </summary>
    private void WriteBuiltInCall(RunRecord record, long now, StepToolCall call, int completionTokens, Func<string, IEnumerable<StepDelta>> deltas)
    {
        if (CompletionLeft(record) is { } left && completionTokens > left)
        {
            return;
        }
        var step = BeginStep(record, now);
        store.Steps[step].ToolCalls!.Add(call);
        if (record.Observers is { IsEmpty: false } observers)
        {
            foreach (var delta in deltas(store.Steps[step].Id.ToString()))
            {
                observers.Publish("thread.run.step.delta", delta);
            }
        }
        CompleteStep(record, step, now, UsageObject.Of(record.PromptTokens, completionTokens));
    }

    /// <summary>
    /// A run with the code_interpreter tool and files for it (on the run, its thread or its assistant,
    /// or attached to the thread's messages for code_interpreter) writes and runs code once before it
    /// answers, as OpenAI's did with files to work on: a tool_calls step with one code_interpreter
    /// call. tool_choice code_interpreter (or required, with no other tool to call instead) makes it
    /// run code anyway; none or another named tool never.
    /// </summary>
    private bool WillRunCode(RunRecord record)
    {
        var run = record.Run;
        var choice = ToolChoiceOf(run.ToolChoice);
        if (!run.Tools.Exists(tool => tool.Type == "code_interpreter") || choice is "none" or "function" or "file_search" || HasCalled(record, "code_interpreter"))
        {
            return false;
        }
        var forced = choice == "code_interpreter"
            || (choice == "required" && !run.Tools.Exists(tool => tool.Function is not null || tool.Type == "file_search"));
        return forced || CodeFiles(record).Count > 0;
    }

    /// <summary>The files a run's code can read: its own, its thread's and its assistant's code_interpreter files, then those attached for it.</summary>
    private List<string> CodeFiles(RunRecord record)
    {
        var files = new List<string>();
        files.AddRange(ToolResources.CodeInterpreterFiles(record.Run.ToolResources));
        files.AddRange(ToolResources.CodeInterpreterFiles(record.Thread.Thread.ToolResources));
        if (store.FindAssistant(record.Run.AssistantId) is { } assistant)
        {
            files.AddRange(ToolResources.CodeInterpreterFiles(assistant.ToolResources));
        }
        var messages = record.Thread.Messages;
        for (var i = 0; i < messages.Count; i++)
        {
            files.AddRange(ToolResources.FilesAttachedFor(messages[i].Value.Attachments, "code_interpreter"));
        }
        return files.Distinct(StringComparer.Ordinal).ToList();
    }

    private void RunCode(RunRecord record, long now)
    {
        var (input, logs) = content.Code(CodeFiles(record));
        var call = new StepToolCall
        {
            Id = random.NewId("call"),
            Type = "code_interpreter",
            CodeInterpreter = new StepCodeInterpreter { Input = input, Outputs = [new CodeOutput(logs)] },
        };
        WriteBuiltInCall(record, now, call, Math.Max(1, TokenEstimator.Count(input)), step => StepDelta.CodePieces(step, 0, call));
    }

    private bool HasVectorStore(RunRecord record) => StoreIds(record).Any();

    /// <summary>The vector stores a run searches: its own, its thread's, its assistant's.</summary>
    private IEnumerable<string> StoreIds(RunRecord record) =>
        ToolResources.VectorStoreIds(record.Run.ToolResources)
            .Concat(ToolResources.VectorStoreIds(record.Thread.Thread.ToolResources))
            .Concat(store.FindAssistant(record.Run.AssistantId) is { } assistant ? ToolResources.VectorStoreIds(assistant.ToolResources) : []);

    /// <summary>
    /// The answer to a search that found files cites the best of them, as the live API's did: a marker
    /// <c>【n:0†name】</c> at the end of its first sentence (before its full stop) and a file_citation
    /// annotation that covers it. A reply that must be JSON carries none.
    /// </summary>
    private FileCitationAnnotation? Cite(RunRecord record, ref string text)
    {
        // A scenario's scripted text is answered word for word; a reply that must be JSON carries no marker.
        if (record.Plan.MessageText is not null || text.Length == 0
            || (record.Run.ResponseFormat.ValueKind == JsonValueKind.Object
                && record.Run.ResponseFormat.TryGetProperty("type", out var format) && format.GetString() != "text"))
        {
            return null;
        }
        FileSearchResult? best = null;
        var searchStep = 0;
        var index = 0;
        foreach (var slot in store.Steps.Of(record))
        {
            foreach (var call in store.Steps[slot].ToolCalls ?? [])
            {
                if (call.FileSearch is { Results: [var first, ..] })
                {
                    best = first;
                    searchStep = index;
                }
            }
            if (best is not null)
            {
                break;
            }
            index++;
        }
        if (best is null)
        {
            return null;
        }
        var marker = $"【{searchStep + 4}:0†{best.FileName}】";
        var at = FirstSentenceEnd(text);
        text = string.Concat(text.AsSpan(0, at), marker, text.AsSpan(at));
        var start = CodePoints.Count(text.AsSpan(0, at));
        return new FileCitationAnnotation
        {
            Text = marker,
            StartIndex = start,
            EndIndex = start + CodePoints.Count(marker),
            FileCitation = new FileCitation(best.FileId),
        };
    }

    /// <summary>Where the first sentence's full stop stands (one after a word, before a space or the end), else the text's end.</summary>
    private static int FirstSentenceEnd(string text)
    {
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] == '.' && !char.IsWhiteSpace(text[i - 1]) && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
            {
                return i;
            }
        }
        return text.Length;
    }

    /// <summary>Where the citation's marker ends in <paramref name="text"/> (UTF-16), or 0 when the text does not hold it whole.</summary>
    private static int CitationEnd(ReadOnlySpan<char> text, FileCitationAnnotation citation)
    {
        var at = text.IndexOf(citation.Text, StringComparison.Ordinal);
        return at < 0 ? 0 : at + citation.Text.Length;
    }

    private bool HasSearched(RunRecord record) => HasCalled(record, "file_search");

    private bool HasCalled(RunRecord record, string tool)
    {
        foreach (var slot in store.Steps.Of(record))
        {
            if (store.Steps[slot].ToolCalls?.Exists(call => call.Type == tool) == true)
            {
                return true;
            }
        }
        return false;
    }
}
