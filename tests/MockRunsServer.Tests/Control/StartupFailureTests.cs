using System.Diagnostics;

namespace MockRunsServer.Tests.Control;

/// <summary>
/// The server process itself (not in-process), started with a configuration it cannot start with:
/// it says what is wrong in a few plain lines and exits with code 2, with no stack trace.
/// </summary>
public sealed class StartupFailureTests
{
    /// <summary>A guard against a hang, not an assertion on time.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private static Task<(int ExitCode, string Error)> Start(params (string Name, string Value)[] environment) =>
        StartIn(AppContext.BaseDirectory, environment);

    /// <summary>Starts the server with <paramref name="directory"/> as its working directory, which is also its content root.</summary>
    private static async Task<(int ExitCode, string Error)> StartIn(string directory, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MockRunsServer.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Guard);
        }
        catch (TimeoutException)
        {
            // A server that started after all must not outlive the test.
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await error + await output);
    }

    [Fact]
    public async Task A_value_of_the_wrong_kind_is_named_in_one_line_and_the_exit_code_is_2()
    {
        var (exitCode, error) = await Start(("Mock__Timings__Queued", "fast"));

        Assert.Equal(2, exitCode);
        Assert.Contains("MockRunsServer could not start:", error);
        Assert.Equal(["MockRunsServer could not start:", "  Mock:Timings:Queued 'fast' is not a duration ([d.]hh:mm:ss[.fff])."], error.TrimEnd().Split(Environment.NewLine));
        Assert.DoesNotContain("Unhandled exception", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task An_empty_number_is_named_in_one_line_without_the_parser_s_own_words()
    {
        var (exitCode, error) = await Start(("Mock__PollAfterMaxMs", ""));

        Assert.Equal(2, exitCode);
        Assert.Equal(["MockRunsServer could not start:", "  Mock:PollAfterMaxMs '' is not a whole number."], error.TrimEnd().Split(Environment.NewLine));
    }

    [Fact]
    public async Task Every_value_out_of_range_is_listed_and_the_exit_code_is_2()
    {
        var (exitCode, error) = await Start(("Mock__Outcomes__fail", "-1"), ("Mock__Faults__Drop", "2"));

        Assert.Equal(2, exitCode);
        Assert.Contains("Mock:Outcomes:fail", error);
        Assert.Contains("Mock:Faults:Drop", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task An_appsettings_json_in_the_working_directory_wins_over_the_copy_beside_the_binary()
    {
        // The copy beside the binary sets PollAfterMaxMs 1000; the working directory's file, edited since, says 0.
        var directory = Directory.CreateTempSubdirectory("mockruns-cwdsettings-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "appsettings.json"), """{ "Mock": { "PollAfterMaxMs": 0 } }""");

            var (exitCode, error) = await StartIn(directory);

            Assert.Equal(2, exitCode);
            Assert.Contains("Mock:PollAfterMaxMs", error);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_settings_file_that_is_not_json_is_named_in_plain_lines_and_the_exit_code_is_2()
    {
        var directory = Directory.CreateTempSubdirectory("mockruns-badsettings-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "appsettings.json"), """{ "Mock": """);

            var (exitCode, error) = await StartIn(directory);

            Assert.Equal(2, exitCode);
            Assert.Contains("Failed to load configuration from file", error);
            Assert.DoesNotContain("   at ", error);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_settings_file_that_cannot_be_read_is_named_in_plain_lines_and_the_exit_code_is_2()
    {
        // A dangling link stands for any file the server cannot open (a mounted file only its owner may
        // read fails the same way for the image's non-root user): the file system's exception, which
        // the configuration provider lets through unwrapped, used to end the process with a stack trace and 134.
        var directory = Directory.CreateTempSubdirectory("mockruns-unreadable-").FullName;
        try
        {
            File.CreateSymbolicLink(Path.Combine(directory, "appsettings.json"), Path.Combine(directory, "missing.json"));

            var (exitCode, error) = await StartIn(directory);

            Assert.Equal(2, exitCode);
            Assert.Contains("MockRunsServer could not start:", error);
            Assert.Contains("A settings file cannot be read", error);
            Assert.Contains("appsettings.json", error);
            Assert.DoesNotContain("Unhandled exception", error);
            Assert.DoesNotContain("   at ", error);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_content_root_that_does_not_exist_is_not_called_an_unreadable_settings_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), "mockruns-missing-" + Guid.NewGuid().ToString("N"));

        var (exitCode, error) = await Start(("ASPNETCORE_CONTENTROOT", missing));

        Assert.Equal(2, exitCode);
        Assert.Contains("MockRunsServer could not start:", error);
        Assert.Contains(missing, error);
        Assert.DoesNotContain("settings file", error);
        Assert.DoesNotContain("chmod", error);
    }

    [Fact]
    public async Task A_settings_file_that_is_a_folder_stops_start_up_instead_of_being_left_out()
    {
        // What docker mounts at /app/appsettings.Production.json for a host path that does not exist.
        var directory = Directory.CreateTempSubdirectory("mockruns-folder-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(directory, "appsettings.json"));

            var (exitCode, error) = await StartIn(directory);

            Assert.Equal(2, exitCode);
            Assert.Contains("A settings file cannot be read", error);
            Assert.Contains($"'{Path.Combine(directory, "appsettings.json")}' is a folder, not a file.", error);
            Assert.Contains("docker mounts an empty folder", error);
            Assert.DoesNotContain("   at ", error);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Logging_Console_FormatterName_json_writes_one_json_object_a_line()
    {
        Assert.False(string.IsNullOrEmpty(await FirstJsonLogCategory(AppContext.BaseDirectory, AppContext.BaseDirectory, ("Logging__Console__FormatterName", "json"))));
    }

    [Fact]
    public async Task Logging_Console_FormatterName_in_the_appsettings_json_beside_the_binary_is_honoured()
    {
        // What dotnet run reads: the repository's appsettings.json, copied beside the binary, added
        // after the slim builder's own sources (the working directory, the content root, has none).
        var binary = Directory.CreateTempSubdirectory("mockruns-binary-").FullName;
        var working = Directory.CreateTempSubdirectory("mockruns-cwd-").FullName;
        try
        {
            foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory))
            {
                File.Copy(file, Path.Combine(binary, Path.GetFileName(file)));
            }
            var settings = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(binary, "appsettings.json")))!.AsObject();
            settings["Logging"]!["Console"] = new System.Text.Json.Nodes.JsonObject { ["FormatterName"] = "json" };
            File.WriteAllText(Path.Combine(binary, "appsettings.json"), settings.ToJsonString());

            Assert.False(string.IsNullOrEmpty(await FirstJsonLogCategory(binary, working)));
        }
        finally
        {
            Directory.Delete(binary, recursive: true);
            Directory.Delete(working, recursive: true);
        }
    }

    /// <summary>The category of the server's first log line, whichever it is, which must be a JSON object (the simple format's first line is not); the server is stopped once it is out.</summary>
    private static async Task<string?> FirstJsonLogCategory(string binary, string directory, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add(Path.Combine(binary, "MockRunsServer.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(Guard);
            Assert.NotNull(line);
            using var entry = System.Text.Json.JsonDocument.Parse(line!);
            return entry.RootElement.GetProperty("Category").GetString();
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
