using Microsoft.Extensions.Options;

namespace MockRunsServer.Http;

/// <summary>How the server reports that it could not start: the causes' messages on one line each, no stack trace.</summary>
public static class StartupFailure
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

    /// <summary>Each failure once: every option that failed validation, else the exception and what caused it.</summary>
    public static IEnumerable<string> Causes(Exception exception)
    {
        if (exception is OptionsValidationException validation)
        {
            return validation.Failures;
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
}
