using GaitStream.Biomech.Dynamics;
using GaitStream.Biomech.Kinematics;
using GaitStream.Biomech.Model;
using GaitStream.Core.OpenSim;

namespace GaitStream.Synth.Kinematics;

/// <summary>
/// One gait cycle of a real walking trial as Fourier series, one per model coordinate (all 23 gait2392 coordinates,
/// pelvis translations included), phase 0 at right heel strike. Heel strikes and toe-offs come from the same
/// foot-contact rule the labelling uses (<see cref="GroundReactionEstimator"/>), so the template's events and the
/// generated trials' events mean the same thing. pelvis_tx keeps its progression per cycle (<see cref="StrideLengthM"/>)
/// apart from its periodic part; pelvis_tz and pelvis_rotation drop their drift (the subject walks straight).
/// </summary>
public sealed class GaitTemplate
{
    public const int DefaultHarmonics = 8;

    private GaitTemplate(IReadOnlyList<string> coordinates, FourierSeries[] series, double cycleS, double strideLengthM,
        double rightStance, double leftStrikePhase, double leftStance, string source)
    {
        CoordinateNames = coordinates;
        Series = series;
        CycleDurationS = cycleS;
        StrideLengthM = strideLengthM;
        RightStanceFraction = rightStance;
        LeftHeelStrikePhase = leftStrikePhase;
        LeftStanceFraction = leftStance;
        Source = source;
    }

    /// <summary>Coordinate names in model order.</summary>
    public IReadOnlyList<string> CoordinateNames { get; }

    /// <summary>One series per coordinate (SI: rad or m), model order.</summary>
    public IReadOnlyList<FourierSeries> Series { get; }

    public double CycleDurationS { get; }

    /// <summary>Cadence of the template trial, steps/min (two steps per cycle).</summary>
    public double CadenceSpm => 120.0 / CycleDurationS;

    public double StrideLengthM { get; }

    public double RightStanceFraction { get; }

    /// <summary>Phase of the left heel strike within the right-heel-strike cycle (about 0.5).</summary>
    public double LeftHeelStrikePhase { get; }

    public double LeftStanceFraction { get; }

    public string Source { get; }

    public FourierSeries this[string coordinate] => Series[IndexOf(coordinate)];

    public int IndexOf(string coordinate)
    {
        for (int i = 0; i < CoordinateNames.Count; i++)
        {
            if (CoordinateNames[i] == coordinate)
            {
                return i;
            }
        }
        throw new KeyNotFoundException($"The gait template has no coordinate '{coordinate}'.");
    }

    /// <summary>The gait2392 walking trial's kinematics in the shared reference folder, fitted on <paramref name="model"/>.</summary>
    public static GaitTemplate FromReference(string referenceDir, MusculoskeletalModel model, int harmonics = DefaultHarmonics)
    {
        ArgumentNullException.ThrowIfNull(referenceDir);
        string path = Path.Combine(referenceDir, "gait2392_so_walk", "subject01_walk1_kinematics.sto");
        CoordinateTrajectory trajectory = CoordinateTrajectory.FromStorage(model, StorageReader.Read(path));
        // Events from the trial's own force plates (vertical force above 20 N), read at the kinematics' frames.
        StorageTable plates = StorageReader.Read(Path.Combine(referenceDir, "gait2392_so_walk", "subject01_walk1_grf.mot"));
        bool[] right = PlateContact(plates, "right_foot_force_vy", trajectory.TimeS);
        bool[] left = PlateContact(plates, "left_foot_force_vy", trajectory.TimeS);
        return Fit(trajectory, harmonics, "opensim-reference/gait2392_so_walk/subject01_walk1_kinematics.sto (events from subject01_walk1_grf.mot)", right, left);
    }

    private static bool[] PlateContact(StorageTable plates, string column, double[] at)
    {
        double[] fy = plates.Column(column);
        var contact = new bool[at.Length];
        int j = 0;
        for (int i = 0; i < at.Length; i++)
        {
            while (j + 1 < plates.Time.Length && plates.Time[j + 1] <= at[i])
            {
                j++;
            }
            contact[i] = fy[j] > 20.0;
        }
        return contact;
    }

    /// <summary>Fits a cycle from the first heel strike of either foot to that foot's next heel strike.</summary>
    /// <param name="trajectory">The walking trial.</param>
    /// <param name="harmonics">Fourier harmonics per coordinate.</param>
    /// <param name="source">Where the trial came from, for messages and provenance.</param>
    /// <param name="rightContact">Right-foot contact per frame (force plates); null estimates it from the motion.</param>
    /// <param name="leftContact">Left-foot contact per frame; null estimates it from the motion.</param>
    public static GaitTemplate Fit(CoordinateTrajectory trajectory, int harmonics, string source, bool[]? rightContact = null, bool[]? leftContact = null)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        if (rightContact is null || leftContact is null)
        {
            GroundReactionEstimate estimate = new GroundReactionEstimator(trajectory.Model).Estimate(trajectory);
            rightContact ??= estimate.Right.InContact;
            leftContact ??= estimate.Left.InContact;
        }
        double[] t = trajectory.TimeS;
        List<double> rightStrikes = Edges(t, rightContact, rising: true);
        List<double> leftStrikes = Edges(t, leftContact, rising: true);
        List<double> rightOffs = Edges(t, rightContact, rising: false);
        List<double> leftOffs = Edges(t, leftContact, rising: false);

