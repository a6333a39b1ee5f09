using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MockRunsServer.Runs;
using MockRunsServer.Store;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Runs;

/// <summary>
/// Create thread and run stores its thread under the thread's lock, so nothing can act on the
/// thread between its being stored and its run being stored and scheduled. The moment is held
/// open: with Mock:Retention:MaxThreads=1 storing the new thread scans for idle threads to drop and
/// locks each; the test holds the one idle thread's lock, so the create stops right after the new
/// thread is in the map, and a concurrent save or delete is tried then. Each must wait for the run.
/// </summary>
public sealed class ThreadAndRunWindowTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "thread-and-run-window-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Starts <paramref name="inWindow"/> on another thread once the new thread is stored and while its create is held there; the create goes on 2 s later.</summary>
    private static async Task<HttpResponseMessage> CreateWithWindow(MockServerFactory server, ApiClient api, string assistant, bool stream, Action<MockStore, ThreadRecord> inWindow)
    {
        var idle = (await api.Post("/v1/threads", new { })).Ok().Json.Str("id");
        var store = server.Services.GetRequiredService<MockStore>();
        var idleRecord = store.FindThread(idle)!;
        Task<HttpResponseMessage>? create = null;
        Exception? failure = null;
        var watcher = new Thread(() =>
        {
            try
            {
                lock (idleRecord.Gate)
                {
                    create = Task.Run(async () =>
                    {
                        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/threads/runs")
                        {
                            Content = new StringContent(JsonSerializer.Serialize(new { assistant_id = assistant, stream }), System.Text.Encoding.UTF8, "application/json"),
                        };
                        request.Headers.Add("OpenAI-Beta", "assistants=v2");
                        return await api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    });
                    Assert.True(SpinWait.SpinUntil(() => store.ThreadCount == 2, TimeSpan.FromSeconds(10)), "the new thread was never stored");
                    var added = store.AllThreads().Single(thread => thread.Id != idle);
                    // On another thread, as a concurrent request would: it must not hold the idle thread's lock.
                    var action = Task.Run(() => inWindow(store, added));
                    action.Wait(TimeSpan.FromSeconds(2));
                }
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        });
        watcher.Start();
        watcher.Join();
        if (failure is not null)
        {
            throw failure;
        }
        return await create!;
    }

    [Fact]
    public async Task A_save_in_the_window_writes_a_state_file_the_server_can_load()
    {
        var path = Path.Combine(directory, "state.json");
        var copy = Path.Combine(directory, "copy.json");
        using (var server = MockServerFactory.With(("Mock:Persistence:Path", path), ("Mock:Retention:MaxThreads", "1")))
        {
            var api = server.Api();
            var assistant = await api.CreateAssistant();
            var persistence = server.Services.GetRequiredService<StatePersistence>();
            var response = await CreateWithWindow(server, api, assistant, stream: false, (_, _) =>
            {
                persistence.Save();
                File.Copy(path, copy);
            });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var saved = File.ReadAllText(copy);
        using var second = MockServerFactory.With(("Mock:Persistence:Path", copy));
        var error = Record.Exception(() => second.CreateClient());
        Assert.True(error is null, $"the state saved in the window cannot be loaded: {error?.InnerException?.Message ?? error?.Message}");
    }

    [Fact]
    public async Task A_delete_of_the_thread_in_the_window_leaves_no_run_behind()
    {
        using var server = MockServerFactory.With(("Mock:Retention:MaxThreads", "1"));
        var api = server.Api();
        var assistant = await api.CreateAssistant();
        var response = await CreateWithWindow(server, api, assistant, stream: false, (store, thread) =>
        {
            // What DELETE /v1/threads/{id} does (a client that knows the id: seeded, or listed).
            lock (thread.Gate)
            {
                RunEngine.EnsureThreadAlive(thread);
                store.DeleteThread(thread, null);
            }
        });
        var store = server.Services.GetRequiredService<MockStore>();
        // The delete waits for the run, then takes the thread and the run together.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(SpinWait.SpinUntil(() => store.ThreadCount == 0, TimeSpan.FromSeconds(5)));
        Assert.Empty(store.AllRuns);
    }

    [Fact]
    public async Task A_stream_whose_thread_is_deleted_in_the_window_ends()
    {
        using var server = MockServerFactory.With(("Mock:Retention:MaxThreads", "1"));
        var api = server.Api();
        var assistant = await api.CreateAssistant();
        var response = await CreateWithWindow(server, api, assistant, stream: true, (store, thread) =>
        {
            lock (thread.Gate)
            {
                RunEngine.EnsureThreadAlive(thread);
                store.DeleteThread(thread, new MockRunsServer.Wire.ApiError(404, "deleted").ToResponse());
            }
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await api.Advance(30);
        var read = response.Content.ReadAsStringAsync();
        var finished = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(5))) == read;
        Assert.True(finished, "the stream never ends");
    }
}
