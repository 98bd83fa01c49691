using System.Collections.Concurrent;
using System.Globalization;
using GaitStream.Protocol.V1;
using GaitStream.Server.Hosting;
using GaitStream.Server.Models;
using GaitStream.Server.Observability;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace GaitStream.Server.Sessions;

/// <summary>
/// The live sessions of this process: opens them (validating the open message against the model and the limits),
/// lists them, ends them, and fans their estimates out to observers (gRPC <c>Watch</c>, the dashboard).
/// </summary>
public sealed partial class SessionHub
{
    private readonly ConcurrentDictionary<string, StreamSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<WatchSubscription, byte> _watchers = new();
    private readonly GaitStreamServerOptions _options;
    private readonly ModelCatalog _models;
    private readonly ILogger<SessionHub> _logger;
    private readonly Lock _openGate = new();

    public SessionHub(IOptions<GaitStreamServerOptions> options, ModelCatalog models, ServerMetrics metrics, ILogger<SessionHub> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        _options = options.Value;
        _models = models;
        Metrics = metrics;
        _logger = logger;
        metrics.Registry.AddBeforeCollectCallback(() => metrics.InFlight.Set(_sessions.Values.Sum(s => s.InFlight)));
    }

    internal ServerMetrics Metrics { get; }

    public bool HasWatchers => !_watchers.IsEmpty;

    public IReadOnlyCollection<StreamSession> Sessions => [.. _sessions.Values];

    public bool TryGet(string sessionId, out StreamSession? session) => _sessions.TryGetValue(sessionId, out session);

    /// <summary>
    /// Opens a session or throws <see cref="SessionRejectedException"/> with the status and a sentence: INVALID_ARGUMENT
    /// for a bad field, NOT_FOUND for an unknown model, ALREADY_EXISTS for a live session id, RESOURCE_EXHAUSTED at
    /// the session limit.
    /// </summary>
    public StreamSession Open(SessionOpen open, string transport)
    {
        ArgumentNullException.ThrowIfNull(open);
        ValidateId(open.SessionId);
        if (!(open.BodyMassKg >= 1 && open.BodyMassKg <= 500))
        {
            throw new SessionRejectedException(StatusCode.InvalidArgument, $"body_mass_kg must be 1–500 kg; got {Num(open.BodyMassKg)}.");
        }
        if (!(open.SampleRateHz >= 60 && open.SampleRateHz <= 240))
        {
            throw new SessionRejectedException(StatusCode.InvalidArgument, $"sample_rate_hz must be 60–240 Hz; got {Num(open.SampleRateHz)}.");
        }
        string modelId = string.IsNullOrEmpty(open.ModelId) ? _models.DefaultModelId : open.ModelId;
        if (!_models.Contains(modelId))
        {
            throw new SessionRejectedException(StatusCode.NotFound,
                $"Model '{modelId}' is not served here; ListModels lists: {string.Join(", ", _models.Cards.Select(c => c.Name))}.");
        }
        ModelRuntime model;
        try
        {
            model = _models.Get(modelId);
        }
        catch (Inference.Registry.ModelLoadException e)
        {
            throw new SessionRejectedException(StatusCode.FailedPrecondition, $"Model '{modelId}' cannot be loaded: {e.Message}");
        }
        int hop = open.HopFrames == 0 ? _options.Limits.DefaultHopFrames : (int)Math.Min(open.HopFrames, int.MaxValue);
        if (hop > 1000)
        {
            throw new SessionRejectedException(StatusCode.InvalidArgument, $"hop_frames must be 0 (server default) or 1–1000; got {open.HopFrames}.");
        }
        (int[] map, List<string> ignored) = MapChannels(open, model);

        var session = new StreamSession(open, transport, model, hop, map, _options, Metrics, this);
        var warnings = new List<Warning>();
        if (Math.Abs(open.SampleRateHz - model.Card.SampleRateHz) > 1e-9)
        {
            warnings.Add(new Warning
            {
                Code = WarningCode.Resampling,
                Message = $"The device sends {Num(open.SampleRateHz)} Hz and model '{model.Id}' runs at {Num(model.Card.SampleRateHz)} Hz: windows are resampled online (linear interpolation at model-rate instants ending on each frame).",
            });
        }
        if (ignored.Count > 0)
        {
            warnings.Add(new Warning
            {
                Code = WarningCode.IgnoredChannels,
                Message = $"Model '{model.Id}' does not use channel(s) {string.Join(", ", ignored)}; they are validated for count and finiteness only.",
                Count = (ulong)ignored.Count,
            });
        }
        session.QueueOpenWarnings(warnings);
        lock (_openGate)
        {
            if (_sessions.ContainsKey(open.SessionId))
            {
                throw new SessionRejectedException(StatusCode.AlreadyExists, $"Session '{open.SessionId}' is already streaming; session ids must be unique among live sessions.");
            }
            if (_sessions.Count >= _options.Limits.MaxSessions)
            {
                throw new SessionRejectedException(StatusCode.ResourceExhausted,
                    $"The server is at its limit of {_options.Limits.MaxSessions} sessions ({GaitStreamServerOptions.Section}:Limits:MaxSessions); try again when one ends.");
            }
            _sessions[open.SessionId] = session;
        }
        Metrics.SessionsActive.WithLabels(transport).Inc();
        LogOpened(_logger, session.Id, transport, model.Id, open.SampleRateHz, open.BodyMassKg, hop);
        Publish(session.Id, new WatchEvent { SessionStarted = session.ToInfo() });
        return session;
    }

