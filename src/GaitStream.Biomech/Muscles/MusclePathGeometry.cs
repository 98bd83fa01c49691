using GaitStream.Biomech.Geometry;
using GaitStream.Biomech.Kinematics;
using GaitStream.Biomech.Model;

namespace GaitStream.Biomech.Muscles;

/// <summary>
/// Muscle paths as straight-line polylines through their active path points, and what follows from them:
/// muscle-tendon length L(q) and moment arms r_j = −∂L/∂q_j (central differences; metres for rotational coordinates
/// in radians). A ConditionalPathPoint takes part only while its coordinate lies in its range; a MovingPathPoint's
/// body-frame location follows its coordinates. Wrap objects are not modelled (the model reader lists any it skipped in
/// <see cref="MusculoskeletalModel.Warnings"/>; the gait2392 static-optimization model has none). Holds scratch
/// buffers: one instance per thread.
/// </summary>
public sealed class MusclePathGeometry
{
    private readonly ForwardKinematics _fk;
    private readonly Muscle[] _muscles;
    private readonly BodyPose[] _poses;
    private readonly double[] _q;
    private readonly double[] _lengthPlus;
    private readonly double[] _lengthMinus;

    /// <summary>Compiles the paths of <paramref name="muscles"/> (all the model's muscles when null).</summary>
    public MusclePathGeometry(MusculoskeletalModel model, IReadOnlyList<Muscle>? muscles = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        _fk = new ForwardKinematics(model);
        _muscles = (muscles ?? model.Muscles).ToArray();
        _poses = new BodyPose[_fk.BodyCount];
        _q = new double[_fk.CoordinateCount];
        _lengthPlus = new double[_muscles.Length];
        _lengthMinus = new double[_muscles.Length];
    }

    public MusculoskeletalModel Model { get; }

    public IReadOnlyList<Muscle> Muscles => _muscles;

    /// <summary>Step of the central differences, in coordinate units (rad or m).</summary>
    public double DifferenceStep { get; init; } = 1e-5;

    /// <summary>Index of a muscle in <see cref="Muscles"/>.</summary>
    public int IndexOf(string muscleName)
    {
        int i = Array.FindIndex(_muscles, m => m.Name == muscleName);
        return i >= 0 ? i : throw new KeyNotFoundException($"No muscle '{muscleName}' in this path set.");
    }

    /// <summary>Muscle-tendon lengths, m, of every muscle for coordinates <paramref name="q"/> (SI, model order).</summary>
    public void Lengths(ReadOnlySpan<double> q, Span<double> lengthsM)
    {
        _fk.Compute(q, _poses);
        for (int m = 0; m < _muscles.Length; m++)
        {
            lengthsM[m] = PathLength(_muscles[m], q, _poses);
        }
    }

    /// <summary>Muscle-tendon length of one muscle, m.</summary>
    public double Length(string muscleName, ReadOnlySpan<double> q)
    {
        _fk.Compute(q, _poses);
        return PathLength(_muscles[IndexOf(muscleName)], q, _poses);
    }

    /// <summary>The active path points of one muscle in ground, origin first, m.</summary>
    public IReadOnlyList<Vec3> PathInGround(string muscleName, ReadOnlySpan<double> q)
    {
        _fk.Compute(q, _poses);
        var points = new List<Vec3>();
        foreach (PathPoint p in _muscles[IndexOf(muscleName)].PathPoints)
        {
            if (IsActive(p, q))
            {
                points.Add(_poses[p.BodyIndex].ToGround(LocalLocation(p, q)));
            }
        }
        return points;
    }

    /// <summary>
    /// Moment arms of every muscle about each coordinate in <paramref name="coordinates"/>, m (or dimensionless for
    /// translational coordinates), muscle-major: <c>momentArms[muscle * coordinates.Length + j]</c>.
    /// </summary>
    public void MomentArms(ReadOnlySpan<double> q, ReadOnlySpan<int> coordinates, Span<double> momentArms)
    {
        int nc = coordinates.Length;
        if (momentArms.Length < _muscles.Length * nc)
        {
            throw new ArgumentException($"Need room for {_muscles.Length * nc} moment arms, got {momentArms.Length}.", nameof(momentArms));
        }
        double h = DifferenceStep;
        q.CopyTo(_q);
        for (int j = 0; j < nc; j++)
        {
            int c = coordinates[j];
            double qc = q[c];
            _q[c] = qc + h;
            Lengths(_q, _lengthPlus);
            _q[c] = qc - h;
            Lengths(_q, _lengthMinus);
            _q[c] = qc;
            for (int m = 0; m < _muscles.Length; m++)
            {
                momentArms[(m * nc) + j] = -(_lengthPlus[m] - _lengthMinus[m]) / (2 * h);
            }
        }
    }

    /// <summary>Moment arm of one muscle about one coordinate, m.</summary>
    public double MomentArm(string muscleName, string coordinateName, ReadOnlySpan<double> q)
    {
        int m = IndexOf(muscleName);
        int c = Model.CoordinateIndex(coordinateName);
        q.CopyTo(_q);
        double qc = q[c];
        _q[c] = qc + DifferenceStep;
        _fk.Compute(_q, _poses);
        double plus = PathLength(_muscles[m], _q, _poses);
        _q[c] = qc - DifferenceStep;
        _fk.Compute(_q, _poses);
        double minus = PathLength(_muscles[m], _q, _poses);
        return -(plus - minus) / (2 * DifferenceStep);
    }

    private static double PathLength(Muscle muscle, ReadOnlySpan<double> q, BodyPose[] poses)
    {
        double length = 0;
        bool first = true;
        Vec3 previous = Vec3.Zero;
        foreach (PathPoint p in muscle.PathPoints)
        {
            if (!IsActive(p, q))
            {
                continue;
            }
            Vec3 point = poses[p.BodyIndex].ToGround(LocalLocation(p, q));
            if (!first)
            {
                length += (point - previous).Length;
            }
            previous = point;
            first = false;
        }
        return length;
    }

    private static bool IsActive(PathPoint p, ReadOnlySpan<double> q) =>
        p is not ConditionalPathPoint c || c.IsActive(q[c.CoordinateIndex]);

    private static Vec3 LocalLocation(PathPoint p, ReadOnlySpan<double> q) =>
        p is MovingPathPoint moving ? moving.LocationAt(q) : p.LocationM;
}
