// Loaded by the runtime before Main when DOTNET_STARTUP_HOOKS names this assembly: the runtime
// looks for a type called StartupHook, outside any namespace, with a static Initialize method.
//
// Writes to the file in GCWATCH_OUT one line per collection it sees,
//   GC <unix ms> <index> <generation> <pause ms> <promoted MB>
// and every 100 ms the process's exact running totals,
//   TOTAL <unix ms> <pause ms since start> <gen0 count> <gen1 count> <gen2 count> <bytes allocated since start>
// The per-collection lines come from polling GC.GetGCMemoryInfo every 2 ms and can miss one
// when two collections finish within a poll; the totals never miss any.

using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;

internal static class StartupHook
{
    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable("GCWATCH_OUT");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }
        new Thread(() => Watch(path)) { IsBackground = true, Name = "GcWatch" }.Start();
    }

    private static void Watch(string path)
    {
        using var output = new StreamWriter(path, append: false) { AutoFlush = true };
        var seen = 0L;
        var lastTotal = Stopwatch.GetTimestamp();
        var kinds = new[] { GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background };
        while (true)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var newest = seen;
            foreach (var kind in kinds)
            {
                var info = GC.GetGCMemoryInfo(kind);
                if (info.Index <= seen)
                {
                    continue;
                }
                newest = Math.Max(newest, info.Index);
                var pause = 0.0;
                foreach (var duration in info.PauseDurations)
                {
                    pause += duration.TotalMilliseconds;
                }
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"GC {now} {info.Index} {info.Generation} {pause:F2} {info.PromotedBytes / 1048576.0:F1}"));
            }
            seen = newest;
            if (Stopwatch.GetElapsedTime(lastTotal).TotalMilliseconds >= 100)
            {
                lastTotal = Stopwatch.GetTimestamp();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"TOTAL {now} {GC.GetTotalPauseDuration().TotalMilliseconds:F2} {GC.CollectionCount(0)} {GC.CollectionCount(1)} {GC.CollectionCount(2)} {GC.GetTotalAllocatedBytes(precise: true)}"));
            }
            Thread.Sleep(2);
        }
    }
}
