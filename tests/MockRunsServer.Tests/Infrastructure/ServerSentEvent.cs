using System.Text;

namespace MockRunsServer.Tests.Infrastructure;

/// <summary>One event of a <c>text/event-stream</c> body.</summary>
/// <param name="Event">The <c>event:</c> field (<c>message</c> when the event named none).</param>
/// <param name="Data">The <c>data:</c> lines, joined with <c>\n</c>.</param>
public sealed record ServerSentEvent(string Event, string Data)
{
    /// <summary>
    /// Splits a whole SSE body into events as the SSE spec reads it: fields up to a blank line,
    /// one optional space after the colon, <c>:</c> comment lines ignored, several <c>data:</c>
    /// lines joined. An unterminated last event is kept (the SDKs keep it too).
    /// </summary>
    public static IReadOnlyList<ServerSentEvent> Parse(string body)
    {
        var events = new List<ServerSentEvent>();
        string? name = null;
        StringBuilder? data = null;
        foreach (var rawLine in body.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0)
            {
                Dispatch();
                continue;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "event":
                    name = value;
                    break;
                case "data":
                    data = data is null ? new StringBuilder(value) : data.Append('\n').Append(value);
                    break;
            }
        }

        Dispatch();
        return events;

        void Dispatch()
        {
            if (data is not null)
            {
                events.Add(new ServerSentEvent(string.IsNullOrEmpty(name) ? "message" : name, data.ToString()));
            }

            name = null;
            data = null;
        }
    }
}
