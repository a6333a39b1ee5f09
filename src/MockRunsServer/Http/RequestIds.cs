using Microsoft.Extensions.Options;
using MockRunsServer.Generation;
using MockRunsServer.Options;

namespace MockRunsServer.Http;

/// <summary>
/// x-request-id values as OpenAI's: "req_" and 32 lowercase hex digits, 16 random bytes. With
/// <c>Mock:Seed</c>, the OpenAI routes' come from a seeded stream of their own (so turning the seed on
/// shifts no id, text or outcome), and a seeded session's requests get the same ids after a reset, in
/// the 503 bodies and the journal too. The control API, health probes (a container's, every few
/// seconds) and Swagger draw from the shared generator, which takes no lock, so that they never
/// shift the session's ids; so do all requests without a seed.
/// </summary>
public sealed class RequestIds(IOptions<MockOptions> options)
{
    private const int Salt = 0x5EC1D;
    private readonly DerivedRandom? seeded = options.Value.Seed is null ? null : new DerivedRandom(options.Value.Seed, Salt);

    /// <summary>The next id; <paramref name="forSession"/>: a request on the OpenAI routes, whose ids a seed decides.</summary>
    public string Next(bool forSession)
    {
        Span<byte> random = stackalloc byte[16];
        if (seeded is null || !forSession)
        {
            Random.Shared.NextBytes(random);
        }
        else
        {
            seeded.NextBytes(random);
        }
        Span<char> id = stackalloc char[36];
        "req_".CopyTo(id);
        Convert.TryToHexStringLower(random, id[4..], out _);
        return new string(id);
    }

    public void Reset() => seeded?.Reset();

    /// <summary>After a saved state is loaded: new ids, never the saved session's again.</summary>
    public void ContinueAfter(int session) => seeded?.ContinueAfter(session);
}
