using System.Buffers;
using System.Collections.ObjectModel;
using System.Numerics;

namespace GaitStream.Core.Preprocessing;

/// <summary>
/// Digital Butterworth low-pass filter: owns its design (analog prototype, bilinear transform with
/// pre-warping, cascaded second-order sections) and zero-lag forward–backward filtering.
/// </summary>
/// <remarks>
/// <para><b>Order and cutoff definition.</b> <see cref="Order"/> and <see cref="CutoffHz"/> describe ONE pass, exactly as
/// <c>scipy.signal.butter(order, cutoffHz, fs=sampleRateHz)</c> (same transfer function): a single pass is −3 dB at
/// <see cref="CutoffHz"/>. <see cref="FiltFilt(ReadOnlySpan{double})"/> runs the filter forward and backward, which
/// cancels the phase but squares the magnitude: the zero-lag response is |H|², −6 dB at <see cref="CutoffHz"/>, rolls
/// off like an order-2N filter, and is −3 dB at the lower <see cref="ZeroLagCutoffHz"/>. We keep scipy's definition
/// so a Python pipeline and ours mean the same thing by the same arguments. What biomechanics papers call a
/// "4th-order zero-lag Butterworth" is usually <c>order: 2</c> here, run forward and backward.</para>
/// <para>When a protocol states the cutoff of the zero-lag result (Winter's convention: "6 Hz, zero lag"), use
/// <see cref="ForZeroLagCutoff"/>, which raises the design cutoff so FiltFilt is −3 dB at the stated frequency.
/// Winter's factor 0.802 is the N = 2 case of the correction used there, (√2 − 1)^(1/2N), applied in the
/// pre-warped domain so it is exact for the digital filter.</para>
/// <para>Odd orders (OpenSim's inverse dynamics filters coordinates with a 3rd-order pass) add one first-order section
/// from the real analog pole, stored as a <see cref="SecondOrderSection"/> with B2 = A2 = 0, so the cascade, its
/// steady-state initial conditions and <see cref="Magnitude"/> need no special case.</para>
/// <para>Edges are padded longer than scipy's default (see <see cref="PadLength"/>); pass
/// <see cref="ScipyPadLength"/> to <see cref="FiltFilt(ReadOnlySpan{double}, Span{double}, int)"/> for scipy's output.</para>
/// </remarks>
public sealed class ButterworthLowPass
{
    /// <summary>Default design order of one pass (FiltFilt then behaves like an 8th-order, zero-phase filter).</summary>
    public const int DefaultOrder = 4;

    private const int MaxOrder = 20;

    private readonly SecondOrderSection[] _sections;

    // Per section, the internal state (z1, z2) of a transposed direct-form II biquad in steady state for a unit
    // step at the cascade input (scipy's sosfilt_zi). Scaled by the first sample it removes the start-up transient.
    private readonly double[] _unitStepState;

    /// <summary>Designs a Butterworth low-pass whose single pass is −3 dB at <paramref name="cutoffHz"/>.</summary>
    /// <param name="cutoffHz">Single-pass −3 dB frequency, 0 &lt; cutoff &lt; sampleRateHz / 2.</param>
    /// <param name="sampleRateHz">Sample rate of the signals to be filtered.</param>
    /// <param name="order">Design order of one pass, 1 to 20 (odd orders end in a first-order section).</param>
    public ButterworthLowPass(double cutoffHz, double sampleRateHz, int order = DefaultOrder)
    {
        ValidateDesign(cutoffHz, sampleRateHz, order, nameof(cutoffHz));

        Order = order;
        CutoffHz = cutoffHz;
        SampleRateHz = sampleRateHz;
        _sections = Design(cutoffHz, sampleRateHz, order);
        _unitStepState = SteadyStateForUnitStep(_sections);
        PadLength = Math.Max(ScipyPadLength, SettlingSamples(_sections));

        // Bilinear Butterworth: |H|² = 1 / (1 + (Ω/Ωc)^2N) with Ω = tan(πf/fs); solve |H|⁴ = 1/2.
        double omegaCutoff = Math.Tan(Math.PI * cutoffHz / sampleRateHz);
        ZeroLagCutoffHz = sampleRateHz / Math.PI * Math.Atan(omegaCutoff * ZeroLagCorrection(order));
    }

