using System.Collections.Concurrent;
using GaitStream.Inference.Backends;
using GaitStream.Inference.Batching;
using GaitStream.Inference.Cards;
using GaitStream.Inference.Estimation;
using GaitStream.Inference.Registry;
using GaitStream.Server.Hosting;
using GaitStream.Server.Observability;
using Microsoft.Extensions.Options;

namespace GaitStream.Server.Models;

/// <summary>
/// The models this process serves: the registry's folder, the default model, and one <see cref="ModelRuntime"/> per
/// model in use (loaded and verified on first use; the default at start-up, so a broken default fails fast).
/// </summary>
public sealed partial class ModelCatalog : IAsyncDisposable
{
    /// <summary>File in the models folder naming the default model (one line).</summary>
    public const string DefaultFileName = "default.txt";

    private readonly GaitStreamServerOptions _options;
    private readonly ServerMetrics _metrics;
    private readonly ILogger<ModelCatalog> _logger;
    private readonly ConcurrentDictionary<string, Lazy<ModelRuntime>> _loaded = new(StringComparer.Ordinal);

    public ModelCatalog(IOptions<GaitStreamServerOptions> options, ServerMetrics metrics, ILogger<ModelCatalog> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        Directory = ResolveDirectory(_options.ModelsDirectory);
        Registry = new ModelRegistry(Directory);
        Cards = Registry.List();
        foreach (ModelProblem problem in Registry.Problems)
        {
            LogProblem(_logger, problem.File, problem.Message);
        }
        DefaultModelId = ResolveDefault();
        Default = Get(DefaultModelId);
        LogDefault(_logger, DefaultModelId, Directory, Default.Info.Backend);
    }

    public string Directory { get; }

    public ModelRegistry Registry { get; }

    /// <summary>Cards found at start-up (a model added later needs a restart).</summary>
    public IReadOnlyList<ModelCard> Cards { get; }

    public string DefaultModelId { get; }

    public ModelRuntime Default { get; }

    /// <summary>Whether <paramref name="id"/> is a model of the folder.</summary>
    public bool Contains(string id) => Cards.Any(c => c.Name == id);

    /// <summary>The runtime of model <paramref name="id"/>, loading it on first use (<see cref="ModelLoadException"/> if it cannot).</summary>
    public ModelRuntime Get(string id)
    {
        Lazy<ModelRuntime> lazy = _loaded.GetOrAdd(id, name => new Lazy<ModelRuntime>(() => Load(name), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch (ModelLoadException)
        {
            _loaded.TryRemove(new KeyValuePair<string, Lazy<ModelRuntime>>(id, lazy));
            throw;
        }
    }

    /// <summary>Runtimes loaded so far.</summary>
    public IEnumerable<ModelRuntime> Loaded => _loaded.Values.Where(l => l.IsValueCreated).Select(l => l.Value);

    public async ValueTask DisposeAsync()
    {
        foreach (ModelRuntime runtime in Loaded)
        {
            await runtime.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The configured folder, or the nearest <c>models/</c> holding a model card above the working folder and above
    /// the program (so <c>dotnet run --project src/GaitStream.Server</c> finds the repository's <c>models/</c>).
    /// </summary>
    internal static string ResolveDirectory(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!System.IO.Directory.Exists(configured))
            {
                throw new InvalidOperationException($"{GaitStreamServerOptions.Section}:ModelsDirectory '{Path.GetFullPath(configured)}' does not exist.");
            }
            return Path.GetFullPath(configured);
        }
        foreach (string start in new[] { System.IO.Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, ModelRegistryOptions.DefaultDirectory);
                if (System.IO.Directory.Exists(candidate) && System.IO.Directory.EnumerateFiles(candidate, "*" + ModelCard.CardExtension).Any())
                {
                    return candidate;
                }
            }
        }
        throw new InvalidOperationException(
            $"No models folder found: set {GaitStreamServerOptions.Section}:ModelsDirectory (e.g. --{GaitStreamServerOptions.Section}:ModelsDirectory=/path/to/models) " +
            "or run from the repository, whose models/ holds the shipped models.");
    }

    private string ResolveDefault()
    {
        if (Cards.Count == 0)
        {
            string problems = Registry.Problems.Count == 0 ? "" : " Problems: " + string.Join("; ", Registry.Problems.Select(p => $"{p.File}: {p.Message}"));
            throw new InvalidOperationException($"The models folder '{Directory}' holds no usable model (NAME.onnx with its card NAME.json).{problems}");
        }
        string? configured = _options.DefaultModel;
        string source = $"{GaitStreamServerOptions.Section}:DefaultModel";
        string defaultFile = Path.Combine(Directory, DefaultFileName);
        if (string.IsNullOrWhiteSpace(configured) && File.Exists(defaultFile))
        {
            configured = File.ReadAllText(defaultFile).Trim();
            source = defaultFile;
        }
        if (string.IsNullOrWhiteSpace(configured))
        {
            return Cards.OrderBy(c => c.Name, StringComparer.Ordinal).First().Name;
        }
        if (!Contains(configured))
        {
            throw new InvalidOperationException(
                $"{source} names model '{configured}', which is not in '{Directory}' (models: {string.Join(", ", Cards.Select(c => c.Name))}).");
        }
        return configured;
    }

    private ModelRuntime Load(string id)
    {
        RegisteredModel model = Registry.Load(id);
        InferenceOptions inference = _options.Inference;
        IInferenceBackend backend = InferenceBackends.Create(model, inference, _logger);
        var estimator = new Estimator(backend, model.Card);
        var engine = new BatchingEngine(estimator, _options.Batching, new EngineObserver(_metrics, id));
        return new ModelRuntime(model.Card, backend, engine);
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Model folder problem, skipped: {File}: {Problem}")]
    private static partial void LogProblem(ILogger logger, string file, string problem);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Default model {Model} from {Directory} on {Backend}")]
    private static partial void LogDefault(ILogger logger, string model, string directory, string backend);

    private sealed class EngineObserver(ServerMetrics metrics, string model) : IBatchObserver
    {
        private readonly Prometheus.Histogram.Child _batch = metrics.BatchSize.WithLabels(model);
        private readonly Prometheus.Histogram.Child _inference = metrics.InferenceSeconds.WithLabels(model);
        private readonly Prometheus.Gauge.Child _queue = metrics.QueueDepth.WithLabels(model);

        public void OnBatch(int batchSize, double inferenceSeconds, int queueDepth)
        {
            _batch.Observe(batchSize);
            _inference.Observe(inferenceSeconds);
            _queue.Set(queueDepth);
        }
    }
}
