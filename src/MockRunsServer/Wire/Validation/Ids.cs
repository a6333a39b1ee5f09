namespace MockRunsServer.Wire.Validation;

/// <summary>OpenAI refused ids of the wrong kind with a 400 before looking them up.</summary>
public static class Ids
{
    public static string Check(string value, string param, string prefix)
    {
        if (!value.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw ApiError.BadRequest($"Invalid '{param}': '{value}'. Expected an ID that begins with '{prefix}'.", param, "invalid_value");
        }
        return value;
    }
}
