using GaitStream.Biomech.Dynamics;
using GaitStream.Biomech.Kinematics;
using GaitStream.Biomech.Model;

namespace GaitStream.Biomech.Muscles;

/// <summary>
/// Static optimization per frame and side: minimise Σ (F_i/F0_i)² + w·Σ R_j² subject to Σ_i r_ij F_i + R_j = τ_j for
/// the balanced coordinates j (τ from inverse dynamics), 0 ≤ F_i ≤ F0_i, with R_j a reserve torque per coordinate
/// penalised by <see cref="StaticOptimizationOptions.ReserveWeightPerNm2"/>. With activations a_i = F_i/F0_i and
/// A_ji = r_ij·F0_i, the reserves eliminate to the box QP  min ½aᵀ(I + wAᵀA)a − (wAᵀτ)ᵀa, 0 ≤ a ≤ 1, solved exactly by
/// an active-set method warm-started from the previous frame. Moment arms are −∂L/∂q from the straight-line paths
/// (<see cref="MusclePathGeometry"/>). Holds scratch buffers: one instance per thread.
/// </summary>
public sealed class StaticOptimizer
{
    private const double ForceLengthShape = 0.5;
    private readonly StaticOptimizationOptions _options;
    private readonly SideProblem[] _sides;

    public StaticOptimizer(MusculoskeletalModel model, StaticOptimizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _options = options ?? new StaticOptimizationOptions();
        _options.Validate();
        Model = model;
        _sides = _options.Sides.Select(side => new SideProblem(model, _options, side)).ToArray();
        MuscleNames = _sides.SelectMany(s => s.Geometry.Muscles.Select(m => m.Name)).ToArray();
        CoordinateNames = _sides.SelectMany(s => s.CoordinateNames).ToArray();
    }

    public MusculoskeletalModel Model { get; }

    /// <summary>The muscles optimised, side by side in model order.</summary>
    public IReadOnlyList<string> MuscleNames { get; }

    /// <summary>The balanced coordinates, side by side.</summary>
    public IReadOnlyList<string> CoordinateNames { get; }

    /// <summary>
    /// Solves every frame. <paramref name="moments"/> must be on the trajectory's frames (e.g. inverse dynamics of the
    /// same trajectory); moment arms use the trajectory's coordinates as given.
    /// </summary>
    public StaticOptimizationResult Solve(CoordinateTrajectory trajectory, InverseDynamicsResult moments)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        ArgumentNullException.ThrowIfNull(moments);
        if (trajectory.Model != Model)
        {
            throw new ArgumentException("The trajectory belongs to a different model.", nameof(trajectory));
        }
        int n = trajectory.FrameCount;
        if (moments.TimeS.Length != n || Enumerable.Range(0, n).Any(k => Math.Abs(moments.TimeS[k] - trajectory.TimeS[k]) > 1e-9))
        {
            throw new ArgumentException("The moments must be on the trajectory's frames (same count and times).", nameof(moments));
        }

