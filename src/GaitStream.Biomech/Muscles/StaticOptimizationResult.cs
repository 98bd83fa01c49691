using GaitStream.Core.OpenSim;

namespace GaitStream.Biomech.Muscles;

/// <summary>
/// Muscle forces from static optimization, N, muscle-major (<c>ForcesN[muscle][frame]</c>), with the reserve torque
/// each balanced coordinate needed per frame (<c>ReserveNm[coordinate][frame]</c>).
/// </summary>
public sealed class StaticOptimizationResult
{
    public StaticOptimizationResult(
        double[] timeS,
        IReadOnlyList<string> muscleNames,
        double[][] forcesN,
        IReadOnlyList<string> coordinates,
        double[][] reserveNm,
        double bodyMassKg,
        int[] iterations)
    {
        ArgumentNullException.ThrowIfNull(timeS);
        ArgumentNullException.ThrowIfNull(muscleNames);
        ArgumentNullException.ThrowIfNull(forcesN);
        ArgumentNullException.ThrowIfNull(coordinates);
        ArgumentNullException.ThrowIfNull(reserveNm);
        if (muscleNames.Count != forcesN.Length || coordinates.Count != reserveNm.Length)
        {
            throw new ArgumentException("One force column per muscle and one reserve column per coordinate are needed.", nameof(forcesN));
        }
        TimeS = timeS;
        MuscleNames = muscleNames;
        ForcesN = forcesN;
        Coordinates = coordinates;
        ReserveNm = reserveNm;
        BodyMassKg = bodyMassKg;
        Iterations = iterations;
    }

    public double[] TimeS { get; }

    public IReadOnlyList<string> MuscleNames { get; }

    public double[][] ForcesN { get; }

    /// <summary>The balanced coordinates (with side suffix), in the order of <see cref="ReserveNm"/>.</summary>
    public IReadOnlyList<string> Coordinates { get; }

    public double[][] ReserveNm { get; }

    public double BodyMassKg { get; }

    /// <summary>Active-set iterations per frame, summed over the sides.</summary>
    public int[] Iterations { get; }

    public double[] Force(string muscleName)
    {
        for (int i = 0; i < MuscleNames.Count; i++)
        {
            if (MuscleNames[i] == muscleName)
            {
                return ForcesN[i];
            }
        }
        throw new KeyNotFoundException($"Static optimization result has no muscle '{muscleName}'.");
    }

    /// <summary>Reserve torque per balanced coordinate over the trial: max |R|, RMS, when, and frames above 1 N·m.</summary>
    public IReadOnlyList<ReserveUsage> ReserveUsage()
    {
        var usage = new ReserveUsage[Coordinates.Count];
        for (int c = 0; c < usage.Length; c++)
        {
            double[] r = ReserveNm[c];
            double max = 0, sumSq = 0, when = TimeS.Length > 0 ? TimeS[0] : 0;
            int above = 0;
            for (int k = 0; k < r.Length; k++)
            {
                double a = Math.Abs(r[k]);
                sumSq += r[k] * r[k];
                if (a > max)
                {
                    max = a;
                    when = TimeS[k];
                }
                if (a > 1)
                {
                    above++;
                }
            }
            usage[c] = new ReserveUsage(Coordinates[c], max, r.Length > 0 ? Math.Sqrt(sumSq / r.Length) : 0, when, above);
        }
        return usage;
    }

    /// <summary>
    /// The forces as an OpenSim force Storage table (muscle columns named as in the model, e.g. <c>glut_med1_r</c>, so
    /// <c>GroupForces.FromForceTable</c> applies), followed by one <c>&lt;coordinate&gt;_reserve</c> column (N·m) per
    /// balanced coordinate unless <paramref name="includeReserves"/> is false.
    /// </summary>
    public StorageTable ToStorageTable(string name = "Static Optimization Forces", bool includeReserves = true)
    {
        var labels = new List<string>(MuscleNames);
        var columns = new List<double[]>(ForcesN);
        if (includeReserves)
        {
            labels.AddRange(Coordinates.Select(c => c + "_reserve"));
            columns.AddRange(ReserveNm);
        }
        return new StorageTable(name, labels, TimeS, [.. columns], inDegrees: false);
    }
}
