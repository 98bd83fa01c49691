namespace GaitStream.Core.Schema;

/// <summary>
/// Which model muscles make up each hip muscle group (ARCHITECTURE.md, "Channel schema"). Member names are
/// without side suffix; a group's force is the sum of its members present in the source model.
/// </summary>
public sealed class MuscleGroupTable
{
    private MuscleGroupTable(MuscleModel model, IReadOnlyDictionary<string, IReadOnlyList<string>> members)
    {
        Model = model;
        Members = members;
    }

    public MuscleModel Model { get; }

    /// <summary>Group name (e.g. <c>glut_med</c>) → member muscle names without suffix.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Members { get; }

    public static MuscleGroupTable Gait2392 { get; } = new(MuscleModel.Gait2392, new Dictionary<string, IReadOnlyList<string>>
    {
        ["glut_max"] = ["glut_max1", "glut_max2", "glut_max3"],
        ["glut_med"] = ["glut_med1", "glut_med2", "glut_med3"],
        ["glut_min"] = ["glut_min1", "glut_min2", "glut_min3"],
        ["iliopsoas"] = ["iliacus", "psoas"],
        ["adductors"] = ["add_long", "add_brev", "add_mag1", "add_mag2", "add_mag3", "pect", "grac"],
        ["hamstrings"] = ["semimem", "semiten", "bifemlh"],
        ["rect_fem"] = ["rect_fem"],
        ["tfl"] = ["tfl"],
    });

    public static MuscleGroupTable Rajagopal { get; } = new(MuscleModel.Rajagopal, new Dictionary<string, IReadOnlyList<string>>
    {
        ["glut_max"] = ["glmax1", "glmax2", "glmax3"],
        ["glut_med"] = ["glmed1", "glmed2", "glmed3"],
        ["glut_min"] = ["glmin1", "glmin2", "glmin3"],
        ["iliopsoas"] = ["iliacus", "psoas"],
        ["adductors"] = ["addlong", "addbrev", "addmagDist", "addmagIsch", "addmagMid", "addmagProx", "grac"],
        ["hamstrings"] = ["semimem", "semiten", "bflh"],
        ["rect_fem"] = ["recfem"],
        ["tfl"] = ["tfl"],
    });

    public static MuscleGroupTable For(MuscleModel model) => model == MuscleModel.Rajagopal ? Rajagopal : Gait2392;

    /// <summary>
    /// The table whose sided member names (<c>name_r</c>, <c>name_l</c>) match most of <paramref name="columnLabels"/>;
    /// ties go to gait2392. Used when a force file does not say which model produced it.
    /// </summary>
    public static MuscleGroupTable Detect(IEnumerable<string> columnLabels)
    {
        ArgumentNullException.ThrowIfNull(columnLabels);
        var labels = columnLabels as IReadOnlySet<string> ?? new HashSet<string>(columnLabels, StringComparer.Ordinal);
        return Count(Rajagopal, labels) > Count(Gait2392, labels) ? Rajagopal : Gait2392;
    }

    private static int Count(MuscleGroupTable table, IReadOnlySet<string> labels) =>
        table.Members.Values.SelectMany(m => m).Distinct(StringComparer.Ordinal)
            .Sum(m => (labels.Contains(m + "_r") ? 1 : 0) + (labels.Contains(m + "_l") ? 1 : 0));
}
