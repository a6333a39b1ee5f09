using Microsoft.Extensions.Options;
using MockRunsServer.Generation;
using MockRunsServer.Options;

namespace MockRunsServer.Http;

/// <summary>
/// x-request-id values as OpenAI's: "req_" and 32 lowercase hex digits, 16 random bytes. With
/// <c>Mock:Seed</c> they come from a seeded stream of their own (so turning the seed on shifts no
/// id, text or outcome), and a seeded session's requests get the same ids after a reset, in the 503
/// bodies and the journal too; without one, from the shared generator, which takes no lock.
/// </summary>
public sealed class RequestIds(IOptions<MockOptions> options)
{
    private const int Salt = 0x5EC1D;
    private readonly DerivedRandom? seeded = options.Value.Seed is null ? null : new DerivedRandom(options.Value.Seed, Salt);

    public string Next()
    {
        Span<byte> random = stackalloc byte[16];
        if (seeded is null)
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
}
