namespace GaitStream.Core.Schema;

/// <summary>Body side, with OpenSim's suffix convention (<c>_r</c>, <c>_l</c>).</summary>
public enum Side
{
    Right,
    Left,
}
