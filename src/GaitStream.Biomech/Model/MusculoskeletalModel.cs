using GaitStream.Biomech.Geometry;

namespace GaitStream.Biomech.Model;

/// <summary>
/// A musculoskeletal model as read from an OpenSim .osim file: bodies (ground first), the joint tree in parent-before-
/// child order, the generalized coordinates, the muscles and gravity. Immutable; kinematics and dynamics engines
/// compile it into their own flat arrays. <see cref="Warnings"/> lists every element the reader did not use, so a
/// model that quietly lost a constraint or a wrap object says so.
/// </summary>
public sealed class MusculoskeletalModel
{
    private readonly Dictionary<string, int> _bodyIndex;
    private readonly Dictionary<string, int> _coordinateIndex;
    private readonly int[] _parentBody;

    public MusculoskeletalModel(
        string name,
        IReadOnlyList<Body> bodies,
        IReadOnlyList<Joint> joints,
        IReadOnlyList<Coordinate> coordinates,
        IReadOnlyList<Muscle> muscles,
        Vec3 gravityMps2,
        IReadOnlyList<string> warnings,
        string? sourcePath = null)
    {
        ArgumentNullException.ThrowIfNull(bodies);
        ArgumentNullException.ThrowIfNull(joints);
        ArgumentNullException.ThrowIfNull(coordinates);
        Name = name;
        Bodies = bodies;
        Joints = joints;
        Coordinates = coordinates;
        Muscles = muscles ?? [];
        GravityMps2 = gravityMps2;
        Warnings = warnings ?? [];
        SourcePath = sourcePath;

        _bodyIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < bodies.Count; i++)
        {
            if (bodies[i].Index != i)
            {
                throw new ArgumentException($"Body '{bodies[i].Name}' has index {bodies[i].Index} at position {i}.", nameof(bodies));
            }
            _bodyIndex.Add(bodies[i].Name, i);
        }
        _coordinateIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < coordinates.Count; i++)
        {
            _coordinateIndex.Add(coordinates[i].Name, i);
        }
        _parentBody = new int[bodies.Count];
        _parentBody[0] = -1;
        foreach (Joint j in joints)
        {
            _parentBody[j.ChildBodyIndex] = j.ParentBodyIndex;
        }
    }

    public string Name { get; }

    /// <summary>Bodies; index 0 is ground.</summary>
    public IReadOnlyList<Body> Bodies { get; }

    /// <summary>Joints ordered so every joint's parent body is placed by an earlier joint (or is ground).</summary>
    public IReadOnlyList<Joint> Joints { get; }

    public IReadOnlyList<Coordinate> Coordinates { get; }

    public IReadOnlyList<Muscle> Muscles { get; }

    public Vec3 GravityMps2 { get; }

    /// <summary>Elements present in the file that this reader ignored or approximated, one sentence each.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public string? SourcePath { get; }

    /// <summary>Sum of the body masses, kg: the body mass OpenSim results are normalised by.</summary>
    public double TotalMassKg => Bodies.Sum(b => b.MassKg);

    public int BodyIndex(string name) =>
        _bodyIndex.TryGetValue(name, out int i) ? i : throw new KeyNotFoundException($"Model '{Name}' has no body '{name}'.");

    public Body Body(string name) => Bodies[BodyIndex(name)];

    public bool TryGetBodyIndex(string name, out int index) => _bodyIndex.TryGetValue(name, out index);

    public int CoordinateIndex(string name) =>
        _coordinateIndex.TryGetValue(name, out int i) ? i : throw new KeyNotFoundException($"Model '{Name}' has no coordinate '{name}'.");

    public Coordinate Coordinate(string name) => Coordinates[CoordinateIndex(name)];

    public bool TryGetCoordinateIndex(string name, out int index) => _coordinateIndex.TryGetValue(name, out index);

    public Joint Joint(string name) =>
        Joints.FirstOrDefault(j => j.Name == name) ?? throw new KeyNotFoundException($"Model '{Name}' has no joint '{name}'.");

    /// <summary>The parent body of a body in the tree (-1 for ground).</summary>
    public int ParentBodyIndex(int bodyIndex) => _parentBody[bodyIndex];

    /// <summary>True when <paramref name="bodyIndex"/> is <paramref name="ancestorIndex"/> or lies below it in the tree.</summary>
    public bool IsInSubtree(int bodyIndex, int ancestorIndex)
    {
        for (int b = bodyIndex; b >= 0; b = _parentBody[b])
        {
            if (b == ancestorIndex)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// A full coordinate vector (SI units) from named values as files give them: rotational values in degrees when
    /// <paramref name="rotationalInDegrees"/> (IK .mot files), translations in metres. Unnamed coordinates keep their default.
    /// </summary>
    public double[] CoordinateVector(IReadOnlyDictionary<string, double> values, bool rotationalInDegrees)
    {
        ArgumentNullException.ThrowIfNull(values);
        double[] q = DefaultCoordinates();
        foreach ((string name, double value) in values)
        {
            int i = CoordinateIndex(name);
            q[i] = rotationalInDegrees && Coordinates[i].IsRotational ? value * (Math.PI / 180.0) : value;
        }
        return q;
    }

    /// <summary>Default coordinate values (SI units), the pose OpenSim assembles a model in.</summary>
    public double[] DefaultCoordinates() => Coordinates.Select(c => c.DefaultValue).ToArray();

    /// <summary>
    /// Muscles whose path has points on both sides of the joint (some in the child's subtree, some outside it):
    /// exactly the muscles that can produce a moment about that joint's coordinates.
    /// </summary>
    public IReadOnlyList<Muscle> MusclesCrossing(string jointName)
    {
        int child = Joint(jointName).ChildBodyIndex;
        return Muscles
            .Where(m => m.PathPoints.Any(p => IsInSubtree(p.BodyIndex, child)) && m.PathPoints.Any(p => !IsInSubtree(p.BodyIndex, child)))
            .ToList();
    }
}
