using GaitStream.Core.OpenSim;

namespace GaitStream.Core.Schema;

/// <summary>
/// Hip muscle-group forces summed from an OpenSim force file (static optimization <c>_so_force.sto</c>, CMC
/// <c>ActuatorForces</c>, or any file whose columns are muscle names with side suffix). Forces in N, channel order
/// <see cref="ChannelSchema.GroupForces"/>. <see cref="MissingMembers"/> says, per group channel, which members the
/// file lacked, so a user can see e.g. that gait2354 has no glut_min.
/// </summary>
public sealed record GroupForces(
    MuscleModel Model,
    double[] Time,
    double[][] ForcesN,
    IReadOnlyDictionary<string, IReadOnlyList<string>> MissingMembers)
{
    /// <summary>Group channels with no member present at all (their force is all zeros).</summary>
    public IReadOnlyList<string> EmptyGroups =>
        [.. ChannelSchema.GroupForces.Where(g => MissingMembers.TryGetValue(g, out var m) && m.Count == MemberCount(g))];

    /// <summary>Sums the group members found in <paramref name="forces"/>; the model is detected unless given.</summary>
    public static GroupForces FromForceTable(StorageTable forces, MuscleGroupTable? table = null)
    {
        ArgumentNullException.ThrowIfNull(forces);
        table ??= MuscleGroupTable.Detect(forces.ColumnLabels);

        var result = new double[ChannelSchema.GroupForces.Count][];
        var missing = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        int channel = 0;
        foreach (Side side in (Side[])[Side.Right, Side.Left])
        {
            string suffix = ChannelSchema.Suffix(side);
            foreach (string group in ChannelSchema.MuscleGroups)
            {
                var sum = new double[forces.RowCount];
                var absent = new List<string>();
                foreach (string member in table.Members[group])
                {
                    if (forces.TryGetColumn(member + suffix, out double[] column))
                    {
                        for (int i = 0; i < sum.Length; i++)
                        {
                            sum[i] += column[i];
                        }
                    }
                    else
                    {
                        absent.Add(member + suffix);
                    }
                }
                string name = group + suffix;
                result[channel++] = sum;
                if (absent.Count > 0)
                {
                    missing[name] = absent;
                }
            }
        }

        if (missing.Count == ChannelSchema.GroupForces.Count && missing.Values.Sum(m => m.Count) == table.Members.Values.Sum(m => m.Count) * 2)
        {
            throw new InvalidDataException(
                $"{forces.SourcePath ?? forces.Name}: none of the {table.Model} hip muscles (e.g. glut_med1_r, glmed1_r) is a column; " +
                "is this a muscle force file (static optimization or CMC output)?");
        }
        return new GroupForces(table.Model, forces.Time, result, missing);
    }

    private int MemberCount(string groupChannel)
    {
        string group = groupChannel[..^2];
        return MuscleGroupTable.For(Model).Members[group].Count;
    }
}
