using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using GaitStream.Protocol.V1;
using GaitStream.Server.Sessions;

namespace GaitStream.Server.Dashboard;

/// <summary>
/// The live view (HTTP/1.1 port): the page at <c>/</c> with its assets under <c>/dashboard/</c>, the live sessions as
/// JSON at <c>/api/sessions</c>, and one session's estimates as server-sent events at
/// <c>/api/sessions/{id}/events</c>, fed by <see cref="SessionHub.Subscribe"/> (the same lossy feed as gRPC
/// <c>Watch</c>, so a slow browser never slows a device) with a <c>sessions</c> event every second.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>How often an event stream repeats the session list; it doubles as the stream's heartbeat.</summary>
    public static readonly TimeSpan SessionsPeriod = TimeSpan.FromSeconds(1);

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var assets = new DashboardAssets();
        app.MapGet("/", (HttpContext context) => assets.Serve(context, "index.html")).ExcludeFromDescription();
        app.MapGet("/dashboard/{file}", (HttpContext context, string file) => assets.Serve(context, file)).ExcludeFromDescription();
        app.MapGet("/api/sessions", (SessionHub hub) =>
            TypedResults.Text(JsonSerializer.Serialize(Snapshot(hub), DashboardJsonContext.Default.SessionsSnapshot), "application/json; charset=utf-8"));
        app.MapGet("/api/sessions/{id}/events", (SessionHub hub, string id, HttpContext context) =>
        {
            if (!hub.TryGet(id, out _))
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such live session",
                    detail: $"No live session '{id}'; /api/sessions lists the live ones.");
            }
            context.Response.Headers["X-Accel-Buffering"] = "no"; // keep reverse proxies from buffering the stream
            return TypedResults.ServerSentEvents(StreamAsync(hub, id, SessionsPeriod, context.RequestAborted));
        });
        return app;
    }

    /// <summary>
    /// One browser's event stream: the session list and the session first, then the hub's events for the session as
    /// they come, and the session list every <paramref name="sessionsPeriod"/>. It outlives the session (a replay may
    /// open the same id again); the browser decides when to leave.
    /// </summary>
    public static async IAsyncEnumerable<SseItem<string>> StreamAsync(SessionHub hub, string sessionId, TimeSpan sessionsPeriod,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hub);
        using WatchSubscription subscription = hub.Subscribe(sessionId);
        yield return DashboardEvents.SessionsEvent(Snapshot(hub));
        if (hub.TryGet(sessionId, out StreamSession? session))
        {
            yield return DashboardEvents.SessionEvent(session!.ToInfo());
        }
        Task<bool>? readable = null;
        Task tick = Task.Delay(sessionsPeriod, cancellationToken);
        long lastSnapshot = Stopwatch.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            while (subscription.Events.TryRead(out WatchEvent? e))
            {
                if (DashboardEvents.From(e, subscription.Dropped) is { } item)
                {
                    yield return item;
                }
            }
            if (Stopwatch.GetElapsedTime(lastSnapshot) >= sessionsPeriod)
            {
                lastSnapshot = Stopwatch.GetTimestamp();
                yield return DashboardEvents.SessionsEvent(Snapshot(hub));
            }
            readable ??= subscription.Events.WaitToReadAsync(cancellationToken).AsTask();
            if (tick.IsCompleted)
            {
                tick = Task.Delay(sessionsPeriod, cancellationToken);
            }
            Task done = await Task.WhenAny(readable, tick).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
            if (done == readable)
            {
                if (!await readable.ConfigureAwait(false))
                {
                    yield break; // the hub completed the subscription
                }
                readable = null;
            }
        }
    }

    private static SessionsSnapshot Snapshot(SessionHub hub) => DashboardEvents.Snapshot(hub.Sessions.Select(s => s.ToInfo()), DateTimeOffset.UtcNow);
}
