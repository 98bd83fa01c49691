using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using GaitStream.Biomech.Functions;
using GaitStream.Biomech.Geometry;

namespace GaitStream.Biomech.Model;

/// <summary>
/// Reads OpenSim 4.x .osim models (<c>OpenSimDocument Version="40000"</c> and later: a <c>BodySet</c>, a separate
/// <c>JointSet</c> whose joints name their parent and child through <c>PhysicalOffsetFrame</c>s). Both example models
/// in the shared data use this layout. Supported joints: CustomJoint (SpatialTransform), PinJoint, WeldJoint; joint
/// functions: Constant, LinearFunction, SimmSpline, NaturalCubicSpline, PiecewiseLinearFunction, MultiplierFunction.
/// Muscles keep their path points (fixed, conditional, moving) and strength. Anything else is listed in
/// <see cref="MusculoskeletalModel.Warnings"/>; anything kinematics cannot do without is a <see cref="ModelFormatException"/>.
/// </summary>
public static class OsimModelReader
{
    private const int FirstJointSetVersion = 40000;

    private static readonly HashSet<string> ModelChildrenUsed = new(StringComparer.Ordinal)
    {
        "Ground", "BodySet", "JointSet", "ForceSet", "gravity", "credits", "publications", "length_units", "force_units",
        "defaults", "assembly_accuracy",
    };

    // Sets that do not change kinematics or inverse dynamics; reported when they hold objects.
    private static readonly HashSet<string> ModelSetsIgnored = new(StringComparer.Ordinal)
    {
        "ConstraintSet", "MarkerSet", "ContactGeometrySet", "ControllerSet", "ProbeSet", "ComponentSet",
    };

    private static readonly HashSet<string> BodyChildrenUsed = new(StringComparer.Ordinal)
    {
        "mass", "mass_center", "inertia", "FrameGeometry", "attached_geometry", "WrapObjectSet", "components",
        "inertia_xx", "inertia_yy", "inertia_zz", "inertia_xy", "inertia_xz", "inertia_yz",
    };

    private static readonly HashSet<string> JointChildrenUsed = new(StringComparer.Ordinal)
    {
        "socket_parent_frame", "socket_child_frame", "coordinates", "frames", "SpatialTransform", "reverse",
    };

    private static readonly HashSet<string> FunctionNames = new(StringComparer.Ordinal)
    {
        "Constant", "LinearFunction", "SimmSpline", "NaturalCubicSpline", "PiecewiseLinearFunction", "MultiplierFunction", "GCVSpline",
    };

