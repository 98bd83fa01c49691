using GaitStream.Biomech.Geometry;
using GaitStream.Biomech.Kinematics;
using GaitStream.Biomech.Model;
using GaitStream.Core.OpenSim;

namespace GaitStream.Biomech.Dynamics;

/// <summary>
/// External loads compiled against a model: body indices resolved, columns looked up once, values linearly
/// interpolated in time (force-plate data are sampled far faster than kinematics). Outside the data's time range the
/// end sample is held.
/// </summary>
internal sealed class ExternalLoadSampler
{
    private readonly double[] _time;
    private readonly Compiled[] _forces;

    public ExternalLoadSampler(MusculoskeletalModel model, ExternalLoadSet loads)
    {
        StorageTable t = loads.Data;
        _time = t.Time;
        _forces = loads.Forces.Where(f => f.Enabled).Select(f => new Compiled(
            model.BodyIndex(f.AppliedToBody),
            model.BodyIndex(f.ForceExpressedInBody),
            model.BodyIndex(f.PointExpressedInBody),
            Columns(t, f.ForceIdentifier)!,
            Columns(t, f.PointIdentifier),
            Columns(t, f.TorqueIdentifier))).ToArray();
    }

    public int Count => _forces.Length;

    /// <summary>
    /// Load <paramref name="i"/> at <paramref name="timeS"/>: its body, and force, application point and free torque in
    /// ground. Forces or points expressed in a body are rotated (moved) with that body's pose.
    /// </summary>
    public (int Body, Vec3 ForceN, Vec3 PointM, Vec3 TorqueNm) Sample(int i, double timeS, ReadOnlySpan<BodyPose> poses)
    {
        Compiled f = _forces[i];
        (int k, double w) = Locate(timeS);
        Vec3 force = Interp(f.Force, k, w);
        Vec3 point = f.Point is null ? Vec3.Zero : Interp(f.Point, k, w);
        Vec3 torque = f.Torque is null ? Vec3.Zero : Interp(f.Torque, k, w);
        if (f.ForceFrame != 0)
        {
            force = poses[f.ForceFrame].Rotation * force;
            torque = poses[f.ForceFrame].Rotation * torque;
        }
        if (f.Point is null)
        {
            point = poses[f.Body].OriginM;
        }
        else if (f.PointFrame != 0)
        {
            point = poses[f.PointFrame].ToGround(point);
        }
        return (f.Body, force, point, torque);
    }

    private (int Index, double Weight) Locate(double t)
    {
        if (t <= _time[0])
        {
            return (0, 0);
        }
        if (t >= _time[^1])
        {
            return (_time.Length - 2, 1);
        }
        int hi = Array.BinarySearch(_time, t);
        if (hi >= 0)
        {
            return hi == _time.Length - 1 ? (hi - 1, 1) : (hi, 0);
        }
        int k = ~hi - 1;
        return (k, (t - _time[k]) / (_time[k + 1] - _time[k]));
    }

    private static Vec3 Interp(double[][] c, int k, double w) => new(
        c[0][k] + (w * (c[0][k + 1] - c[0][k])),
        c[1][k] + (w * (c[1][k + 1] - c[1][k])),
        c[2][k] + (w * (c[2][k + 1] - c[2][k])));

    private static double[][]? Columns(StorageTable t, string? prefix) =>
        prefix is null ? null : [t.Column(prefix + "x"), t.Column(prefix + "y"), t.Column(prefix + "z")];

    private sealed record Compiled(int Body, int ForceFrame, int PointFrame, double[][] Force, double[][]? Point, double[][]? Torque);
}
