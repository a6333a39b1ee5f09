namespace MockRunsServer.Wire;

/// <summary>
/// An answer in OpenAI's error envelope. Domain code throws it for conflicts and unknown ids;
/// the error middleware turns it into the response, so every refusal reads the same way.
/// </summary>
public sealed class ApiError(int status, string message, string? param = null, string? code = null, string type = ApiError.InvalidRequest)
    : Exception(message)
{
    public const string InvalidRequest = "invalid_request_error";

    public int Status { get; } = status;
    public string? Param { get; } = param;
    public string? Code { get; } = code;
    public string Type { get; } = type;

    /// <summary>Headers the answer carries besides the envelope (retry-after and x-ratelimit-* on a 429).</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Headers { get; init; }

    public ErrorResponse ToResponse() => new(new ErrorBody(Message, Type, Param, Code));

    /// <summary>What OpenAI said of its own failures, in answers and in streams alike.</summary>
    public const string ServerErrorMessage = "The server had an error while processing your request. Sorry about that!";

    public static ApiError ServerError(string message = ServerErrorMessage) => new(500, message, null, null, "server_error");

    public static ApiError BadRequest(string message, string? param = null, string? code = null) => new(400, message, param, code);

    public static ApiError NotFound(string kind, string id) => new(404, $"No {kind} found with id '{id}'.");

    public static ApiError InvalidUrl(string method, string path) => new(404, $"Invalid URL ({method} {path})");
}