    /// <summary>Design order of one pass.</summary>
    public int Order { get; }

    /// <summary>Single-pass −3 dB frequency, Hz.</summary>
    public double CutoffHz { get; }

    /// <summary>Sample rate the filter was designed for, Hz.</summary>
    public double SampleRateHz { get; }

    /// <summary>Frequency at which the zero-lag (<see cref="FiltFilt(ReadOnlySpan{double})"/>) response is −3 dB, Hz.</summary>
    public double ZeroLagCutoffHz { get; }

    /// <summary>
    /// The cascade, lowest-Q section first (each section has unit gain at 0 Hz); for an odd order the first is the
    /// first-order section (B2 = A2 = 0).
    /// </summary>
    public IReadOnlyList<SecondOrderSection> Sections => new ReadOnlyCollection<SecondOrderSection>(_sections);

    /// <summary>
    /// Samples of odd reflection added at each end by <see cref="FiltFilt(ReadOnlySpan{double})"/> (capped at
    /// length − 1 for short signals): long enough for the slowest pole to decay by 10⁻⁶, and never shorter than scipy's
    /// default, 3 × (2 × sections + 1). See <see cref="FiltFilt(ReadOnlySpan{double}, Span{double}, int)"/> for why.
    /// </summary>
    public int PadLength { get; }

    /// <summary>scipy.signal.sosfiltfilt's default pad length for this cascade, 3 × (2 × sections + 1).</summary>
    public int ScipyPadLength => 3 * (2 * _sections.Length + 1);

    /// <summary>
    /// Designs the filter so that its zero-lag (forward–backward) response is −3 dB at <paramref name="zeroLagCutoffHz"/>
    /// (Winter's cutoff correction generalised to any order).
    /// </summary>
    public static ButterworthLowPass ForZeroLagCutoff(double zeroLagCutoffHz, double sampleRateHz, int order = DefaultOrder)
    {
        ValidateDesign(zeroLagCutoffHz, sampleRateHz, order, nameof(zeroLagCutoffHz));

        double omegaWanted = Math.Tan(Math.PI * zeroLagCutoffHz / sampleRateHz);
        double designCutoffHz = sampleRateHz / Math.PI * Math.Atan(omegaWanted / ZeroLagCorrection(order));
        return new ButterworthLowPass(designCutoffHz, sampleRateHz, order);
    }

    /// <summary>Single-pass magnitude |H(e^jω)| at <paramref name="frequencyHz"/>, computed from the sections.</summary>
    public double Magnitude(double frequencyHz)
    {
        Complex zInverse = Complex.FromPolarCoordinates(1.0, -2.0 * Math.PI * frequencyHz / SampleRateHz);
        Complex zInverse2 = zInverse * zInverse;
        Complex response = Complex.One;
        foreach (SecondOrderSection s in _sections)
        {
            response *= (s.B0 + s.B1 * zInverse + s.B2 * zInverse2) / (1.0 + s.A1 * zInverse + s.A2 * zInverse2);
        }
        return response.Magnitude;
    }

    /// <summary>Magnitude of the zero-lag response, |H|², at <paramref name="frequencyHz"/>.</summary>
    public double ZeroLagMagnitude(double frequencyHz)
    {
        double m = Magnitude(frequencyHz);
        return m * m;
    }

    /// <summary>Zero-lag forward–backward filtering (scipy <c>sosfiltfilt</c>, padtype 'odd'); returns a new array.</summary>
    public double[] FiltFilt(ReadOnlySpan<double> signal)
    {
        var result = new double[signal.Length];
        FiltFilt(signal, result);
        return result;
    }

    /// <summary>
    /// Zero-lag forward–backward filtering into <paramref name="destination"/>, which may be the same memory as
    /// <paramref name="signal"/>, with <see cref="PadLength"/> samples of odd reflection at each end.
    /// </summary>
    public void FiltFilt(ReadOnlySpan<double> signal, Span<double> destination) => FiltFilt(signal, destination, PadLength);

