using System.Diagnostics;

namespace MockRunsServer.Tests.Control;

/// <summary>
/// The server process watches no settings file: nothing reads a setting again once started, and each
/// watcher takes one of the user's inotify instances (128 by default on Linux, shared by every process
/// of that user), so on a busy Docker host or CI runner the server failed to start.
/// </summary>
public sealed class SettingsWatcherTests
{
    /// <summary>A guard against a hang, not an assertion on time.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_started_server_holds_no_inotify_instance()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // inotify and /proc are Linux's; the limit this guards against is too.
        }
        var start = new ProcessStartInfo(Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MockRunsServer.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        using var process = Process.Start(start)!;
        try
        {
            // Listening comes after the configuration, and the watchers with it, are built.
            await WaitForListeningAsync(process).WaitAsync(Guard);

            var watchers = Directory.EnumerateFileSystemEntries($"/proc/{process.Id}/fd")
                .Count(fd => new FileInfo(fd).LinkTarget == "anon_inode:inotify");

            Assert.Equal(0, watchers);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private static async Task WaitForListeningAsync(Process process)
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.Contains("Now listening on:", StringComparison.Ordinal))
            {
                return;
            }
        }
        Assert.Fail($"The server stopped before listening: {await process.StandardError.ReadToEndAsync()}");
    }
}
