using GaitStream.Inference.Backends;
using GaitStream.Inference.Cards;

namespace GaitStream.Inference.Estimation;

/// <summary>
/// Raw angle windows (degrees) in, physical estimates out: z-scores the angles with the card's input statistics,
/// runs the backend, and de-standardises with the output statistics to per-kg units (moments N·m/kg, forces N/kg),
/// optionally × body mass (N·m, N). Standardisation is done in double, as in training.
/// </summary>
/// <remarks>Thread-safe (calls share one pinned scratch buffer under a lock); one per worker for parallelism.</remarks>
public sealed class Estimator
{
    private readonly IInferenceBackend _backend;
    private readonly double[] _inMeans;
    private readonly double[] _inScales;
    private readonly double[] _outMeans;
    private readonly double[] _outScales;
    private readonly float[] _scratch;
    private readonly Lock _gate = new();

    public Estimator(IInferenceBackend backend, ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(card);
        if (backend.InputChannels != card.Inputs.Count || backend.OutputChannels != card.Outputs.Count || backend.WindowFrames != card.WindowFrames)
        {
            throw new ArgumentException(
                $"The backend runs [{backend.WindowFrames} × {backend.InputChannels}] → {backend.OutputChannels} but card '{card.Name}' describes [{card.WindowFrames} × {card.Inputs.Count}] → {card.Outputs.Count}.",
                nameof(backend));
        }
        _backend = backend;
        Card = card;
        _inMeans = [.. card.InputStatistics.Means];
        _inScales = [.. card.InputStatistics.Scales];
        _outMeans = [.. card.OutputStatistics.Means];
        _outScales = [.. card.OutputStatistics.Scales];
        _scratch = GC.AllocateArray<float>(backend.MaxBatchSize * backend.WindowFrames * backend.InputChannels, pinned: true);
    }

    public ModelCard Card { get; }

    /// <summary>Largest batch one call accepts (the backend's).</summary>
    public int MaxBatchSize => _backend.MaxBatchSize;

    /// <summary>Backend and device in use, e.g. <c>onnxruntime/CPUExecutionProvider</c>.</summary>
    public string BackendDescription => _backend.Description;

    /// <summary>Values per window: <see cref="ModelCard.WindowFrames"/> × input channels.</summary>
    public int WindowLength => Card.WindowFrames * Card.Inputs.Count;

    /// <summary>
    /// <paramref name="anglesDeg"/> [batch, L, inputs] in degrees → <paramref name="estimatesPerKg"/> [batch, outputs]
    /// in N·m/kg and N/kg (channel order of <see cref="ModelCard.Outputs"/>).
    /// </summary>
    public void EstimatePerKg(ReadOnlySpan<float> anglesDeg, int batchSize, Span<float> estimatesPerKg) =>
        Estimate(anglesDeg, batchSize, 1.0, estimatesPerKg);

    /// <summary>As <see cref="EstimatePerKg"/>, times <paramref name="bodyMassKg"/>: N·m and N.</summary>
    public void Estimate(ReadOnlySpan<float> anglesDeg, int batchSize, double bodyMassKg, Span<float> estimates)
    {
        if (!(bodyMassKg > 0) || double.IsInfinity(bodyMassKg))
        {
            throw new ArgumentOutOfRangeException(nameof(bodyMassKg), bodyMassKg, "Body mass must be a positive number of kilograms.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, _backend.MaxBatchSize);
        if (anglesDeg.Length != batchSize * WindowLength)
        {
            throw new ArgumentException($"anglesDeg holds {anglesDeg.Length} values; {batchSize} windows of {Card.WindowFrames} frames × {Card.Inputs.Count} angles is {batchSize * WindowLength}.", nameof(anglesDeg));
        }
        int k = _outMeans.Length;
        if (estimates.Length != batchSize * k)
        {
            throw new ArgumentException($"estimates holds {estimates.Length} values; {batchSize} windows × {k} outputs is {batchSize * k}.", nameof(estimates));
        }
        lock (_gate)
        {
            Span<float> z = _scratch.AsSpan(0, anglesDeg.Length);
            int c = _inMeans.Length;
            for (int i = 0; i < z.Length; i += c)
            {
                for (int j = 0; j < c; j++)
                {
                    z[i + j] = (float)((anglesDeg[i + j] - _inMeans[j]) / _inScales[j]);
                }
            }
            _backend.Run(z, batchSize, estimates);
        }
        for (int i = 0; i < estimates.Length; i += k)
        {
            for (int j = 0; j < k; j++)
            {
                estimates[i + j] = (float)(((estimates[i + j] * _outScales[j]) + _outMeans[j]) * bodyMassKg);
            }
        }
    }
}
