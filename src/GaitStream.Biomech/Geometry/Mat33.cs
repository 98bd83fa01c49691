namespace GaitStream.Biomech.Geometry;

/// <summary>
/// A 3×3 matrix in double precision, row-major (<c>M12</c> is row 1, column 2). Used for rotation matrices
/// (columns are the rotated frame's axes expressed in the reference frame) and inertia tensors.
/// </summary>
public readonly record struct Mat33(
    double M11, double M12, double M13,
    double M21, double M22, double M23,
    double M31, double M32, double M33)
{
    public static Mat33 Identity => new(1, 0, 0, 0, 1, 0, 0, 0, 1);

    public double this[int row, int column] => (row, column) switch
    {
        (0, 0) => M11,
        (0, 1) => M12,
        (0, 2) => M13,
        (1, 0) => M21,
        (1, 1) => M22,
        (1, 2) => M23,
        (2, 0) => M31,
        (2, 1) => M32,
        (2, 2) => M33,
        _ => throw new ArgumentOutOfRangeException(nameof(row), "Row and column must be 0, 1 or 2."),
    };

    public Mat33 Transpose() => new(M11, M21, M31, M12, M22, M32, M13, M23, M33);

    public Vec3 Column(int c) => c switch
    {
        0 => new Vec3(M11, M21, M31),
        1 => new Vec3(M12, M22, M32),
        2 => new Vec3(M13, M23, M33),
        _ => throw new ArgumentOutOfRangeException(nameof(c), c, "Column must be 0, 1 or 2."),
    };

    public static Mat33 operator *(Mat33 a, Mat33 b) => new(
        (a.M11 * b.M11) + (a.M12 * b.M21) + (a.M13 * b.M31),
        (a.M11 * b.M12) + (a.M12 * b.M22) + (a.M13 * b.M32),
        (a.M11 * b.M13) + (a.M12 * b.M23) + (a.M13 * b.M33),
        (a.M21 * b.M11) + (a.M22 * b.M21) + (a.M23 * b.M31),
        (a.M21 * b.M12) + (a.M22 * b.M22) + (a.M23 * b.M32),
        (a.M21 * b.M13) + (a.M22 * b.M23) + (a.M23 * b.M33),
        (a.M31 * b.M11) + (a.M32 * b.M21) + (a.M33 * b.M31),
        (a.M31 * b.M12) + (a.M32 * b.M22) + (a.M33 * b.M32),
        (a.M31 * b.M13) + (a.M32 * b.M23) + (a.M33 * b.M33));

    public static Vec3 operator *(Mat33 a, Vec3 v) => new(
        (a.M11 * v.X) + (a.M12 * v.Y) + (a.M13 * v.Z),
        (a.M21 * v.X) + (a.M22 * v.Y) + (a.M23 * v.Z),
        (a.M31 * v.X) + (a.M32 * v.Y) + (a.M33 * v.Z));

    public static Mat33 operator +(Mat33 a, Mat33 b) => new(
        a.M11 + b.M11, a.M12 + b.M12, a.M13 + b.M13,
        a.M21 + b.M21, a.M22 + b.M22, a.M23 + b.M23,
        a.M31 + b.M31, a.M32 + b.M32, a.M33 + b.M33);

    public static Mat33 operator -(Mat33 a, Mat33 b) => new(
        a.M11 - b.M11, a.M12 - b.M12, a.M13 - b.M13,
        a.M21 - b.M21, a.M22 - b.M22, a.M23 - b.M23,
        a.M31 - b.M31, a.M32 - b.M32, a.M33 - b.M33);

    public static Mat33 operator *(double s, Mat33 a) => new(
        s * a.M11, s * a.M12, s * a.M13,
        s * a.M21, s * a.M22, s * a.M23,
        s * a.M31, s * a.M32, s * a.M33);

    /// <summary>Rotation by <paramref name="angleRad"/> about the unit vector <paramref name="unitAxis"/> (Rodrigues).</summary>
    public static Mat33 FromAxisAngle(Vec3 unitAxis, double angleRad)
    {
        (double s, double c) = Math.SinCos(angleRad);
        double t = 1 - c;
        double x = unitAxis.X, y = unitAxis.Y, z = unitAxis.Z;
        return new Mat33(
            (t * x * x) + c, (t * x * y) - (s * z), (t * x * z) + (s * y),
            (t * x * y) + (s * z), (t * y * y) + c, (t * y * z) - (s * x),
            (t * x * z) - (s * y), (t * y * z) + (s * x), (t * z * z) + c);
    }

    /// <summary>
    /// Body-fixed X-Y-Z Euler angles (first about X, then the new Y, then the newest Z): R = Rx·Ry·Rz.
    /// This is how OpenSim reads <c>orientation</c> / <c>orientation_in_parent</c> of frames.
    /// </summary>
    public static Mat33 FromBodyFixedXyz(Vec3 anglesRad) =>
        FromAxisAngle(new Vec3(1, 0, 0), anglesRad.X)
        * FromAxisAngle(new Vec3(0, 1, 0), anglesRad.Y)
        * FromAxisAngle(new Vec3(0, 0, 1), anglesRad.Z);

    /// <summary>The symmetric tensor from OpenSim's inertia order [Ixx Iyy Izz Ixy Ixz Iyz].</summary>
    public static Mat33 SymmetricFromOpenSim(double ixx, double iyy, double izz, double ixy, double ixz, double iyz) =>
        new(ixx, ixy, ixz, ixy, iyy, iyz, ixz, iyz, izz);

    /// <summary>
    /// The vector w of the skew-symmetric part of this matrix, so that for a skew matrix W·v = w × v. Used to read
    /// angular velocities out of Ṙ·Rᵀ, which is skew only up to finite-difference error.
    /// </summary>
    public Vec3 SkewVector() => new(0.5 * (M32 - M23), 0.5 * (M13 - M31), 0.5 * (M21 - M12));

    public static Mat33 Skew(Vec3 w) => new(0, -w.Z, w.Y, w.Z, 0, -w.X, -w.Y, w.X, 0);
}