    /// <summary>Reads a model file.</summary>
    public static MusculoskeletalModel Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"OpenSim model file not found: '{path}'.", path);
        }
        XDocument doc;
        try
        {
            doc = XDocument.Load(path);
        }
        catch (XmlException e)
        {
            throw new ModelFormatException($"{path}: not well-formed XML ({e.Message}).", e);
        }
        return Read(doc, path);
    }

    /// <summary>Reads a model from a parsed document; <paramref name="sourceName"/> names it in messages.</summary>
    public static MusculoskeletalModel Read(XDocument document, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(document);
        var ctx = new ReadContext(sourceName);
        XElement root = document.Root ?? throw ctx.Error("the document is empty");
        XElement modelEl = root.Name.LocalName == "Model" ? root : root.Element("Model") ?? throw ctx.Error("no <Model> element");
        if (int.TryParse((string?)root.Attribute("Version"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int version)
            && version < FirstJointSetVersion)
        {
            throw ctx.Error($"OpenSim document version {version} uses the pre-4.0 layout (joints nested in bodies under " +
                            "SimbodyEngine); only 4.x models (Version 40000+) are read. Open and save the model in OpenSim 4 to convert it");
        }
        if (modelEl.Element("SimbodyEngine") is not null)
        {
            throw ctx.Error("the model uses the pre-4.0 SimbodyEngine layout; only 4.x models with a JointSet are read");
        }

        string name = (string?)modelEl.Attribute("name") ?? Path.GetFileNameWithoutExtension(sourceName);
        foreach (XElement child in modelEl.Elements())
        {
            string tag = child.Name.LocalName;
            if (ModelSetsIgnored.Contains(tag))
            {
                int n = child.Element("objects")?.Elements().Count() ?? 0;
                if (n > 0)
                {
                    ctx.Warn($"{tag}: {n} object(s) not used by GaitStream ({string.Join(", ", child.Element("objects")!.Elements().Select(e => e.Name.LocalName).Distinct())})");
                }
            }
            else if (!ModelChildrenUsed.Contains(tag))
            {
                ctx.Warn($"Model/{tag}: unknown element ignored");
            }
        }
        string? lengthUnits = Text(modelEl.Element("length_units"));
        if (lengthUnits is not null && !lengthUnits.Equals("meters", StringComparison.OrdinalIgnoreCase))
        {
            throw ctx.Error($"length_units '{lengthUnits}': only meters are supported");
        }
        Vec3 gravity = modelEl.Element("gravity") is { } g ? ctx.ParseVec3(g) : new Vec3(0, -9.80665, 0);

        // Bodies: ground first.
        var bodies = new List<Body> { new(0, "ground", 0, Vec3.Zero, default) };
        foreach (XElement b in Objects(modelEl.Element("BodySet")))
        {
            bodies.Add(ReadBody(b, bodies.Count, ctx));
        }
        var bodyIndex = bodies.ToDictionary(b => b.Name, b => b.Index, StringComparer.Ordinal);

        // Joints and their coordinates (coordinates are numbered in JointSet order, as OpenSim lists them).
        var coordinates = new List<Coordinate>();
        var rawJoints = new List<Joint>();
        foreach (XElement j in Objects(modelEl.Element("JointSet")))
        {
            rawJoints.Add(ReadJoint(j, bodyIndex, coordinates, ctx));
        }
        List<Joint> joints = OrderTree(rawJoints, bodies, ctx);

        var coordinateIndex = coordinates.ToDictionary(c => c.Name, c => c.Index, StringComparer.Ordinal);
        var muscles = new List<Muscle>();
        foreach (XElement f in Objects(modelEl.Element("ForceSet")))
        {
            if (f.Element("GeometryPath") is not null && f.Element("max_isometric_force") is not null)
            {
                muscles.Add(ReadMuscle(f, bodyIndex, coordinateIndex, ctx));
            }
            else
            {
                ctx.Warn($"ForceSet: {f.Name.LocalName} '{Attr(f)}' is not a muscle; not loaded");
            }
        }

        return new MusculoskeletalModel(name, bodies, joints, coordinates, muscles, gravity, ctx.Warnings, sourceName);
    }

    private static Body ReadBody(XElement b, int index, ReadContext ctx)
    {
        string name = Attr(b) ?? throw ctx.Error($"a {b.Name.LocalName} without a name");
        foreach (XElement child in b.Elements())
        {
            if (!BodyChildrenUsed.Contains(child.Name.LocalName))
            {
                ctx.Warn($"Body '{name}': unknown element <{child.Name.LocalName}> ignored");
            }
        }
        int wraps = b.Element("WrapObjectSet")?.Element("objects")?.Elements().Count() ?? 0;
        if (wraps > 0)
        {
            ctx.Warn($"Body '{name}': {wraps} wrap object(s) ignored (muscle paths are straight lines between points)");
        }
        double mass = ctx.ParseDouble(b.Element("mass") ?? throw ctx.Error($"body '{name}' has no <mass>"));
        Vec3 com = b.Element("mass_center") is { } mc ? ctx.ParseVec3(mc) : Vec3.Zero;
        Mat33 inertia;
        if (b.Element("inertia") is { } inEl)
        {
            double[] v = ctx.ParseDoubles(inEl, 6);
            inertia = Mat33.SymmetricFromOpenSim(v[0], v[1], v[2], v[3], v[4], v[5]);
        }
        else
        {
            double I(string tag) => b.Element(tag) is { } e ? ctx.ParseDouble(e) : 0;
            inertia = Mat33.SymmetricFromOpenSim(I("inertia_xx"), I("inertia_yy"), I("inertia_zz"), I("inertia_xy"), I("inertia_xz"), I("inertia_yz"));
        }
        return new Body(index, name, mass, com, inertia);
    }

    private static Joint ReadJoint(XElement j, Dictionary<string, int> bodyIndex, List<Coordinate> coordinates, ReadContext ctx)
    {
        string type = j.Name.LocalName;
        string name = Attr(j) ?? throw ctx.Error($"a {type} without a name");
        JointKind kind = type switch
        {
            "CustomJoint" => JointKind.Custom,
            "PinJoint" => JointKind.Pin,
            "WeldJoint" => JointKind.Weld,
            _ => throw ctx.Error($"joint '{name}' is a {type}; supported joints are CustomJoint, PinJoint and WeldJoint"),
        };
        foreach (XElement child in j.Elements())
        {
            if (!JointChildrenUsed.Contains(child.Name.LocalName))
            {
                ctx.Warn($"Joint '{name}': unknown element <{child.Name.LocalName}> ignored");
            }
        }
        if (Text(j.Element("reverse")) is "true")
        {
            throw ctx.Error($"joint '{name}' is reversed; reversed joints are not supported");
        }

        (int parentBody, FrameOffset parentOffset) = ResolveFrame(j, "socket_parent_frame", name, bodyIndex, ctx);
        (int childBody, FrameOffset childOffset) = ResolveFrame(j, "socket_child_frame", name, bodyIndex, ctx);

        // Coordinates in the order the joint lists them; the motion type follows from the axes that use them.
        var coordEls = j.Element("coordinates")?.Elements("Coordinate").ToList() ?? [];
        var localNames = coordEls.Select(c => Attr(c) ?? throw ctx.Error($"joint '{name}' has a Coordinate without a name")).ToList();
        var axes = new List<TransformAxis>(6);
        int firstIndex = coordinates.Count;
        int LocalIndex(string coordName) =>
            localNames.IndexOf(coordName) is int k and >= 0
                ? firstIndex + k
                : throw ctx.Error($"joint '{name}': a transform axis uses coordinate '{coordName}', which the joint does not define");

        switch (kind)
        {
            case JointKind.Custom:
            {
                XElement st = j.Element("SpatialTransform") ?? throw ctx.Error($"CustomJoint '{name}' has no SpatialTransform");
                var axisEls = st.Elements("TransformAxis").ToList();
                if (axisEls.Count != 6)
                {
                    throw ctx.Error($"CustomJoint '{name}': SpatialTransform has {axisEls.Count} TransformAxis elements, expected 6");
                }
                for (int i = 0; i < 6; i++)
                {
                    XElement a = axisEls[i];
                    string axisName = Attr(a) ?? (i < 3 ? $"rotation{i + 1}" : $"translation{i - 2}");
                    string[] coords = (Text(a.Element("coordinates")) ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    if (coords.Length > 1)
                    {
                        throw ctx.Error($"joint '{name}' axis '{axisName}' depends on {coords.Length} coordinates; one is supported");
                    }
                    Vec3 axis = ctx.ParseVec3(a.Element("axis") ?? throw ctx.Error($"joint '{name}' axis '{axisName}' has no <axis>"));
                    XElement? fnEl = FunctionElement(a);
                    ModelFunction fn = fnEl is null
                        ? (coords.Length == 1 ? new LinearFunction(1, 0) : new ConstantFunction(0))
                        : ReadFunction(fnEl, $"joint '{name}' axis '{axisName}'", ctx);
                    int ci = coords.Length == 1 ? LocalIndex(coords[0]) : -1;
                    axes.Add(new TransformAxis(axisName, i < 3, axis.Normalized(), ci, coords.Length == 1 ? coords[0] : null, fn));
                }
                break;
            }
            case JointKind.Pin:
                if (localNames.Count != 1)
                {
                    throw ctx.Error($"PinJoint '{name}' defines {localNames.Count} coordinates, expected 1");
                }
                // A pin rotates about the common Z axis of its two offset frames.
                axes.AddRange(FixedAxes(rotationCoordinate: firstIndex, rotationName: localNames[0]));
                break;
            case JointKind.Weld:
                if (localNames.Count != 0)
                {
                    throw ctx.Error($"WeldJoint '{name}' defines coordinates");
                }
                axes.AddRange(FixedAxes(rotationCoordinate: -1, rotationName: null));
                break;
        }

        var indices = new List<int>();
        for (int k = 0; k < coordEls.Count; k++)
        {
            XElement c = coordEls[k];
            bool rotational = kind == JointKind.Pin || axes.Any(a => a.IsRotation && a.CoordinateIndex == firstIndex + k);
            double[] range = c.Element("range") is { } r ? ctx.ParseDoubles(r, 2) : [double.NegativeInfinity, double.PositiveInfinity];
            coordinates.Add(new Coordinate(
                firstIndex + k,
                localNames[k],
                name,
                rotational ? CoordinateMotion.Rotational : CoordinateMotion.Translational,
                c.Element("default_value") is { } dv ? ctx.ParseDouble(dv) : 0,
                range[0],
                range[1],
                Text(c.Element("locked")) is "true",
                Text(c.Element("clamped")) is "true"));
            if (Text(c.Element("prescribed")) is "true")
            {
                ctx.Warn($"Coordinate '{localNames[k]}' is prescribed in the model; the prescription is ignored");
            }
            indices.Add(firstIndex + k);
        }
        return new Joint(name, kind, parentBody, childBody, parentOffset, childOffset, axes, indices);
    }

    private static IEnumerable<TransformAxis> FixedAxes(int rotationCoordinate, string? rotationName)
    {
        yield return new TransformAxis("rotation1", true, new Vec3(0, 0, 1), rotationCoordinate, rotationName,
            rotationCoordinate >= 0 ? new LinearFunction(1, 0) : new ConstantFunction(0));
        yield return new TransformAxis("rotation2", true, new Vec3(1, 0, 0), -1, null, new ConstantFunction(0));
        yield return new TransformAxis("rotation3", true, new Vec3(0, 1, 0), -1, null, new ConstantFunction(0));
        yield return new TransformAxis("translation1", false, new Vec3(1, 0, 0), -1, null, new ConstantFunction(0));
        yield return new TransformAxis("translation2", false, new Vec3(0, 1, 0), -1, null, new ConstantFunction(0));
        yield return new TransformAxis("translation3", false, new Vec3(0, 0, 1), -1, null, new ConstantFunction(0));
    }

    // A joint socket names either one of the joint's own offset frames or a body / ground directly.
    private static (int Body, FrameOffset Offset) ResolveFrame(XElement joint, string socket, string jointName, Dictionary<string, int> bodyIndex, ReadContext ctx)
    {
        string target = Text(joint.Element(socket)) ?? throw ctx.Error($"joint '{jointName}' has no <{socket}>");
        XElement? frame = joint.Element("frames")?.Elements().FirstOrDefault(f => Attr(f) == target);
        if (frame is null)
        {
            return (BodyFromPath(target, jointName, bodyIndex, ctx), FrameOffset.Identity);
        }
        if (frame.Name.LocalName != "PhysicalOffsetFrame")
        {
            throw ctx.Error($"joint '{jointName}': frame '{target}' is a {frame.Name.LocalName}; only PhysicalOffsetFrame is supported");
        }
        string parent = Text(frame.Element("socket_parent")) ?? throw ctx.Error($"joint '{jointName}': frame '{target}' has no socket_parent");
        var offset = new FrameOffset(
            frame.Element("translation") is { } t ? ctx.ParseVec3(t) : Vec3.Zero,
            frame.Element("orientation") is { } o ? ctx.ParseVec3(o) : Vec3.Zero);
        return (BodyFromPath(parent, jointName, bodyIndex, ctx), offset);
    }

    private static int BodyFromPath(string path, string jointName, Dictionary<string, int> bodyIndex, ReadContext ctx)
    {
        string last = path.TrimEnd('/').Split('/')[^1];
        if (last is "ground" or "")
        {
            return 0;
        }
        return bodyIndex.TryGetValue(last, out int i)
            ? i
            : throw ctx.Error($"joint '{jointName}' refers to '{path}', which is neither a frame of the joint nor a body (chained offset frames are not supported)");
    }

    private static List<Joint> OrderTree(List<Joint> joints, List<Body> bodies, ReadContext ctx)
    {
        var byChild = new Dictionary<int, Joint>();
        foreach (Joint j in joints)
        {
            if (!byChild.TryAdd(j.ChildBodyIndex, j))
            {
                throw ctx.Error($"body '{bodies[j.ChildBodyIndex].Name}' is the child of two joints ('{byChild[j.ChildBodyIndex].Name}', '{j.Name}'); closed loops are not supported");
            }
        }
        var ordered = new List<Joint>(joints.Count);
        var placed = new HashSet<int> { 0 };
        while (ordered.Count < joints.Count)
        {
            int before = ordered.Count;
            foreach (Joint j in joints)
            {
                if (!placed.Contains(j.ChildBodyIndex) && placed.Contains(j.ParentBodyIndex))
                {
                    ordered.Add(j);
                    placed.Add(j.ChildBodyIndex);
                }
            }
            if (ordered.Count == before)
            {
                throw ctx.Error($"joints {string.Join(", ", joints.Except(ordered).Select(j => j.Name))} do not connect to ground");
            }
        }
        foreach (Body b in bodies.Skip(1))
        {
            if (!placed.Contains(b.Index))
            {
                throw ctx.Error($"body '{b.Name}' has no joint connecting it to the model");
            }
        }
        return ordered;
    }

    private static Muscle ReadMuscle(XElement m, Dictionary<string, int> bodyIndex, Dictionary<string, int> coordinateIndex, ReadContext ctx)
    {
        string name = Attr(m) ?? throw ctx.Error($"a {m.Name.LocalName} without a name");
        XElement path = m.Element("GeometryPath")!;
        int wraps = path.Element("PathWrapSet")?.Element("objects")?.Elements().Count() ?? 0;
        if (wraps > 0)
        {
            ctx.Warn($"Muscle '{name}': {wraps} path wrap(s) ignored");
        }
        var points = new List<PathPoint>();
        foreach (XElement p in Objects(path.Element("PathPointSet")))
        {
            string pname = Attr(p) ?? $"{name}-P{points.Count + 1}";
            string bodyRef = Text(p.Element("socket_parent_frame")) ?? Text(p.Element("body"))
                             ?? throw ctx.Error($"path point '{pname}' names no body");
            string bodyName = bodyRef.TrimEnd('/').Split('/')[^1];
            if (!bodyIndex.TryGetValue(bodyName, out int bi))
            {
                throw ctx.Error($"path point '{pname}' is on unknown body '{bodyRef}'");
            }
            switch (p.Name.LocalName)
            {
                case "PathPoint":
                    points.Add(new PathPoint(pname, bi, bodyName, ctx.ParseVec3(p.Element("location") ?? throw ctx.Error($"path point '{pname}' has no location"))));
                    break;
                case "ConditionalPathPoint":
                {
                    string coord = CoordinateName(Text(p.Element("socket_coordinate")) ?? Text(p.Element("coordinate")))
                                   ?? throw ctx.Error($"conditional path point '{pname}' names no coordinate");
                    double[] range = ctx.ParseDoubles(p.Element("range") ?? throw ctx.Error($"conditional path point '{pname}' has no range"), 2);
                    points.Add(new ConditionalPathPoint(pname, bi, bodyName,
                        ctx.ParseVec3(p.Element("location") ?? throw ctx.Error($"path point '{pname}' has no location")),
                        coord, CoordIndex(coord, pname), range[0], range[1]));
                    break;
                }
                case "MovingPathPoint":
                {
                    (ModelFunction f, int c) Axis(string axis)
                    {
                        XElement? loc = p.Element($"{axis}_location");
                        XElement? fnEl = loc is null ? null : FunctionElement(loc) ?? loc.Elements().FirstOrDefault(e => FunctionNames.Contains(e.Name.LocalName));
                        ModelFunction f = fnEl is null ? new ConstantFunction(0) : ReadFunction(fnEl, $"moving path point '{pname}' {axis}", ctx);
                        string? coord = CoordinateName(Text(p.Element($"socket_{axis}_coordinate")) ?? Text(p.Element($"{axis}_coordinate")));
                        return (f, coord is null ? -1 : CoordIndex(coord, pname));
                    }
                    var (fx, cx) = Axis("x");
                    var (fy, cy) = Axis("y");
                    var (fz, cz) = Axis("z");
                    points.Add(new MovingPathPoint(pname, bi, bodyName, fx, fy, fz, cx, cy, cz));
                    break;
                }
                default:
                    ctx.Warn($"Muscle '{name}': path point '{pname}' of type {p.Name.LocalName} ignored");
                    break;
            }
        }
        double D(string tag) => m.Element(tag) is { } e ? ctx.ParseDouble(e) : double.NaN;
        return new Muscle(name, m.Name.LocalName, D("max_isometric_force"), D("optimal_fiber_length"), D("tendon_slack_length"),
            D("pennation_angle_at_optimal"), points);

        int CoordIndex(string coord, string pname) =>
            coordinateIndex.TryGetValue(coord, out int ci) ? ci : throw ctx.Error($"path point '{pname}' uses unknown coordinate '{coord}'");
    }

    private static string? CoordinateName(string? socket) => socket?.TrimEnd('/').Split('/')[^1] is { Length: > 0 } s ? s : null;

    // The function of an axis or location: a known function element, possibly wrapped in <function>.
    private static XElement? FunctionElement(XElement owner)
    {
        foreach (XElement e in owner.Elements())
        {
            if (FunctionNames.Contains(e.Name.LocalName))
            {
                return e;
            }
            if (e.Name.LocalName == "function" && e.Elements().FirstOrDefault() is { } inner)
            {
                return inner;
            }
        }
        XElement? unknown = owner.Elements().FirstOrDefault(e => (string?)e.Attribute("name") == "function");
        return unknown;
    }

    private static ModelFunction ReadFunction(XElement f, string where, ReadContext ctx)
    {
        switch (f.Name.LocalName)
        {
            case "Constant":
                return new ConstantFunction(ctx.ParseDouble(f.Element("value") ?? throw ctx.Error($"{where}: Constant without <value>")));
            case "LinearFunction":
            {
                double[] c = ctx.ParseDoubles(f.Element("coefficients") ?? throw ctx.Error($"{where}: LinearFunction without coefficients"), 2);
                return new LinearFunction(c[0], c[1]);
            }
            case "SimmSpline":
            case "NaturalCubicSpline":
            case "PiecewiseLinearFunction":
            case "GCVSpline":
            {
                double[] x = ctx.ParseDoubles(f.Element("x") ?? throw ctx.Error($"{where}: {f.Name.LocalName} without <x>"), -1);
                double[] y = ctx.ParseDoubles(f.Element("y") ?? throw ctx.Error($"{where}: {f.Name.LocalName} without <y>"), x.Length);
                try
                {
                    switch (f.Name.LocalName)
                    {
                        case "SimmSpline":
                            return new SimmSpline(x, y);
                        case "PiecewiseLinearFunction":
                            return new PiecewiseLinearFunction(x, y);
                        case "GCVSpline":
                            ctx.Warn($"{where}: GCVSpline approximated by a natural cubic spline through the same points");
                            return new NaturalCubicSpline(x, y);
                        default:
                            return new NaturalCubicSpline(x, y);
                    }
                }
                catch (ArgumentException e)
                {
                    throw ctx.Error($"{where}: {e.Message}");
                }
            }
            case "MultiplierFunction":
            {
                XElement inner = f.Element("function")?.Elements().FirstOrDefault()
                                 ?? f.Elements().FirstOrDefault(e => FunctionNames.Contains(e.Name.LocalName))
                                 ?? throw ctx.Error($"{where}: MultiplierFunction without an inner function");
                double scale = f.Element("scale") is { } s ? ctx.ParseDouble(s) : 1;
                return new MultiplierFunction(ReadFunction(inner, where, ctx), scale);
            }
            default:
                throw ctx.Error($"{where}: function type {f.Name.LocalName} is not supported");
        }
    }

    private static IEnumerable<XElement> Objects(XElement? set) => set?.Element("objects")?.Elements() ?? [];

    private static string? Attr(XElement e) => (string?)e.Attribute("name");

    private static string? Text(XElement? e) => e is null ? null : e.Value.Trim();

    /// <summary>Per-file state: the source name for messages and the warnings gathered so far.</summary>
    private sealed class ReadContext(string source)
    {
        public List<string> Warnings { get; } = [];

        public void Warn(string message) => Warnings.Add(message);

        public ModelFormatException Error(string message) => new($"{source}: {message}.");

        public double ParseDouble(XElement e) => ParseDoubles(e, 1)[0];

        public Vec3 ParseVec3(XElement e)
        {
            double[] v = ParseDoubles(e, 3);
            return new Vec3(v[0], v[1], v[2]);
        }

        /// <summary>Whitespace-separated numbers; <paramref name="expected"/> = -1 accepts any count.</summary>
        public double[] ParseDoubles(XElement e, int expected)
        {
            string[] parts = e.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (expected >= 0 && parts.Length != expected)
            {
                throw Error($"<{e.Name.LocalName}> holds {parts.Length} numbers, expected {expected}");
            }
            var values = new double[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                {
                    values[i] = parts[i].ToUpperInvariant() switch
                    {
                        "INF" or "+INF" => double.PositiveInfinity,
                        "-INF" => double.NegativeInfinity,
                        "NAN" => double.NaN,
                        _ => throw Error($"<{e.Name.LocalName}>: '{parts[i]}' is not a number"),
                    };
                }
            }
            return values;
        }
    }
}
