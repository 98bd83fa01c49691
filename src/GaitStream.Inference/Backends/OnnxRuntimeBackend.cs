using GaitStream.Inference.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace GaitStream.Inference.Backends;

/// <summary>
/// <see cref="IInferenceBackend"/> on an in-process ONNX Runtime session. The input [max batch, L, C] and output
/// [max batch, K] buffers are pinned once; for each batch size an <see cref="OrtIoBinding"/> over
/// <see cref="OrtValue"/>s created on those buffers is built on first use and reused, so a steady-state call copies
/// the windows in, runs, and copies the estimates out without managed allocations.
/// </summary>
/// <remarks>
/// Thread-safe: calls are serialised by a lock because they share the buffers. For parallel inference create one
/// backend per worker (the session's own thread pool already parallelises each batch).
/// </remarks>
public sealed partial class OnnxRuntimeBackend : IInferenceBackend
{
    public const string CudaProvider = "CUDAExecutionProvider";
    public const string CpuProvider = "CPUExecutionProvider";

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly Binding?[] _bindings;
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>Creates a session for <paramref name="onnxModel"/> (input <c>angles</c>, output <c>estimates</c>).</summary>
    public OnnxRuntimeBackend(ReadOnlyMemory<byte> onnxModel, int inputChannels, int outputChannels, int windowFrames, InferenceOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(inputChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowFrames, 1);
        InputChannels = inputChannels;
        OutputChannels = outputChannels;
        WindowFrames = windowFrames;
        MaxBatchSize = options.MaxBatchSize;
        (_session, ExecutionProvider) = CreateSession(onnxModel.ToArray(), options, logger ?? NullLogger.Instance);
        _input = GC.AllocateArray<float>(checked(MaxBatchSize * windowFrames * inputChannels), pinned: true);
        _output = GC.AllocateArray<float>(checked(MaxBatchSize * outputChannels), pinned: true);
        _bindings = new Binding?[MaxBatchSize + 1];
    }

    /// <summary>A backend for a verified registry model.</summary>
    public static OnnxRuntimeBackend Create(RegisteredModel model, InferenceOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new OnnxRuntimeBackend(model.OnnxModel, model.Card.Inputs.Count, model.Card.Outputs.Count, model.Card.WindowFrames, options, logger);
    }

    /// <summary>The provider the session runs on: <see cref="CudaProvider"/> or <see cref="CpuProvider"/>.</summary>
    public string ExecutionProvider { get; }

    public string Description => $"onnxruntime/{ExecutionProvider}";

    public int InputChannels { get; }

    public int OutputChannels { get; }

    public int WindowFrames { get; }

    public int MaxBatchSize { get; }

    /// <summary>Whether this ONNX Runtime build has the CUDA execution provider (the CPU package never does).</summary>
    public static bool CudaBuildAvailable => OrtEnv.Instance().GetAvailableProviders().Contains(CudaProvider);

    public void Run(ReadOnlySpan<float> windows, int batchSize, Span<float> estimates)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        int inLength = batchSize * WindowFrames * InputChannels;
        int outLength = batchSize * OutputChannels;
        if (windows.Length != inLength)
        {
            throw new ArgumentException($"windows holds {windows.Length} values; a batch of {batchSize} × {WindowFrames} frames × {InputChannels} channels is {inLength}.", nameof(windows));
        }
        if (estimates.Length != outLength)
        {
            throw new ArgumentException($"estimates holds {estimates.Length} values; a batch of {batchSize} × {OutputChannels} outputs is {outLength}.", nameof(estimates));
        }
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Binding binding = _bindings[batchSize] ??= new Binding(this, batchSize);
            windows.CopyTo(_input);
            _session.RunWithBinding(_runOptions, binding.Io);
            _output.AsSpan(0, outLength).CopyTo(estimates);
        }
    }

    public ValueTask RunAsync(ReadOnlyMemory<float> windows, int batchSize, Memory<float> estimates, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Run(windows.Span, batchSize, estimates.Span);
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (Binding? binding in _bindings)
            {
                binding?.Dispose();
            }
            _runOptions.Dispose();
            _session.Dispose();
        }
    }

    /// <summary>Session options from <paramref name="options"/>, without an execution provider (CPU).</summary>
    internal static SessionOptions BaseSessionOptions(InferenceOptions options) => new()
    {
        GraphOptimizationLevel = options.GraphOptimization switch
        {
            GraphOptimization.Disabled => GraphOptimizationLevel.ORT_DISABLE_ALL,
            GraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
            GraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
            _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
        },
        IntraOpNumThreads = options.IntraOpThreads,
        InterOpNumThreads = options.InterOpThreads,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
    };

    private static (InferenceSession Session, string Provider) CreateSession(byte[] model, InferenceOptions options, ILogger logger)
    {
        if (options.ExecutionProvider != Backends.ExecutionProvider.Cpu)
        {
            try
            {
                return (CreateCudaSession(model, options), CudaProvider);
            }
            catch (InvalidOperationException e) when (options.ExecutionProvider == Backends.ExecutionProvider.Auto)
            {
                LogCudaFallback(logger, e.Message);
            }
        }
        using SessionOptions cpu = BaseSessionOptions(options);
        return (new InferenceSession(model, cpu), CpuProvider);
    }

    private static InferenceSession CreateCudaSession(byte[] model, InferenceOptions options)
    {
        if (!CudaBuildAvailable)
        {
            throw new InvalidOperationException(
                $"ExecutionProvider 'cuda' is not available: this ONNX Runtime build has only [{string.Join(", ", OrtEnv.Instance().GetAvailableProviders())}]. " +
                "Build with -p:GaitStreamOnnxGpu=true (package Microsoft.ML.OnnxRuntime.Gpu.Linux, which this project's NuGet mirror lacks) on a machine with CUDA, or use 'cpu' or 'auto'.");
        }
        using SessionOptions cuda = BaseSessionOptions(options);
        try
        {
            cuda.AppendExecutionProvider_CUDA(options.CudaDeviceId);
            return new InferenceSession(model, cuda);
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            throw new InvalidOperationException(
                $"ExecutionProvider 'cuda' failed on device {options.CudaDeviceId}: {e.Message} (is the CUDA driver, CUDA 12 and cuDNN 9 installed?).", e);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "CUDA is not available, running ONNX Runtime on the CPU: {Reason}")]
    private static partial void LogCudaFallback(ILogger logger, string reason);

    /// <summary>OrtValues over the leading batchSize rows of the pinned buffers, bound once.</summary>
    private sealed class Binding : IDisposable
    {
        private readonly OrtValue _in;
        private readonly OrtValue _out;

        public Binding(OnnxRuntimeBackend owner, int batchSize)
        {
            var memory = OrtMemoryInfo.DefaultInstance;
            _in = OrtValue.CreateTensorValueFromMemory(memory, owner._input.AsMemory(0, batchSize * owner.WindowFrames * owner.InputChannels),
                [batchSize, owner.WindowFrames, owner.InputChannels]);
            _out = OrtValue.CreateTensorValueFromMemory(memory, owner._output.AsMemory(0, batchSize * owner.OutputChannels), [batchSize, owner.OutputChannels]);
            Io = owner._session.CreateIoBinding();
            Io.BindInput(ModelRegistry.InputName, _in);
            Io.BindOutput(ModelRegistry.OutputName, _out);
        }

        public OrtIoBinding Io { get; }

        public void Dispose()
        {
            Io.Dispose();
            _in.Dispose();
            _out.Dispose();
        }
    }
}
