namespace MockRunsServer.Tests.Infrastructure;

/// <summary>
/// Finds OpenAI's OpenAPI description, which lives outside the repository: in <c>shared/openapi/</c>
/// beside the clone (<c>/work/shared</c> next to <c>/work/main</c>; CI lays a copy of shared/ beside
/// its clone the same way). The search walks up from the test binary, so it works from any
/// worktree or clone that sits next to shared/.
/// </summary>
internal static class SpecLocation
{
    /// <summary>Set this to the YAML file to use a spec that is not beside the repository.</summary>
    public const string OverrideVariable = "MOCKRUNS_OPENAPI_SPEC";

    public const string RelativePath = "shared/openapi/openai-openapi.yaml";

    private static readonly Lazy<(string? Path, string? Reason)> Found =
        new(() => Find(AppContext.BaseDirectory, Environment.GetEnvironmentVariable(OverrideVariable)));

    /// <summary>Full path of the spec file, or null when it is absent.</summary>
    public static string? Path => Found.Value.Path;

    /// <summary>Why the spec is absent (null when it was found).</summary>
    public static string? MissingReason => Found.Value.Reason;

    /// <summary>The search itself: <paramref name="overridden"/> if set, else up from
    /// <paramref name="startDirectory"/> to the file system root (or to <paramref name="ceiling"/>).</summary>
    internal static (string? Path, string? Reason) Find(string startDirectory, string? overridden, string? ceiling = null)
    {
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            return File.Exists(overridden)
                ? (System.IO.Path.GetFullPath(overridden), null)
                : (null, $"OpenAPI spec not found: {OverrideVariable} names '{overridden}', which does not exist.");
        }

        var looked = new List<string>();
        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(candidate))
            {
                return (candidate, null);
            }

            looked.Add(dir.FullName);
            if (ceiling is not null && System.IO.Path.GetFullPath(ceiling).TrimEnd('/') == dir.FullName.TrimEnd('/'))
            {
                break;
            }
        }

        return (null,
            $"OpenAPI spec not found: no {RelativePath} in {string.Join(", ", looked)} " +
            $"(it is expected in ../shared beside the repository; set {OverrideVariable} to point elsewhere).");
    }
}
