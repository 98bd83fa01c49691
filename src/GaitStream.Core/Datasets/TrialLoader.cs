using GaitStream.Core.OpenSim;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Schema;

namespace GaitStream.Core.Datasets;

/// <summary>
/// Turns OpenSim files into a <see cref="TrialData"/> in schema channels and units: IK angles in degrees
/// (converted from radians when the header says <c>inDegrees=no</c>), ID hip moments divided by body mass,
/// muscle forces summed into groups and divided by body mass. Works for a dataset row or bare files.
/// </summary>
public static class TrialLoader
{
    /// <summary>Loads a bare trial: an IK file, optional ID and force files, and the subject's body mass.</summary>
    public static TrialData LoadBare(string ikPath, string? idPath, string? forcesPath, double bodyMassKg) =>
        Load(ikPath, idPath, forcesPath, bodyMassKg, TrialLabels.Bare(ikPath));

    public static TrialData Load(string ikPath, string? idPath, string? forcesPath, double bodyMassKg, TrialLabels labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        BodyMassNormalizer.Validate(bodyMassKg);

        StorageTable ik = StorageReader.Read(ikPath);
        Signal angles = Angles(ik);

        Signal? moments = null;
        if (idPath is not null)
        {
            StorageTable id = StorageReader.Read(idPath);
            double[][] values = Select(id, ChannelSchema.HipMoments, "inverse-dynamics", s => s);
            BodyMassNormalizer.Normalize(values, bodyMassKg);
            moments = new Signal(id.Time, ChannelSchema.HipMoments, values, ChannelSchema.MomentUnit);
        }

        Signal? forces = null;
        IReadOnlyDictionary<string, IReadOnlyList<string>> missing = new Dictionary<string, IReadOnlyList<string>>();
        if (forcesPath is not null)
        {
            GroupForces groups = GroupForces.FromForceTable(StorageReader.Read(forcesPath));
            double[][] perKg = [.. groups.ForcesN.Select(c => c.ToArray())];
            BodyMassNormalizer.Normalize(perKg, bodyMassKg);
            forces = new Signal(groups.Time, ChannelSchema.GroupForces, perKg, ChannelSchema.ForceUnit);
            missing = groups.MissingMembers;
        }

        return new TrialData(labels, bodyMassKg, angles, moments, forces, missing);
    }

    /// <summary>The ten schema input angles of an IK table, in degrees.</summary>
    public static Signal Angles(StorageTable ik)
    {
        ArgumentNullException.ThrowIfNull(ik);
        bool inDegrees = ik.InDegrees ?? throw new InvalidDataException(
            $"{ik.SourcePath ?? ik.Name}: the header does not say whether angles are in degrees; add 'inDegrees=yes' or 'inDegrees=no' before 'endheader'.");
        double scale = inDegrees ? 1.0 : 180.0 / Math.PI;
        double[][] values = Select(ik, ChannelSchema.InputAngles, "inverse-kinematics", v => v * scale);
        return new Signal(ik.Time, ChannelSchema.InputAngles, values, ChannelSchema.AngleUnit);
    }

    private static double[][] Select(StorageTable table, IReadOnlyList<string> channels, string what, Func<double, double> map)
    {
        var missing = channels.Where(c => !table.HasColumn(c)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException(
                $"{table.SourcePath ?? table.Name}: this {what} file lacks {missing.Count} of the {channels.Count} channels GaitStream needs: " +
                $"{string.Join(", ", missing)}.");
        }
        var result = new double[channels.Count][];
        for (int i = 0; i < channels.Count; i++)
        {
            double[] source = table.Column(channels[i]);
            var dest = new double[source.Length];
            for (int k = 0; k < source.Length; k++)
            {
                dest[k] = map(source[k]);
            }
            result[i] = dest;
        }
        return result;
    }
}
