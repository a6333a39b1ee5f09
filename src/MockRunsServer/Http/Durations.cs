using System.Globalization;
using System.Text;

namespace MockRunsServer.Http;

/// <summary>Durations the way OpenAI writes them in x-ratelimit-reset-* and error messages (Go's format): 120ms, 1s, 1.5s, 6m0s, 1h2m3s.</summary>
public static class Durations
{
    public static string Format(long milliseconds)
    {
        if (milliseconds <= 0)
        {
            return "0s";
        }
        if (milliseconds < 1000)
        {
            return milliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        }
        var text = new StringBuilder();
        var hours = milliseconds / 3_600_000;
        var minutes = milliseconds / 60_000 % 60;
        var seconds = milliseconds % 60_000 / 1000.0;
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }
        if (hours > 0 || minutes > 0)
        {
            text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }
        text.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        return text.ToString();
    }

    /// <summary>Whole seconds for <c>retry-after</c>, rounded up so a client that honours it never comes back early.</summary>
    public static long CeilingSeconds(long milliseconds) => milliseconds <= 0 ? 0 : (milliseconds + 999) / 1000;
}