    /// <summary>Removes an ended session and tells observers how it ended.</summary>
    public void Close(StreamSession session, StatusCode status, string detail)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!_sessions.TryRemove(new KeyValuePair<string, StreamSession>(session.Id, session)))
        {
            return;
        }
        session.Abort();
        Metrics.SessionsActive.WithLabels(session.Transport).Dec();
        Metrics.SessionsTotal.WithLabels(session.Transport, status.ToString()).Inc();
        LogClosed(_logger, session.Id, status, session.FramesReceived, session.FramesRejected, session.EstimatesSent, detail);
        Publish(session.Id, new WatchEvent { SessionEnded = new SessionEnded { SessionId = session.Id, Status = StatusName(status), Detail = detail } });
    }

    /// <summary>Follows one session (or all when <paramref name="sessionId"/> is null or empty); dispose to stop.</summary>
    public WatchSubscription Subscribe(string? sessionId, int capacity = 4096)
    {
        var subscription = new WatchSubscription(this, string.IsNullOrEmpty(sessionId) ? null : sessionId, capacity);
        _watchers[subscription] = 0;
        Metrics.WatchersActive.Inc();
        return subscription;
    }

    internal void Unsubscribe(WatchSubscription subscription)
    {
        if (_watchers.TryRemove(subscription, out _))
        {
            Metrics.WatchersActive.Dec();
        }
    }

    internal void Publish(string sessionId, WatchEvent e)
    {
        foreach (WatchSubscription watcher in _watchers.Keys)
        {
            if (watcher.SessionId is null || watcher.SessionId == sessionId)
            {
                watcher.Post(e);
            }
        }
    }

    internal static string StatusName(StatusCode status) => status switch
    {
        StatusCode.OK => "OK",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        _ => status.ToString().ToUpperInvariant(),
    };

    private static void ValidateId(string id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 128 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-'))
        {
            throw new SessionRejectedException(StatusCode.InvalidArgument,
                $"session_id must be 1–128 characters of A–Z, a–z, 0–9, '.', '_', ':' or '-'; got '{id}'.");
        }
    }

    private static (int[] Map, List<string> Ignored) MapChannels(SessionOpen open, ModelRuntime model)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < open.Channels.Count; i++)
        {
            if (!index.TryAdd(open.Channels[i], i))
            {
                throw new SessionRejectedException(StatusCode.InvalidArgument, $"Channel '{open.Channels[i]}' appears twice in 'channels'.");
            }
        }
        var inputs = model.Card.Inputs.Select(c => c.Name).ToList();
        var missing = inputs.Where(n => !index.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            throw new SessionRejectedException(StatusCode.InvalidArgument,
                $"'channels' lacks {string.Join(", ", missing)}, which model '{model.Id}' needs (its inputs, in degrees: {string.Join(", ", inputs)}).");
        }
        int[] map = [.. inputs.Select(n => index[n])];
        var ignored = open.Channels.Where(c => !inputs.Contains(c)).ToList();
        return (map, ignored);
    }

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Session {Session} opened over {Transport}: model {Model}, {RateHz} Hz, {MassKg} kg, hop {Hop}")]
    private static partial void LogOpened(ILogger logger, string session, string transport, string model, double rateHz, double massKg, int hop);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Session {Session} ended {Status}: {Frames} frames ({Rejected} rejected), {Estimates} estimates. {Detail}")]
    private static partial void LogClosed(ILogger logger, string session, StatusCode status, long frames, long rejected, long estimates, string detail);
}
