using MockRunsServer.Wire;

namespace MockRunsServer.Http;

/// <summary>
/// <c>include[]</c> on create run and the run-step routes accepts one value only (spec/runs.md §2); the
/// SDKs send it as <c>include[]</c> (node percent-encodes the brackets) or <c>include</c>. It asks for
/// the text each file search result found: on the steps read, and on the steps a run's stream sends.
/// </summary>
public static class IncludeQuery
{
    public const string FileSearchContent = "step_details.tool_calls[*].file_search.results[*].content";

    /// <summary>Refuses any other value; true when the request asks for the results' content.</summary>
    public static bool Check(HttpRequest request)
    {
        var asked = false;
        foreach (var (key, values) in request.Query)
        {
            if (key is not ("include[]" or "include"))
            {
                continue;
            }
            foreach (var value in values)
            {
                if (value != FileSearchContent)
                {
                    throw ApiError.BadRequest($"Invalid value: '{value}'. Supported values are: '{FileSearchContent}'.", "include", "invalid_value");
                }
                asked = true;
            }
        }
        return asked;
    }
}