        // The cycle runs between two heel strikes of the same foot; when only the left foot strikes twice, the right
        // heel strike inside that cycle becomes phase 0 by shifting the series (they are periodic).
        // Only strike pairs 0.7–1.8 s apart are cycles (adult walking); shorter ones are contact jitter.
        static (double, double)? Cycle(List<double> strikes)
        {
            for (int i = 0; i + 1 < strikes.Count; i++)
            {
                for (int j = i + 1; j < strikes.Count; j++)
                {
                    double d = strikes[j] - strikes[i];
                    if (d is >= 0.7 and <= 1.8)
                    {
                        return (strikes[i], strikes[j]);
                    }
                }
            }
            return null;
        }
        (double start, double end) = Cycle(rightStrikes) ?? Cycle(leftStrikes) ?? throw new InvalidDataException(
            $"{source}: no complete gait cycle (two heel strikes of one foot 0.7–1.8 s apart) was found; right strikes at " +
            $"{string.Join(", ", rightStrikes.Select(x => x.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)))} s, left at " +
            $"{string.Join(", ", leftStrikes.Select(x => x.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)))} s.");
        double cycle = end - start;
        double rightStrike = rightStrikes.FirstOrDefault(s => s >= start && s < end, double.NaN);
        double leftStrike = leftStrikes.FirstOrDefault(s => s >= start && s < end, double.NaN);
        if (double.IsNaN(rightStrike) || double.IsNaN(leftStrike))
        {
            throw new InvalidDataException($"{source}: the cycle {start:0.000}–{end:0.000} s lacks a heel strike of one foot.");
        }
        double rightStance = StanceFraction(rightStrike, rightOffs, cycle);
        double leftStance = StanceFraction(leftStrike, leftOffs, cycle);
        double shift = (rightStrike - start) / cycle;

        var model = trajectory.Model;
        var series = new FourierSeries[model.Coordinates.Count];
        double stride = 0;
        foreach (Coordinate c in model.Coordinates)
        {
            (FourierSeries s, double drift) = FourierSeries.FitCycle(t, trajectory.Values[c.Index], start, end, harmonics);
            series[c.Index] = Shift(s, shift);
            if (c.Name == "pelvis_tx")
            {
                stride = drift;
            }
        }
        double leftPhase = ((leftStrike - rightStrike) / cycle % 1 + 1) % 1;
        // A treadmill trial barely advances (pelvis_tx drifts by centimetres): its stride is the belt's travel per
        // cycle, which the stance feet show: they ride the belt backwards at its speed.
        double belt = BeltSpeed(trajectory, rightContact, leftContact);
        double strideLength = Math.Max(Math.Abs(stride), belt * cycle);
        return new GaitTemplate([.. model.Coordinates.Select(c => c.Name)], series, cycle, strideLength, rightStance, leftPhase, leftStance, source);
    }

    /// <summary>Median backward speed of the MTP joints (toes origins) while their foot is in contact, m/s (0 overground).</summary>
    private static double BeltSpeed(CoordinateTrajectory trajectory, bool[] rightContact, bool[] leftContact)
    {
        MusculoskeletalModel model = trajectory.Model;
        var fk = new ForwardKinematics(model);
        int[] toes = [model.BodyIndex("toes_r"), model.BodyIndex("toes_l")];
        bool[][] contact = [rightContact, leftContact];
        var x = new double[2][];
        x[0] = new double[trajectory.FrameCount];
        x[1] = new double[trajectory.FrameCount];
        var q = new double[model.Coordinates.Count];
        for (int i = 0; i < trajectory.FrameCount; i++)
        {
            trajectory.Frame(i, q);
            BodyPose[] poses = fk.Compute(q);
            x[0][i] = poses[toes[0]].OriginM.X;
            x[1][i] = poses[toes[1]].OriginM.X;
        }
        var speeds = new List<double>();
        double[] t = trajectory.TimeS;
        for (int f = 0; f < 2; f++)
        {
            for (int i = 1; i + 1 < t.Length; i++)
            {
                if (contact[f][i - 1] && contact[f][i] && contact[f][i + 1])
                {
                    speeds.Add(-(x[f][i + 1] - x[f][i - 1]) / (t[i + 1] - t[i - 1]));
                }
            }
        }
        if (speeds.Count == 0)
        {
            return 0;
        }
        speeds.Sort();
        return Math.Max(0, speeds[speeds.Count / 2]);
    }

    private static FourierSeries Shift(FourierSeries s, double phase)
    {
        // y'(φ) = y(φ + phase)
        var a = new double[s.Harmonics];
        var b = new double[s.Harmonics];
        for (int k = 0; k < s.Harmonics; k++)
        {
            (double sn, double cs) = Math.SinCos(2 * Math.PI * (k + 1) * phase);
            a[k] = (s.Cos[k] * cs) + (s.Sin[k] * sn);
            b[k] = (s.Sin[k] * cs) - (s.Cos[k] * sn);
        }
        return new FourierSeries(s.Mean, a, b);
    }

    private static double StanceFraction(double strike, List<double> offs, double cycle)
    {
        double off = offs.FirstOrDefault(o => o > strike, double.NaN);
        if (double.IsNaN(off))
        {
            // Toe-off after the trial's end: use the one before the strike, a cycle earlier.
            off = offs.LastOrDefault(o => o < strike, double.NaN) + cycle;
        }
        return double.IsNaN(off) ? 0.6 : (off - strike) / cycle;
    }

    internal static List<double> Edges(double[] t, bool[] contact, bool rising)
    {
        var edges = new List<double>();
        for (int i = 1; i < contact.Length; i++)
        {
            if (contact[i] == rising && contact[i - 1] != rising)
            {
                edges.Add(t[i]);
            }
        }
        return edges;
    }
}