        var forces = MuscleNames.Select(_ => new double[n]).ToArray();
        var reserves = CoordinateNames.Select(_ => new double[n]).ToArray();
        var iterations = new int[n];
        var momentColumns = CoordinateNames.Select(c => moments.Column(MomentLabel(c))).ToArray();
        var q = new double[Model.Coordinates.Count];
        Span<double> tau = stackalloc double[_options.Coordinates.Count];
        foreach (SideProblem side in _sides)
        {
            side.Reset();
        }
        for (int k = 0; k < n; k++)
        {
            trajectory.Frame(k, q);
            int muscleOffset = 0, coordinateOffset = 0;
            foreach (SideProblem side in _sides)
            {
                for (int j = 0; j < side.CoordinateCount; j++)
                {
                    tau[j] = momentColumns[coordinateOffset + j][k];
                }
                iterations[k] += side.SolveFrame(q, tau);
                for (int m = 0; m < side.MuscleCount; m++)
                {
                    forces[muscleOffset + m][k] = side.ForcesN[m];
                }
                for (int j = 0; j < side.CoordinateCount; j++)
                {
                    reserves[coordinateOffset + j][k] = side.ReserveNm[j];
                }
                muscleOffset += side.MuscleCount;
                coordinateOffset += side.CoordinateCount;
            }
        }
        return new StaticOptimizationResult((double[])trajectory.TimeS.Clone(), MuscleNames, forces, CoordinateNames, reserves, Model.TotalMassKg, iterations);
    }

    private static string MomentLabel(string coordinate) => coordinate + "_moment";

    /// <summary>One side's muscles, coordinates, buffers and warm start.</summary>
    private sealed class SideProblem
    {
        private readonly int[] _coordinates;
        private readonly double[] _maxIsometricN;
        private readonly double[] _strengthN;
        private readonly double[] _momentArms;
        private readonly double[] _lengths;
        private readonly double[] _a;
        private readonly double[] _h;
        private readonly double[] _g;
        private readonly double[] _lower;
        private readonly double[] _upper;
        private readonly double[] _x;
        private readonly sbyte[] _status;
        private readonly BoxConstrainedQp _qp;
        private readonly double _weight;
        private readonly bool _forceLength;

        public SideProblem(MusculoskeletalModel model, StaticOptimizationOptions options, string side)
        {
            CoordinateNames = options.Coordinates.Select(c => c + side).ToArray();
            _coordinates = CoordinateNames.Select(model.CoordinateIndex).ToArray();
            string[] joints = _coordinates.Select(c => model.Coordinates[c].JointName).Distinct().ToArray();
            var crossing = joints.SelectMany(model.MusclesCrossing).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
            Muscle[] muscles = model.Muscles.Where(m => crossing.Contains(m.Name)).ToArray();
            if (muscles.Length == 0)
            {
                throw new ArgumentException($"No muscle crosses the joints of {string.Join(", ", CoordinateNames)}.", nameof(options));
            }
            Geometry = new MusclePathGeometry(model, muscles) { DifferenceStep = options.MomentArmStep };
            int nm = muscles.Length, nc = _coordinates.Length;
            _maxIsometricN = muscles.Select(m => m.MaxIsometricForceN).ToArray();
            _strengthN = (double[])_maxIsometricN.Clone();
            _momentArms = new double[nm * nc];
            _lengths = new double[nm];
            _a = new double[nc * nm];
            _h = new double[nm * nm];
            _g = new double[nm];
            _lower = new double[nm];
            _upper = Enumerable.Repeat(1.0, nm).ToArray();
            _x = new double[nm];
            _status = new sbyte[nm];
            _qp = new BoxConstrainedQp(nm);
            _weight = options.ReserveWeightPerNm2;
            _forceLength = options.UseForceLength;
            ForcesN = new double[nm];
            ReserveNm = new double[nc];
        }

        public MusclePathGeometry Geometry { get; }

        public string[] CoordinateNames { get; }

        public int MuscleCount => _maxIsometricN.Length;

        public int CoordinateCount => _coordinates.Length;

        public double[] ForcesN { get; }

        public double[] ReserveNm { get; }

        public void Reset()
        {
            Array.Clear(_x);
            Array.Fill(_status, BoxConstrainedQp.AtLower);
        }

        public int SolveFrame(double[] q, ReadOnlySpan<double> tau)
        {
            int nm = MuscleCount, nc = CoordinateCount;
            Geometry.MomentArms(q, _coordinates, _momentArms);
            if (_forceLength)
            {
                Geometry.Lengths(q, _lengths);
                for (int m = 0; m < nm; m++)
                {
                    _strengthN[m] = _maxIsometricN[m] * ForceLengthFactor(Geometry.Muscles[m], _lengths[m]);
                }
            }

            // A (nc × nm): moment per unit activation.
            for (int j = 0; j < nc; j++)
            {
                for (int m = 0; m < nm; m++)
                {
                    _a[(j * nm) + m] = _momentArms[(m * nc) + j] * _strengthN[m];
                }
            }
            for (int i = 0; i < nm; i++)
            {
                double gi = 0;
                for (int j = 0; j < nc; j++)
                {
                    gi += _a[(j * nm) + i] * tau[j];
                }
                _g[i] = _weight * gi;
                for (int k = 0; k <= i; k++)
                {
                    double s = 0;
                    for (int j = 0; j < nc; j++)
                    {
                        s += _a[(j * nm) + i] * _a[(j * nm) + k];
                    }
                    double v = (_weight * s) + (i == k ? 1 : 0);
                    _h[(i * nm) + k] = v;
                    _h[(k * nm) + i] = v;
                }
            }

            int iterations = _qp.Solve(nm, _h, _g, _lower, _upper, _x, _status);

            for (int m = 0; m < nm; m++)
            {
                ForcesN[m] = _x[m] * _strengthN[m];
            }
            for (int j = 0; j < nc; j++)
            {
                double produced = 0;
                for (int m = 0; m < nm; m++)
                {
                    produced += _a[(j * nm) + m] * _x[m];
                }
                ReserveNm[j] = tau[j] - produced;
            }
            return iterations;
        }

        // Rigid tendon: fibre along-tendon length L − L_TS, constant-width pennation, Gaussian active force-length.
        private static double ForceLengthFactor(Muscle muscle, double lengthM)
        {
            double along = Math.Max(lengthM - muscle.TendonSlackLengthM, 1e-6);
            double width = muscle.OptimalFiberLengthM * Math.Sin(muscle.PennationAngleAtOptimalRad);
            double fibre = Math.Sqrt((along * along) + (width * width));
            double normalized = fibre / muscle.OptimalFiberLengthM;
            double fl = Math.Exp(-(normalized - 1) * (normalized - 1) / ForceLengthShape);
            return Math.Max(fl * (along / fibre), 1e-3);
        }
    }
}
