using System.Net;
using System.Net.Http.Headers;

namespace MockRunsServer.Tests.Infrastructure;

/// <summary>A JSON body that cannot tell its length, so that HttpClient sends it chunked, without Content-Length.</summary>
public sealed class UnlengthedContent : HttpContent
{
    private readonly byte[] bytes;

    public UnlengthedContent(string json)
    {
        bytes = System.Text.Encoding.UTF8.GetBytes(json);
        Headers.ContentType = new MediaTypeHeaderValue("application/json");
    }

    /// <summary>
    /// POSTs <paramref name="json"/> chunked to a <see cref="KestrelMockServer"/> with the client's
    /// headers, through a plain client: the factory's own buffers a body (to replay it on a
    /// redirect), which gives it a length, and the in-memory server would too.
    /// </summary>
    public static async Task<ApiResponse> PostAsync(ApiClient api, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new UnlengthedContent(json) };
        foreach (var (name, value) in api.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        Assert.Null(request.Content.Headers.ContentLength);
        using var plain = new HttpClient { BaseAddress = api.Http.BaseAddress };
        using var response = await plain.SendAsync(request);
        return new ApiResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers, response.Content.Headers.ContentType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
