namespace GaitStream.Biomech.Kinematics;

/// <summary>Frame selection shared by trajectories and results.</summary>
internal static class Frames
{
    /// <summary>Every <paramref name="step"/>-th value from the first.</summary>
    public static double[] Every(double[] values, int step)
    {
        var result = new double[(values.Length + step - 1) / step];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = values[i * step];
        }
        return result;
    }
}
