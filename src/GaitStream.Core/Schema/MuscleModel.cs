namespace GaitStream.Core.Schema;

/// <summary>OpenSim model families whose muscle names the group tables know.</summary>
public enum MuscleModel
{
    /// <summary>gait2392 and its 54-muscle subset gait2354 (<c>glut_max1_r</c>, <c>add_long_r</c>, …).</summary>
    Gait2392,

    /// <summary>Rajagopal 2016 full-body model (<c>glmax1_r</c>, <c>addlong_r</c>, …).</summary>
    Rajagopal,
}
