using System.Text;

namespace MockRunsServer.Http;

/// <summary>Reading the caller's API key and showing it masked, as OpenAI did.</summary>
public static class ApiKeys
{
    /// <summary>The key from <c>Authorization: Bearer &lt;key&gt;</c>, or the password of Basic auth with a blank user (OpenAI accepted both); null when none.</summary>
    public static string? Read(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return null;
        }
        var space = header.IndexOf(' ');
        var scheme = space < 0 ? header : header[..space];
        var value = space < 0 ? string.Empty : header[(space + 1)..].Trim();
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return value.Length > 0 ? value : null;
        }
        if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value));
                return decoded.StartsWith(':') && decoded.Length > 1 ? decoded[1..] : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>
    /// OpenAI's mask: the first 8 characters, a star for each hidden one, the last 4
    /// (<c>sk-PMafP***************************************E873</c>). A key of 12 characters or
    /// fewer has nothing left to hide and comes back whole, as OpenAI echoed "ai" and "undefined".
    /// </summary>
    public static string Mask(string key) =>
        key.Length <= 12 ? key : string.Concat(key.AsSpan(0, 8), new string('*', key.Length - 12), key.AsSpan(key.Length - 4));
}