    /// <summary>
    /// Zero-lag forward–backward filtering with an explicit pad length (capped at length − 1); pass
    /// <see cref="ScipyPadLength"/> to reproduce <c>scipy.signal.sosfiltfilt(sos, x)</c>.
    /// </summary>
    /// <remarks>
    /// The signal is extended at both ends by odd reflection (2·x₀ − x[k]), which continues its value and slope, and
    /// each pass starts from the filter's steady state for its first sample (scipy's sosfilt_zi), so a constant passes
    /// unchanged. Those initial conditions are exact only for a constant: a signal that starts with a slope still starts
    /// a transient, which must die out inside the pad. scipy's short default pad (15 samples for order 4) leaves it
    /// visible: a ramp of 3 units/s comes back 6e-3 off at the last frame (6 Hz, 100 Hz), a 0.5 Hz, ±5 sine 3e-2 off.
    /// Padding until the slowest pole has decayed by 10⁻⁶ (98 samples there) brings the ramp to 4e-8 and the sine to
    /// 6e-3; what is left is the odd reflection's own error, the flip of curvature at the end being smoothed.
    /// </remarks>
    public void FiltFilt(ReadOnlySpan<double> signal, Span<double> destination, int padLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(padLength);
        int n = signal.Length;
        if (destination.Length != n)
        {
            throw new ArgumentException($"Destination holds {destination.Length} samples; the signal has {n}.", nameof(destination));
        }
        if (n == 0)
        {
            return;
        }
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(signal[i]))
            {
                throw new ArgumentException($"Signal sample {i} is {signal[i]}; filtering needs finite values.", nameof(signal));
            }
        }

        int pad = Math.Min(padLength, n - 1);
        int length = n + 2 * pad;
        double[] rented = ArrayPool<double>.Shared.Rent(length);
        try
        {
            Span<double> work = rented.AsSpan(0, length);
            double first = signal[0];
            double last = signal[n - 1];
            for (int j = 0; j < pad; j++)
            {
                work[j] = 2.0 * first - signal[pad - j];
                work[pad + n + j] = 2.0 * last - signal[n - 2 - j];
            }
            signal.CopyTo(work.Slice(pad, n));

            RunCascade(work, forward: true);
            RunCascade(work, forward: false);

            work.Slice(pad, n).CopyTo(destination);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    // One pass of the cascade over the whole buffer, in place, section by section (each section sweeps the
    // buffer once, which keeps the loop tight). Backward runs the same recursion from the end.
    private void RunCascade(Span<double> work, bool forward)
    {
        double x0 = forward ? work[0] : work[^1];
        for (int s = 0; s < _sections.Length; s++)
        {
            SecondOrderSection c = _sections[s];
            double z1 = _unitStepState[2 * s] * x0;
            double z2 = _unitStepState[2 * s + 1] * x0;
            if (forward)
            {
                for (int i = 0; i < work.Length; i++)
                {
                    double x = work[i];
                    double y = c.B0 * x + z1;
                    z1 = c.B1 * x - c.A1 * y + z2;
                    z2 = c.B2 * x - c.A2 * y;
                    work[i] = y;
                }
            }
            else
            {
                for (int i = work.Length - 1; i >= 0; i--)
                {
                    double x = work[i];
                    double y = c.B0 * x + z1;
                    z1 = c.B1 * x - c.A1 * y + z2;
                    z2 = c.B2 * x - c.A2 * y;
                    work[i] = y;
                }
            }
        }
    }

    private static void ValidateDesign(double cutoffHz, double sampleRateHz, int order, string cutoffParameterName)
    {
        if (!double.IsFinite(sampleRateHz) || sampleRateHz <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRateHz), sampleRateHz, "Sample rate must be a positive, finite number of Hz.");
        }
        if (!double.IsFinite(cutoffHz) || cutoffHz <= 0 || cutoffHz >= sampleRateHz / 2)
        {
            throw new ArgumentOutOfRangeException(cutoffParameterName, cutoffHz,
                $"Cutoff must lie strictly between 0 Hz and the Nyquist frequency ({sampleRateHz / 2} Hz at {sampleRateHz} Hz).");
        }
        if (order < 1 || order > MaxOrder)
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, $"Order must be between 1 and {MaxOrder}.");
        }
    }

    // (√2 − 1)^(1/2N): the ratio of the zero-lag −3 dB frequency to the single-pass one in the pre-warped domain.
    private static double ZeroLagCorrection(int order) => Math.Pow(Math.Sqrt(2.0) - 1.0, 1.0 / (2.0 * order));

    private static SecondOrderSection[] Design(double cutoffHz, double sampleRateHz, int order)
    {
        // Pre-warping: the bilinear transform maps analog Ω to digital f by Ω = tan(πf/fs), so designing the
        // normalised prototype at K = tan(πfc/fs) puts the −3 dB point exactly at fc.
        double k = Math.Tan(Math.PI * cutoffHz / sampleRateHz);
        double k2 = k * k;
        int pairs = order / 2;
        int first = order % 2;
        var sections = new SecondOrderSection[pairs + first];

        // Odd order: the real prototype pole s = −1, i.e. H(s) = 1 / (1 + s), becomes K(1 + z⁻¹) / ((1 + K) + (K − 1)z⁻¹).
        // Its Q is the lowest of all, so it goes first.
        if (first == 1)
        {
            double b = k / (1.0 + k);
            sections[0] = new SecondOrderSection(B0: b, B1: b, B2: 0.0, A1: (k - 1.0) / (1.0 + k), A2: 0.0);
        }

        // Prototype pole pair p: s² + 2 sin(θ) s + 1 with θ = π(2p+1)/(2N). Substituting s = (1 − z⁻¹)/(K(1 + z⁻¹))
        // and normalising a0 gives the closed forms below (unit DC gain per section). Highest-Q pair (p = 0) last,
        // like scipy's zpk2sos, so the resonant section sees an already smoothed signal.
        for (int p = 0; p < pairs; p++)
        {
            double damping = 2.0 * Math.Sin(Math.PI * (2 * p + 1) / (2.0 * order));
            double a0 = 1.0 + damping * k + k2;
            double b0 = k2 / a0;
            sections[first + pairs - 1 - p] = new SecondOrderSection(
                B0: b0,
                B1: 2.0 * b0,
                B2: b0,
                A1: 2.0 * (k2 - 1.0) / a0,
                A2: (1.0 - damping * k + k2) / a0);
        }
        return sections;
    }

    // Samples for the slowest pole to decay by 10⁻⁶: ⌈ln 10⁻⁶ / ln r⌉, r its radius (√a2 for a conjugate pair, |a1| for
    // the first-order section's real pole).
    private static int SettlingSamples(SecondOrderSection[] sections)
    {
        double radius = 0;
        foreach (SecondOrderSection s in sections)
        {
            radius = Math.Max(radius, s.A2 == 0.0 ? Math.Abs(s.A1) : Math.Sqrt(Math.Abs(s.A2)));
        }
        return radius <= 0 ? 0 : (int)Math.Min(Math.Ceiling(Math.Log(1e-6) / Math.Log(radius)), 1_000_000);
    }

    private static double[] SteadyStateForUnitStep(SecondOrderSection[] sections)
    {
        // Transposed DF-II: y = b0·x + z1; z1' = b1·x − a1·y + z2; z2' = b2·x − a2·y.
        // Constant input x and output g·x give z1 = (g − b0)·x and z2 = (b2 − a2·g)·x. Each section's input is the
        // previous sections' DC gain times the cascade input, hence the running scale.
        var state = new double[2 * sections.Length];
        double scale = 1.0;
        for (int s = 0; s < sections.Length; s++)
        {
            SecondOrderSection c = sections[s];
            double g = c.DcGain;
            state[2 * s] = scale * (g - c.B0);
            state[2 * s + 1] = scale * (c.B2 - c.A2 * g);
            scale *= g;
        }
        return state;
    }
}
