using System.Diagnostics;
using System.Text.Json;
using GaitStream.Biomech.Dynamics;
using GaitStream.Biomech.Kinematics;
using GaitStream.Biomech.Model;
using GaitStream.Biomech.Muscles;
using GaitStream.Core.OpenSim;

namespace GaitStream.Synth.Validation;

/// <summary>
/// Times the labelling pipeline the synthetic cohort runs per trial — ground reactions from kinematics, inverse
/// dynamics with them, whole-leg static optimization — on the real gait2392 walk (1500 frames of 1000 Hz kinematics),
/// on the threads the process is given (pin to one core with <c>taskset -c 0</c>). Median of the repeats; the
/// per-1000-frame figure is what a 10 s trial at 100 Hz costs, since every stage is linear in frames.
/// </summary>
public static class PhysicsBenchmark
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Run(string referenceDir, int repeats)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        string dir = Path.Combine(referenceDir, "gait2392_so_walk");
        MusculoskeletalModel model = OsimModelReader.Read(Path.Combine(dir, "subject01_simbody_adjusted_StaticOp.osim"));
        CoordinateTrajectory trajectory = CoordinateTrajectory.FromStorage(model, StorageReader.Read(Path.Combine(dir, "subject01_walk1_kinematics.sto")));

        var grfMs = new List<double>();
        var idMs = new List<double>();
        var soMs = new List<double>();
        for (int run = 0; run <= repeats; run++) // run 0 warms the JIT and is not counted
        {
            var sw = Stopwatch.StartNew();
            GroundReactionEstimate grf = new GroundReactionEstimator(model).Estimate(trajectory);
            double t1 = sw.Elapsed.TotalMilliseconds;
            InverseDynamicsResult id = new InverseDynamicsSolver(model).Solve(trajectory, grf.ToExternalLoadSet(), new InverseDynamicsOptions());
            double t2 = sw.Elapsed.TotalMilliseconds;
            _ = new StaticOptimizer(model).Solve(trajectory, id);
            double t3 = sw.Elapsed.TotalMilliseconds;
            if (run > 0)
            {
                grfMs.Add(t1);
                idMs.Add(t2 - t1);
                soMs.Add(t3 - t2);
            }
        }

        int frames = trajectory.FrameCount;
        double total = Median(grfMs) + Median(idMs) + Median(soMs);
        return JsonSerializer.Serialize(new
        {
            benchmark = "physics labelling pipeline (GRF estimation + inverse dynamics + whole-leg static optimization)",
            trial = "gait2392_so_walk subject01_walk1_kinematics.sto (1000 Hz)",
            frames,
            repeats,
            processor_count = Environment.ProcessorCount,
            median_ms = new { grf_estimation = Median(grfMs), inverse_dynamics = Median(idMs), static_optimization = Median(soMs), total },
            total_ms_per_1000_frames = total * 1000 / frames,
            target_ms_per_1000_frames = 1000,
        }, Indented);
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
