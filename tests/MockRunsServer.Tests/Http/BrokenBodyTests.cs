using System.Text;
using Microsoft.AspNetCore.Http;
using MockRunsServer.Http;
using MockRunsServer.Options;
using MockRunsServer.Runs;

namespace MockRunsServer.Tests.Http;

/// <summary>
/// A body that stops short of its Content-Length (a client that stalls or drops): the journal keeps
/// what came, and the endpoint meets the same failure instead of acting on half a body.
/// </summary>
public sealed class BrokenBodyTests
{
    /// <summary>The bytes that arrived, then the read failing as Kestrel's does when the rest never comes.</summary>
    private sealed class StallingBody(byte[] arrived) : MemoryStream(arrived)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position < Length
                ? base.ReadAsync(buffer, cancellationToken)
                : throw new BadHttpRequestException("Reading the request body timed out due to data arriving too slowly.", StatusCodes.Status408RequestTimeout);
    }

    [Fact]
    public async Task The_endpoint_meets_the_failure_after_the_bytes_that_came_and_the_journal_keeps_them()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new MockOptions());
        var journal = new RequestJournal(options);
        var arrived = Encoding.UTF8.GetBytes("""{"model":"gpt-4o","name":"half"}""");
        Exception? seen = null;
        var read = new MemoryStream();
        var middleware = new JournalMiddleware(async context =>
        {
            try
            {
                await context.Request.Body.CopyToAsync(read);
            }
            catch (BadHttpRequestException exception)
            {
                seen = exception;
                context.Response.StatusCode = exception.StatusCode;
            }
        }, journal, new MockClock(options, TimeProvider.System), options);
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/v1/assistants";
        context.Request.ContentLength = 100;
        context.Request.Body = new StallingBody(arrived);

        await middleware.InvokeAsync(context);

        Assert.Equal(arrived, read.ToArray());
        Assert.IsType<BadHttpRequestException>(seen);
        var entry = Assert.Single(journal.Snapshot());
        Assert.Equal(arrived, entry.Body);
        Assert.Equal(408, entry.Status);
    }
}
