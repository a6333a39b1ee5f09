using Microsoft.Extensions.Options;

namespace MockRunsServer.Http;

/// <summary>How the server reports that it could not start: the causes' messages on one line each, no stack trace.</summary>
public static partial class StartupFailure
{
    public const int ExitCode = 2;

    public static int Report(Exception exception)
    {
        Console.Error.WriteLine("MockRunsServer could not start:");
        foreach (var line in Causes(exception))
        {
            Console.Error.WriteLine("  " + line);
        }
        return ExitCode;
    }

    /// <summary>
    /// A settings file that could not be loaded: not JSON (the provider's <see cref="InvalidDataException"/>),
    /// or not readable at all (no read permission for the server's user, a dangling link, a folder), which
    /// the provider lets through as the file system's own exception, unwrapped.
    /// </summary>
    public static bool IsSettingsFileFailure(Exception exception) =>
        exception is InvalidDataException or IOException or UnauthorizedAccessException;

    /// <summary>Reports a settings file that could not be loaded: what the file system said, and what to do about a file the server cannot read.</summary>
    public static int ReportSettingsFile(Exception exception)
    {
        // The builder's other file-system failures (a content root that does not exist, say) are plain
        // failures too, but not a settings file's.
        if (exception is InvalidDataException || !exception.Message.Contains(".json", StringComparison.OrdinalIgnoreCase))
        {
            return Report(exception);
        }
        Console.Error.WriteLine("MockRunsServer could not start:");
        Console.Error.WriteLine("  A settings file cannot be read: " + exception.Message);
        Console.Error.WriteLine($"  It must be a file that the server's user ({Environment.UserName}) can read: chmod a+r a file mounted into a container, " +
                                "and check that its host path exists (for one that does not, docker mounts an empty folder).");
        return ExitCode;
    }

    /// <summary>Each failure once: every option that failed validation, else the exception and what caused it.</summary>
    public static IEnumerable<string> Causes(Exception exception)
    {
        if (exception is OptionsValidationException validation)
        {
            return validation.Failures;
        }
        for (Exception? cause = exception; cause is not null; cause = cause.InnerException)
        {
            // The binder's own refusal, then the converter's and the parser's in other words: one line, as validation's.
            if (ConversionFailure().Match(cause.Message) is { Success: true } failure)
            {
                var type = Type.GetType(failure.Groups["type"].Value);
                var expected = type is null ? $"a valid {failure.Groups["type"].Value}" : Options.UnknownKeysValidator.Describe(Nullable.GetUnderlyingType(type) ?? type);
                return [$"{failure.Groups["key"].Value} '{failure.Groups["value"].Value}' is not {expected}."];
            }
        }
        var causes = new List<string>();
        for (Exception? cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause is not AggregateException && !causes.Exists(known => known.Contains(cause.Message, StringComparison.Ordinal)))
            {
                causes.Add(cause.Message);
            }
        }
        return causes;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex ConversionFailure();
}
