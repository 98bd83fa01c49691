namespace GaitStream.Biomech.Model;

/// <summary>
/// A joint of the tree: the child body moves relative to the parent through six transform axes between the parent
/// offset frame F (fixed in the parent) and the child offset frame M (fixed in the child).
/// </summary>
public sealed record Joint(
    string Name,
    JointKind Kind,
    int ParentBodyIndex,
    int ChildBodyIndex,
    FrameOffset ParentOffset,
    FrameOffset ChildOffset,
    IReadOnlyList<TransformAxis> Axes,
    IReadOnlyList<int> CoordinateIndices);
