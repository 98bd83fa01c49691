using GaitStream.Core.Preprocessing;

namespace GaitStream.Core.Tests.Preprocessing;

public class ButterworthLowPassTests
{
    private const double RateHz = 100.0;
    private const double CutoffHz = 6.0;

    [Fact]
    public void Butterworth_second_order_6_Hz_at_100_Hz_matches_the_bilinear_design_formulas()
    {
        // K = tan(π·6/100), a0 = 1 + √2·K + K²; b = K²/a0·[1, 2, 1]; a = [1, 2(K² − 1)/a0, (1 − √2·K + K²)/a0].
        // Worked by hand from those formulas and checked against the pole/zero route (analog poles → bilinear
        // → polynomial), which agrees to 1e-16; scipy.signal.butter(2, 6, fs=100) gives the same numbers.
        var filter = new ButterworthLowPass(CutoffHz, RateHz, order: 2);

        SecondOrderSection s = Assert.Single(filter.Sections);
        Assert.Equal(0.02785976611713603, s.B0, 1e-12);
        Assert.Equal(0.05571953223427206, s.B1, 1e-12);
        Assert.Equal(0.02785976611713603, s.B2, 1e-12);
        Assert.Equal(-1.475480443592646, s.A1, 1e-12);
        Assert.Equal(0.5869195080611903, s.A2, 1e-12);
    }

