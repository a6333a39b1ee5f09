using Microsoft.Extensions.Options;
using MockRunsServer.Endpoints;
using MockRunsServer.Generation;
using MockRunsServer.Http;
using MockRunsServer.Options;
using MockRunsServer.Runs;
using MockRunsServer.Scenarios;
using MockRunsServer.Store;
using MockRunsServer.Streaming;
using MockRunsServer.Wire;

if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args);
}

// The slim builder leaves out what a mock never uses (IIS, HTTP/3, hosting startup assemblies):
// ~2 MB less resident at idle. Full routing brings back the regex route constraint, which
// Swashbuckle's document route (swagger/{documentName}/swagger.{extension:regex(…)}) needs to start.
WebApplicationBuilder builder;
try
{
    builder = WebApplication.CreateSlimBuilder(Hosting.WithoutSettingsWatcher(args));
}
catch (Exception unreadable) when (StartupFailure.IsSettingsFileFailure(unreadable))
{
    // A settings file that is not JSON, or one that cannot be read (a mounted file only its owner
    // may read, a dangling link): said plainly, like every other failure to start.
    return StartupFailure.ReportSettingsFile(unreadable);
}
builder.WebHost.UseKestrelHttpsConfiguration();
builder.Services.AddRouting();
// The provider dotnet-trace and dotnet-monitor read logs through (the full builder adds it).
builder.Logging.AddEventSourceLogger();
// The slim builder's simple console fixes the formatter, so Logging:Console:FormatterName (json,
// systemd: one line an entry, for a CI's log collector) was ignored; it chooses again when given.
// Read when the options are built, so the appsettings.json AddMockConfiguration adds is seen too.
builder.Services.AddOptions<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>().PostConfigure<IConfiguration>((console, configuration) =>
{
    if (configuration["Logging:Console:FormatterName"] is { Length: > 0 } formatter)
    {
        console.FormatterName = formatter;
    }
});
try
{
    builder.AddMockConfiguration();
    Hosting.RefuseFolderSettings(builder.Configuration);
}
catch (Exception unreadable) when (StartupFailure.IsSettingsFileFailure(unreadable))
{
    return StartupFailure.ReportSettingsFile(unreadable);
}
builder.WebHost.LeaveRoomForLongRequests();
if (Hosting.AddressWhenUnset(builder.Configuration) is { } address)
{
    builder.WebHost.UseUrls(address);
}

builder.Services.AddOptions<MockOptions>().Bind(builder.Configuration.GetSection(MockOptions.Section)).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<MockOptions>, MockOptionsValidator>();
// An unknown key (a typo such as Mock:Clock:Mod) stops start-up instead of being silently ignored.
builder.Services.AddSingleton<IValidateOptions<MockOptions>, UnknownKeysValidator>();
builder.Services.TryAddTimeProvider();
builder.Services.AddSingleton<MockClock>(services => new MockClock(
    services.GetRequiredService<IOptions<MockOptions>>(), services.GetRequiredService<TimeProvider>()));
builder.Services.AddSingleton<MockRandom>();
builder.Services.AddSingleton<MockStore>();
builder.Services.AddSingleton<RunScheduler>();
builder.Services.AddSingleton<StateGate>();
builder.Services.AddSingleton<LiveConfig>();
builder.Services.AddSingleton<ScenarioSelector>();
builder.Services.AddSingleton<ContentGenerator>();
builder.Services.AddSingleton<RunEngine>();
builder.Services.AddSingleton<ThreadFactory>();
builder.Services.AddSingleton<RequestJournal>();
builder.Services.AddSingleton<RequestIds>();
builder.Services.AddSingleton<MockSession>();
builder.Services.AddSingleton<FaultInjector>();
builder.Services.AddSingleton<LatencyPlanner>();
builder.Services.AddSingleton<RateLimiter>();
builder.Services.AddSingleton<StreamCounter>();
builder.Services.AddHostedService<SchedulerLoop>();
builder.Services.AddSingleton<StatePersistence>();
builder.Services.AddHostedService(services => services.GetRequiredService<StatePersistence>());
builder.Services.ConfigureHttpJsonOptions(json =>
{
    json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
    json.SerializerOptions.TypeInfoResolverChain.Insert(0, JsonContext.Default);
});
builder.Services.AddMockSwagger();
// A request still open after this (a client that stopped reading) is cut, so the shutdown save
// comes well inside a container's stop grace (docker stop: 10 s) instead of after the default 30 s;
// the host's own shutdownTimeoutSeconds setting still wins when given.
if (builder.Configuration["shutdownTimeoutSeconds"] is null)
{
    builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
}

var app = builder.Build();
var started = false;
try
{
    var mock = app.Services.GetRequiredService<IOptions<MockOptions>>().Value;
    if (app.Services.GetRequiredService<StatePersistence>().Load() is { } session)
    {
        app.Services.GetRequiredService<MockSession>().ContinueAfter(session);
    }

    // Outermost first: the journal sees every final status; latency, auth, injected faults and the
    // rate limiter each decide before any endpoint runs, so a refused request changes nothing.
    if (mock.Admin.Enabled && mock.Journal.Size > 0)
    {
        app.UseMiddleware<JournalMiddleware>();
    }
    app.UseMiddleware<OpenAIMiddleware>();
    app.UseMiddleware<LatencyMiddleware>();
    app.UseMiddleware<AuthMiddleware>();
    app.UseMiddleware<FaultMiddleware>();
    app.UseMiddleware<RateLimitMiddleware>();
    app.UseRouting();
    app.UseMiddleware<StateGateMiddleware>();
    // Before Swagger too: its unknown documents (/swagger/v2/swagger.json) are a bare 404 otherwise.
    app.UseStatusCodePages(InvalidUrl.WriteAsync);
    app.UseMockSwagger();

    // Outside the state gate: a probe must answer while a reset waits.
    app.MapGet("/healthz", HealthEndpoint.Get).WithTags("Health").WithName("getHealth").Produces<MockRunsServer.Wire.Control.HealthState>()
        .WithMetadata(new StateGateMiddleware.Outside());
    app.MapOpenAI("/v1");
    app.MapOpenAI("");
    if (mock.Admin.Enabled)
    {
        app.MapControl();
    }
    app.MapFallback(InvalidUrl.Handle).ExcludeFromDescription();

    // Run(), in its parts: a failure to start (options, state file, port) is told apart from one after.
    await app.StartAsync();
    started = true;
    await app.WaitForShutdownAsync();
    await app.DisposeAsync();
    return 0;
}
catch (OperationCanceledException) when (!started && app.Lifetime.ApplicationStopping.IsCancellationRequested)
{
    // Stopped (SIGTERM, Ctrl+C) while still starting: a requested stop, not a failure.
    return 0;
}
catch (Exception exception) when (!started && !app.Environment.IsEnvironment("Testing"))
{
    // A bad config value, an unreadable state file, a port in use: one line that says what to fix,
    // and exit code 2, instead of an unhandled exception's stack trace and an abort's 134.
    return StartupFailure.Report(exception);
}

public partial class Program;
