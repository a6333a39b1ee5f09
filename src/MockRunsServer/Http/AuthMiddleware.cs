using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using MockRunsServer.Options;
using MockRunsServer.Wire;

namespace MockRunsServer.Http;

/// <summary>
/// <c>Mock:Auth:ApiKeys</c> on the OpenAI routes, with OpenAI's 401s; <c>Mock:Admin:ApiKey</c> on
/// the control API. With neither set every request passes. A key read here is left in the
/// request's notes for the rate limiter.
/// </summary>
public sealed class AuthMiddleware(RequestDelegate next, IOptions<MockOptions> options)
{
    public const string MissingKeyMessage =
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), " +
        "or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. " +
        "You can obtain an API key from https://platform.openai.com/account/api-keys.";

    public const string MissingAdminKeyMessage =
        "You didn't provide the control API key. Send the value of Mock:Admin:ApiKey as Authorization: Bearer YOUR_ADMIN_KEY.";

    private readonly FrozenSet<string> keys = options.Value.Auth.ApiKeys.ToFrozenSet(StringComparer.Ordinal);
    private readonly byte[]? adminKey = string.IsNullOrEmpty(options.Value.Admin.ApiKey) ? null : Encoding.UTF8.GetBytes(options.Value.Admin.ApiKey);

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (MockPaths.IsControl(path))
        {
            if (adminKey is not null)
            {
                CheckAdmin(ApiKeys.Read(context.Request));
            }
        }
        else if (keys.Count > 0 && MockPaths.IsOpenAI(path))
        {
            var key = ApiKeys.Read(context.Request);
            RequestNotes.Of(context)?.ApiKey = key;
            Check(key);
        }
        return next(context);
    }

    public static string WrongKeyMessage(string key) =>
        $"Incorrect API key provided: {ApiKeys.Mask(key)}. You can find your API key at https://platform.openai.com/account/api-keys.";

    private void Check(string? key)
    {
        if (key is null)
        {
            throw new ApiError(401, MissingKeyMessage);
        }
        if (!keys.Contains(key))
        {
            throw new ApiError(401, WrongKeyMessage(key), null, "invalid_api_key");
        }
    }

    private void CheckAdmin(string? key)
    {
        if (key is null)
        {
            throw new ApiError(401, MissingAdminKeyMessage);
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), adminKey))
        {
            throw new ApiError(401, $"Incorrect control API key provided: {ApiKeys.Mask(key)}. The control API takes the value of Mock:Admin:ApiKey.", null, "invalid_api_key");
        }
    }
}
