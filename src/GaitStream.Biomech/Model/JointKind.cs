namespace GaitStream.Biomech.Model;

/// <summary>The OpenSim joint types the reader understands; Pin and Weld are expressed as fixed spatial transforms.</summary>
public enum JointKind
{
    Custom,
    Pin,
    Weld,
}
