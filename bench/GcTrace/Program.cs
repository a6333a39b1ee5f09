// Usage: GcTrace <file.nettrace> [requests]
//
// Prints one markdown row per collection in the trace, then totals. "ranges" counts the separate
// live ranges (plugs) a collection moved or kept in place: objects that survive next to each other
// form one range, each dead object between two live ones starts another. With [requests] (the
// requests served while the trace ran) it also gives the pause and the ranges per request.
// Needs the trace taken with the GC keyword (0x1) at verbose level (5); the ranges also need
// GCHeapSurvivalAndMovement (0x400000), so: --providers Microsoft-Windows-DotNETRuntime:0x400001:5

using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Analysis;
using Microsoft.Diagnostics.Tracing.Analysis.GC;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: GcTrace <file.nettrace> [requests]");
    return 2;
}
var requests = args.Length == 2 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 0;

using var source = new EventPipeEventSource(args[0]);
source.NeedLoadedDotNetRuntimes();
var ranges = new RangeCounter(source);
source.Process();

var gcs = source.Processes()
    .Select(process => process.LoadedDotNetRuntime())
    .Where(runtime => runtime is not null)
    .SelectMany(runtime => runtime!.GC.GCs)
    .OrderBy(gc => gc.StartRelativeMSec)
    .ToList();
if (gcs.Count == 0)
{
    Console.Error.WriteLine("no collections in the trace (was it taken with the GC keyword, 0x1, at level 5?)");
    return 1;
}
ranges.Attribute(gcs);

Console.WriteLine("| # | gen | kind | at ms | pause ms | promoted MB | mark from older gens ms | ranges | range MB |");
Console.WriteLine("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var gc in gcs)
{
    var (count, bytes) = ranges.Of(gc);
    Console.WriteLine(Invariant(
        $"| {gc.Number} | {gc.Generation} | {gc.Type} | {gc.StartRelativeMSec:F0} | {gc.PauseDurationMSec:F1} | {gc.PromotedMB:F1} | {MarkFromOlder(gc):F1} | {count} | {bytes / 1e6:F1} |"));
}

Console.WriteLine();
foreach (var generation in gcs.Select(gc => gc.Generation).Distinct().Order())
{
    var ofGeneration = gcs.Where(gc => gc.Generation == generation).ToList();
    var pause = ofGeneration.Sum(gc => gc.PauseDurationMSec);
    var rangeCount = ofGeneration.Sum(gc => ranges.Of(gc).Count);
    var line = Invariant($"gen{generation}: {ofGeneration.Count} collections, {pause:F0} ms of pauses (longest {ofGeneration.Max(gc => gc.PauseDurationMSec):F1}), {ofGeneration.Sum(gc => gc.PromotedMB):F0} MB promoted, {rangeCount} ranges");
    if (requests > 0)
    {
        line += Invariant($"; per 10,000 requests: {pause * 10_000 / requests:F1} ms, {rangeCount * 10_000.0 / requests:F0} ranges");
    }
    Console.WriteLine(line);
}
var total = gcs.Sum(gc => gc.PauseDurationMSec);
Console.WriteLine(requests > 0
    ? Invariant($"all: {total:F0} ms of pauses; {total * 10_000 / requests:F1} ms per 10,000 requests")
    : Invariant($"all: {total:F0} ms of pauses"));
return 0;

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

// The time every heap's GC thread spent marking from cards (older objects that reference younger
// ones), the longest heap's, as the heaps mark in parallel. A young collection reaches almost all of
// its survivors this way when the program keeps them in long-lived structures.
static double MarkFromOlder(TraceGC gc)
{
    if (gc.PerHeapMarkTimes is null || gc.PerHeapMarkTimes.Count == 0)
    {
        return 0;
    }
    return gc.PerHeapMarkTimes.Values.Max(times => times.MarkTimes[(int)MarkRootType.MarkOlder]);
}

/// <summary>
/// Counts the live ranges each collection reports moving or keeping in place. A background gen2
/// reports its ranges while the program runs, and a young collection can run in the middle of it,
/// so each report goes to the young (or blocking) collection whose duration contains it; reports
/// outside every such collection belong to a background one and are not counted.
/// </summary>
internal sealed class RangeCounter
{
    private readonly List<(double AtMSec, long Count, long Bytes)> reports = [];
    private Dictionary<int, (long Count, long Bytes)>? byCollection;

    public RangeCounter(TraceEventDispatcher source)
    {
        source.Clr.GCBulkMovedObjectRanges += moved =>
        {
            long bytes = 0;
            for (var i = 0; i < moved.Count; i++)
            {
                bytes += (long)moved.Values(i).RangeLength;
            }
            reports.Add((moved.TimeStampRelativeMSec, moved.Count, bytes));
        };
        source.Clr.GCBulkSurvivingObjectRanges += kept =>
        {
            long bytes = 0;
            for (var i = 0; i < kept.Count; i++)
            {
                bytes += (long)kept.Values(i).RangeLength;
            }
            reports.Add((kept.TimeStampRelativeMSec, kept.Count, bytes));
        };
    }

    public (long Count, long Bytes) Of(TraceGC gc)
    {
        return byCollection is not null && byCollection.TryGetValue(gc.Number, out var ranges) ? ranges : (0, 0);
    }

    /// <summary>Call once, with every collection of the trace, before <see cref="Of"/>.</summary>
    public void Attribute(IReadOnlyList<TraceGC> gcs)
    {
        byCollection = [];
        var blocking = gcs.Where(gc => gc.Type != GCType.BackgroundGC).ToList();
        foreach (var (atMSec, count, bytes) in reports)
        {
            var owner = blocking.FirstOrDefault(gc => gc.StartRelativeMSec <= atMSec && atMSec <= gc.StartRelativeMSec + gc.DurationMSec);
            if (owner is null)
            {
                continue;
            }
            byCollection.TryGetValue(owner.Number, out var sum);
            byCollection[owner.Number] = (sum.Count + count, sum.Bytes + bytes);
        }
    }
}