    [Fact]
    public void Butterworth_fourth_order_cascade_multiplies_out_to_the_reference_transfer_function()
    {
        // Reference: 4th-order 6 Hz @ 100 Hz from the analog poles ωc·exp(iπ(2k+N+1)/2N), bilinear-mapped, multiplied
        // out and scaled to unit DC gain (the same b, a as scipy.signal.butter(4, 6, fs=100)).
        double[] expectedB = [0.0008063598650371352, 0.003225439460148541, 0.004838159190222811, 0.003225439460148541, 0.0008063598650371352];
        double[] expectedA = [1.0, -3.017555238686489, 3.5071937247162053, -1.8475509441185767, 0.37081421592945457];
        var filter = new ButterworthLowPass(CutoffHz, RateHz);

        double[] b = [1.0];
        double[] a = [1.0];
        foreach (SecondOrderSection s in filter.Sections)
        {
            b = Multiply(b, [s.B0, s.B1, s.B2]);
            a = Multiply(a, [1.0, s.A1, s.A2]);
        }

        Assert.Equal(2, filter.Sections.Count);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(expectedB[i], b[i], 1e-12);
            Assert.Equal(expectedA[i], a[i], 1e-12);
        }
    }

    [Fact]
    public void Butterworth_third_order_6_Hz_at_60_Hz_is_a_first_order_section_then_a_biquad_from_the_hand_derived_formulas()
    {
        // OpenSim's ID filter is 3rd order per pass. K = tan(π·6/60) = 0.3249196962329063.
        // Real pole s = −1: b0 = b1 = K/(1 + K), a1 = (K − 1)/(1 + K).
        // Pole pair s² + 2·sin(π/6)·s + 1 = s² + s + 1: a0 = 1 + K + K², b0 = K²/a0, a1 = 2(K² − 1)/a0, a2 = (1 − K + K²)/a0.
        var filter = new ButterworthLowPass(6.0, 60.0, order: 3);

        Assert.Equal(2, filter.Sections.Count);
        SecondOrderSection real = filter.Sections[0];
        Assert.Equal(0.24523727525278555, real.B0, 1e-14);
        Assert.Equal(0.24523727525278555, real.B1, 1e-14);
        Assert.Equal(0.0, real.B2);
        Assert.Equal(-0.5095254494944288, real.A1, 1e-14);
        Assert.Equal(0.0, real.A2);
        SecondOrderSection pair = filter.Sections[1];
        Assert.Equal(0.0738017211651794, pair.B0, 1e-14);
        Assert.Equal(0.1476034423303588, pair.B1, 1e-14);
        Assert.Equal(0.0738017211651794, pair.B2, 1e-14);
        Assert.Equal(-1.2505164308487402, pair.A1, 1e-14);
        Assert.Equal(0.5457233155094577, pair.A2, 1e-14);

        // Multiplied out it is the pole/zero route's b = g·[1, 3, 3, 1], a from the three bilinear-mapped poles
        // (the same as scipy.signal.butter(3, 6, fs=60)).
        double[] b = Multiply([real.B0, real.B1], [pair.B0, pair.B1, pair.B2]);
        double[] a = Multiply([1.0, real.A1], [1.0, pair.A1, pair.A2]);
        double[] expectedB = [0.018098933007514445, 0.054296799022543335, 0.054296799022543335, 0.018098933007514445];
        double[] expectedA = [1.0, -1.7600418803431688, 1.1828932620378307, -0.2780599176345464];
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expectedB[i], b[i], 1e-14);
            Assert.Equal(expectedA[i], a[i], 1e-14);
        }
        Assert.Equal(1.0, filter.Magnitude(0), 1e-12);
        Assert.Equal(Math.Sqrt(0.5), filter.Magnitude(6.0), 1e-12);
    }

    [Fact]
    public void Butterworth_odd_order_FiltFilt_keeps_a_constant_and_a_ramp_from_steady_state_initial_conditions()
    {
        foreach (int order in new[] { 1, 3, 5 })
        {
            var filter = new ButterworthLowPass(CutoffHz, RateHz, order);
            double[] constant = Enumerable.Repeat(-12.25, 200).ToArray();
            Assert.InRange(Signals.MaxAbsDifference(filter.FiltFilt(constant), constant), 0, 1e-12);

            // With no pad at all a constant still passes untouched: each section starts in its own steady state.
            var unpadded = new double[constant.Length];
            filter.FiltFilt(constant, unpadded, padLength: 0);
            Assert.InRange(Signals.MaxAbsDifference(unpadded, constant), 0, 1e-12);

            // The first-order pole's radius sets the pad (it is the slowest for order 1), long enough for a ramp.
            double[] times = Signals.Times(300, RateHz);
            double[] ramp = times.Select(t => 3 * t + 1).ToArray();
            Assert.InRange(Signals.MaxAbsDifference(filter.FiltFilt(ramp), ramp), 0, 1e-6);
        }
        Assert.True(new ButterworthLowPass(CutoffHz, RateHz, order: 1).PadLength > 3 * 3);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Butterworth_single_pass_is_minus_3_dB_at_cutoff_and_zero_lag_is_minus_6_dB(int order)
    {
        var filter = new ButterworthLowPass(CutoffHz, RateHz, order);

        Assert.Equal(1.0, filter.Magnitude(0), 1e-12);
        Assert.Equal(Math.Sqrt(0.5), filter.Magnitude(CutoffHz), 1e-12);
        Assert.Equal(-6.0206, Signals.Decibels(filter.ZeroLagMagnitude(CutoffHz)), 1e-4);
        Assert.Equal(Math.Sqrt(0.5), filter.ZeroLagMagnitude(filter.ZeroLagCutoffHz), 1e-12);
        Assert.True(filter.ZeroLagCutoffHz < CutoffHz);
        if (order == 4)
        {
            Assert.Equal(5.3866321400559025, filter.ZeroLagCutoffHz, 1e-9); // the −3 dB point of "4th order, 6 Hz, filtfilt"
        }
    }

    [Fact]
    public void Butterworth_FiltFilt_halves_a_sine_at_the_cutoff()
    {
        var filter = new ButterworthLowPass(CutoffHz, RateHz);
        double[] times = Signals.Times(2000, RateHz);

        double[] filtered = filter.FiltFilt(Signals.Sine(times, CutoffHz));

        (double amplitude, _) = Signals.Component(filtered.AsSpan(500, 1000), CutoffHz, RateHz);
        Assert.Equal(0.5, amplitude, 1e-4);
    }

    [Fact]
    public void Butterworth_ForZeroLagCutoff_makes_the_zero_lag_response_minus_3_dB_at_the_stated_cutoff()
    {
        var filter = ButterworthLowPass.ForZeroLagCutoff(CutoffHz, RateHz);
        double[] times = Signals.Times(2000, RateHz);

        double[] filtered = filter.FiltFilt(Signals.Sine(times, CutoffHz));

        (double amplitude, _) = Signals.Component(filtered.AsSpan(500, 1000), CutoffHz, RateHz);
        Assert.Equal(Math.Sqrt(0.5), amplitude, 1e-4);
        Assert.Equal(CutoffHz, filter.ZeroLagCutoffHz, 1e-9);
    }

    [Fact]
    public void Butterworth_ForZeroLagCutoff_at_order_2_is_Winters_correction()
    {
        // Winter (Biomechanics and Motor Control of Human Movement): twice-applied 2nd order, C = (√2 − 1)^¼ = 0.802,
        // applied to the pre-warped frequency.
        double expected = RateHz / Math.PI * Math.Atan(Math.Tan(Math.PI * CutoffHz / RateHz) / 0.802);

        var filter = ButterworthLowPass.ForZeroLagCutoff(CutoffHz, RateHz, order: 2);

        Assert.Equal(expected, filter.CutoffHz, 0.01);
        Assert.Equal(7.430884958470513, filter.CutoffHz, 1e-9);
    }

    [Fact]
    public void Butterworth_FiltFilt_preserves_the_passband()
    {
        var filter = new ButterworthLowPass(CutoffHz, RateHz);
        double[] times = Signals.Times(2000, RateHz);

        double[] filtered = filter.FiltFilt(Signals.Sine(times, 1.0));

        // |H(1 Hz)|² = 1 − 6e-7 for the 4th-order 6 Hz design.
        (double amplitude, _) = Signals.Component(filtered.AsSpan(500, 1000), 1.0, RateHz);
        Assert.Equal(1.0, amplitude, 1e-5);
    }

    [Theory]
    [InlineData(12.0)]
    [InlineData(20.0)]
    public void Butterworth_FiltFilt_attenuates_the_stopband_by_the_designed_dB(double frequencyHz)
    {
        // Bilinear Butterworth per pass: |H|² = 1 / (1 + (tan(πf/fs) / tan(πfc/fs))^2N); zero-lag response is |H|².
        double ratio = Math.Tan(Math.PI * frequencyHz / RateHz) / Math.Tan(Math.PI * CutoffHz / RateHz);
        double expectedDb = Signals.Decibels(1.0 / (1.0 + Math.Pow(ratio, 8))); // −50.8 dB at 12 Hz, −93.0 dB at 20 Hz
        var filter = new ButterworthLowPass(CutoffHz, RateHz);
        double[] times = Signals.Times(2000, RateHz);

        double[] filtered = filter.FiltFilt(Signals.Sine(times, frequencyHz));

        (double amplitude, _) = Signals.Component(filtered.AsSpan(500, 1000), frequencyHz, RateHz);
        Assert.Equal(expectedDb, Signals.Decibels(filter.ZeroLagMagnitude(frequencyHz)), 1e-9);
        Assert.Equal(expectedDb, Signals.Decibels(amplitude), 0.5);
        Assert.True(expectedDb < -50);
    }

    [Fact]
    public void Butterworth_FiltFilt_has_zero_lag()
    {
        // 1 Hz at 100 Hz: peaks fall exactly on frames 25, 125, …; a 15 Hz ripple is removed around them.
        var filter = new ButterworthLowPass(CutoffHz, RateHz);
        double[] times = Signals.Times(1000, RateHz);
        double[] clean = Signals.Sine(times, 1.0);
        double[] noisy = clean.Zip(Signals.Sine(times, 15.0, 0.2), (a, b) => a + b).ToArray();

        double[] filtered = filter.FiltFilt(noisy);

        for (int period = 0; period < 10; period++)
        {
            var cycle = filtered.AsSpan(period * 100, 100);
            int peak = cycle.IndexOf(MaxOf(cycle));
            Assert.Equal(25, peak);
        }
        (_, double phaseIn) = Signals.Component(clean.AsSpan(100, 800), 1.0, RateHz);
        (_, double phaseOut) = Signals.Component(filtered.AsSpan(100, 800), 1.0, RateHz);
        Assert.Equal(phaseIn, phaseOut, 1e-6);
    }

    [Fact]
    public void Butterworth_FiltFilt_keeps_a_constant_and_has_no_edge_transient()
    {
        var filter = new ButterworthLowPass(CutoffHz, RateHz);
        double[] constant = Enumerable.Repeat(37.5, 300).ToArray();
        Assert.InRange(Signals.MaxAbsDifference(filter.FiltFilt(constant), constant), 0, 1e-12);

        // A ramp is its own odd reflection, so once the start-up transient has died inside the pad it comes back unchanged.
        double[] times = Signals.Times(300, RateHz);
        double[] ramp = times.Select(t => 3 * t + 1).ToArray();
        Assert.Equal(98, filter.PadLength);
        Assert.InRange(Signals.MaxAbsDifference(filter.FiltFilt(ramp), ramp), 0, 1e-6);

        // scipy's 15-sample default pad is too short for the transient to die: 6e-3 off at the last frame.
        var scipyPadded = new double[ramp.Length];
        filter.FiltFilt(ramp, scipyPadded, filter.ScipyPadLength);
        Assert.InRange(Math.Abs(scipyPadded[^1] - ramp[^1]), 1e-3, 1e-2);

        // A slow joint-angle-like trend with an offset (±5 around 10): the ends stay on the signal (a zero initial
        // state would start near 0, 10 units off); the residual is the odd reflection's flip of curvature, < 0.2 %.
        double[] slow = Signals.Sine(times, 0.5, 5.0, 0.7).Select(v => v + 10.0).ToArray();
        double[] filtered = filter.FiltFilt(slow);
        Assert.InRange(Signals.MaxAbsDifference(filtered, slow), 0, 1e-2);
        Assert.Equal(slow[0], filtered[0], 1e-4);
        Assert.Equal(slow[^1], filtered[^1], 1e-4);
    }

    [Fact]
    public void Butterworth_FiltFilt_can_filter_in_place_and_handles_short_signals()
    {
        var filter = new ButterworthLowPass(CutoffHz, RateHz);
        double[] times = Signals.Times(200, RateHz);
        double[] signal = Signals.Sine(times, 3.0);
        double[] expected = filter.FiltFilt(signal);

        filter.FiltFilt(signal, signal);
        Assert.Equal(expected, signal);

        // Shorter than the 15-sample pad: the pad shrinks to length − 1 instead of failing.
        Assert.Equal(new[] { 2.0, 2.0, 2.0, 2.0 }, filter.FiltFilt([2.0, 2.0, 2.0, 2.0]).Select(v => Math.Round(v, 12)));
        Assert.Equal(4.0, Assert.Single(filter.FiltFilt([4.0])), 1e-12);
        Assert.Empty(filter.FiltFilt([]));
    }

    [Fact]
    public void Butterworth_rejects_bad_designs_and_signals()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ButterworthLowPass(CutoffHz, RateHz, order: 21));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ButterworthLowPass(CutoffHz, RateHz, order: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ButterworthLowPass(50.0, RateHz));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ButterworthLowPass(0.0, RateHz));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ButterworthLowPass(CutoffHz, 0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ButterworthLowPass.ForZeroLagCutoff(60.0, RateHz));
        var filter = new ButterworthLowPass(CutoffHz, RateHz);
        var nan = Assert.Throws<ArgumentException>(() => filter.FiltFilt([1.0, double.NaN, 2.0]));
        Assert.Contains("finite", nan.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => filter.FiltFilt([1.0, 2.0], new double[3]));
    }

    private static double[] Multiply(double[] p, double[] q)
    {
        var r = new double[p.Length + q.Length - 1];
        for (int i = 0; i < p.Length; i++)
        {
            for (int j = 0; j < q.Length; j++)
            {
                r[i + j] += p[i] * q[j];
            }
        }
        return r;
    }

    private static double MaxOf(ReadOnlySpan<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            max = Math.Max(max, v);
        }
        return max;
    }
}
