using GaitStream.Core.Datasets;
using GaitStream.Core.Preprocessing;

namespace GaitStream.Replay;

/// <summary>
/// One recorded trial as a device would stream it: the IK frames at their recorded timestamps (frame index = the
/// wire's <c>seq</c>), and the per-kg references (moments N·m/kg, forces N/kg) read at those same timestamps where the
/// reference files cover them.
/// </summary>
/// <remarks>
/// References are linearly interpolated onto the IK timestamps (Core's <see cref="Resampler"/>); when the reference
/// files share the IK grid, as OpenSim's ID output and the synthetic cohort do, that is the reference itself. Frames
/// outside a reference's span (CMC often covers less time than IK) have no reference and are left out of the metrics.
/// </remarks>
internal sealed class ReplayTrial
{
    private const double SpanToleranceS = 1e-5;

    private ReplayTrial(TrialLabels labels, double bodyMassKg, double[] timeS, float[][] anglesDeg, double sampleRateHz,
        IReadOnlyList<string> referenceChannels, double[][] references, bool[] hasReference)
    {
        Labels = labels;
        BodyMassKg = bodyMassKg;
        TimeS = timeS;
        AnglesDeg = anglesDeg;
        SampleRateHz = sampleRateHz;
        ReferenceChannels = referenceChannels;
        References = references;
        HasReference = hasReference;
    }

    public TrialLabels Labels { get; }

    public string Key => $"{Labels.SubjectId}/{Labels.Condition}/{Labels.TrialId}";

    public double BodyMassKg { get; }

    /// <summary>Recorded timestamps, s (the wire's <c>time_s</c>).</summary>
    public double[] TimeS { get; }

    /// <summary>Frame-major angles in <see cref="Core.Schema.ChannelSchema.InputAngles"/> order, degrees.</summary>
    public float[][] AnglesDeg { get; }

    /// <summary>The recorded rate, from the median timestamp step.</summary>
    public double SampleRateHz { get; }

    public int FrameCount => TimeS.Length;

    /// <summary>Reference channels this trial has (moments, then group forces), per kg.</summary>
    public IReadOnlyList<string> ReferenceChannels { get; }

    /// <summary>Reference values at the IK timestamps, channel-major; NaN outside a reference's span (see <see cref="HasReference"/>).</summary>
    public double[][] References { get; }

    /// <summary>Per frame: whether every reference channel covers that frame's time.</summary>
    public bool[] HasReference { get; }

    public double[] Reference(string channel)
    {
        for (int i = 0; i < ReferenceChannels.Count; i++)
        {
            if (ReferenceChannels[i] == channel)
            {
                return References[i];
            }
        }
        throw new KeyNotFoundException($"Trial {Key} has no reference '{channel}'.");
    }

    public static ReplayTrial From(TrialData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Signal angles = data.Angles;
        double[] time = angles.Time;
        string key = $"{data.Labels.SubjectId}/{data.Labels.Condition}/{data.Labels.TrialId}";
        if (time.Length < 2)
        {
            throw new InvalidDataException($"Trial {key}: the IK file has {time.Length} frame(s); a replay needs at least two.");
        }
        for (int i = 1; i < time.Length; i++)
        {
            if (!(time[i] > time[i - 1]))
            {
                throw new InvalidDataException($"Trial {key}: IK time does not increase at frame {i} ({time[i - 1]} s, then {time[i]} s).");
            }
        }
        var frames = new float[time.Length][];
        for (int f = 0; f < time.Length; f++)
        {
            var row = new float[angles.Channels.Count];
            for (int c = 0; c < row.Length; c++)
            {
                row[c] = (float)angles.Values[c][f];
            }
            frames[f] = row;
        }

        var names = new List<string>();
        var values = new List<double[]>();
        bool[] covered = [.. Enumerable.Repeat(true, time.Length)];
        foreach (Signal? reference in new[] { data.Moments, data.Forces })
        {
            if (reference is null || reference.FrameCount < 2)
            {
                continue;
            }
            double lo = reference.Time[0];
            double hi = reference.Time[^1];
            // Frames outside the reference's span are marked uncovered and get NaN; those within printing noise of it are pulled in.
            var inside = new List<int>();
            for (int f = 0; f < time.Length; f++)
            {
                bool within = time[f] >= lo - SpanToleranceS && time[f] <= hi + SpanToleranceS;
                covered[f] &= within;
                if (within)
                {
                    inside.Add(f);
                }
            }
            double[] targets = [.. inside.Select(f => Math.Clamp(time[f], lo, hi))];
            double[][] resampled = targets.Length == 0 ? [.. reference.Values.Select(_ => Array.Empty<double>())] : Resampler.Resample(reference.Time, reference.Values, targets);
            for (int c = 0; c < resampled.Length; c++)
            {
                // A muscle group none of whose members the source model has (gait2354 has no glut_min) reads as a constant
                // zero: that is no reference, so the channel is left out rather than scored against zeros.
                string name = reference.Channels[c];
                if (data.MissingForceMembers.ContainsKey(name) && reference.Values[c].All(v => v == 0))
                {
                    continue;
                }
                double[] channel = resampled[c];
                names.Add(name);
                double[] full = new double[time.Length];
                Array.Fill(full, double.NaN);
                for (int i = 0; i < inside.Count; i++)
                {
                    full[inside[i]] = channel[i];
                }
                values.Add(full);
            }
        }
        if (names.Count == 0)
        {
            Array.Fill(covered, false);
        }
        // Rounded to a millihertz: printed timestamps make 60 Hz read as 59.99999, which a 60–240 Hz check would refuse.
        return new ReplayTrial(data.Labels, data.BodyMassKg, time, frames, Math.Round(Resampler.MedianRateHz(time), 3), names, [.. values], covered);
    }
}
