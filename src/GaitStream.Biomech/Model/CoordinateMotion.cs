namespace GaitStream.Biomech.Model;

/// <summary>Whether a coordinate is an angle (radians in the model, degrees in IK files) or a length (metres).</summary>
public enum CoordinateMotion
{
    Rotational,
    Translational,
}
