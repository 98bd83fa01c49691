using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using GaitStream.Biomech.Model;
using GaitStream.Core.OpenSim;

namespace GaitStream.Biomech.Dynamics;

/// <summary>
/// An OpenSim ExternalLoads file (2.x <c>Version="20302"</c> and 4.x layouts) with its data table: typically ground
/// reactions from force plates acting on calcn_r / calcn_l, expressed in ground. Elements the reader does not use are
/// listed in <see cref="Warnings"/>.
/// </summary>
public sealed class ExternalLoadSet
{
    private static readonly HashSet<string> ForceChildrenUsed = new(StringComparer.Ordinal)
    {
        "applied_to_body", "force_expressed_in_body", "point_expressed_in_body", "force_identifier", "point_identifier",
        "torque_identifier", "data_source_name", "isDisabled", "appliesForce",
    };

    public ExternalLoadSet(
        IReadOnlyList<ExternalForceSpec> forces,
        StorageTable data,
        double? lowpassCutoffForLoadKinematicsHz = null,
        string? loadKinematicsFile = null,
        IReadOnlyList<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(forces);
        ArgumentNullException.ThrowIfNull(data);
        Forces = forces;
        Data = data;
        LowpassCutoffForLoadKinematicsHz = lowpassCutoffForLoadKinematicsHz;
        LoadKinematicsFile = loadKinematicsFile;
        Warnings = warnings ?? [];
        foreach (ExternalForceSpec f in forces.Where(f => f.Enabled))
        {
            foreach (string? prefix in new[] { f.ForceIdentifier, f.PointIdentifier, f.TorqueIdentifier })
            {
                if (prefix is null)
                {
                    continue;
                }
                foreach (char axis in "xyz")
                {
                    if (!data.HasColumn(prefix + axis))
                    {
                        throw new ModelFormatException(
                            $"{data.SourcePath ?? data.Name}: external force '{f.Name}' needs column '{prefix}{axis}', which the data file lacks.");
                    }
                }
            }
        }
    }

    public IReadOnlyList<ExternalForceSpec> Forces { get; }

    /// <summary>The force / point / torque table (e.g. a 600 Hz GRF .mot).</summary>
    public StorageTable Data { get; }

    /// <summary>
    /// <c>lowpass_cutoff_frequency_for_load_kinematics</c> when the file sets one; null when absent. It only matters
    /// for forces or points expressed in a moving body, which are transformed with (filtered) model kinematics.
    /// </summary>
    public double? LowpassCutoffForLoadKinematicsHz { get; }

    public string? LoadKinematicsFile { get; }

    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Reads an ExternalLoads xml and its <c>datafile</c> (resolved next to the xml) unless <paramref name="data"/> is given.</summary>
    public static ExternalLoadSet Read(string xmlPath, StorageTable? data = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(xmlPath);
        if (!File.Exists(xmlPath))
        {
            throw new FileNotFoundException($"ExternalLoads file not found: '{xmlPath}'.", xmlPath);
        }
        XDocument doc;
        try
        {
            doc = XDocument.Load(xmlPath);
        }
        catch (XmlException e)
        {
            throw new ModelFormatException($"{xmlPath}: not well-formed XML ({e.Message}).", e);
        }
        XElement loads = doc.Root?.Name.LocalName == "ExternalLoads" ? doc.Root : doc.Root?.Element("ExternalLoads")
                         ?? throw new ModelFormatException($"{xmlPath}: no <ExternalLoads> element.");
        var warnings = new List<string>();
        var forces = new List<ExternalForceSpec>();
        foreach (XElement f in loads.Element("objects")?.Elements() ?? [])
        {
            if (f.Name.LocalName != "ExternalForce")
            {
                warnings.Add($"ExternalLoads: {f.Name.LocalName} '{(string?)f.Attribute("name")}' is not an ExternalForce; ignored");
                continue;
            }
            string name = (string?)f.Attribute("name") ?? $"force{forces.Count + 1}";
            foreach (XElement child in f.Elements().Where(c => !ForceChildrenUsed.Contains(c.Name.LocalName)))
            {
                warnings.Add($"ExternalForce '{name}': unknown element <{child.Name.LocalName}> ignored");
            }
            bool enabled = Text(f.Element("isDisabled")) is not "true" && Text(f.Element("appliesForce")) is not "false";
            forces.Add(new ExternalForceSpec(
                name,
                Text(f.Element("applied_to_body")) ?? throw new ModelFormatException($"{xmlPath}: ExternalForce '{name}' has no applied_to_body."),
                Text(f.Element("force_expressed_in_body")) ?? "ground",
                Text(f.Element("point_expressed_in_body")) ?? "ground",
                Text(f.Element("force_identifier")) ?? throw new ModelFormatException($"{xmlPath}: ExternalForce '{name}' has no force_identifier."),
                NullIfEmpty(Text(f.Element("point_identifier"))),
                NullIfEmpty(Text(f.Element("torque_identifier"))),
                enabled));
            if (Text(f.Element("data_source_name")) is { } ds && ds != "Unassigned" && ds.Length > 0)
            {
                warnings.Add($"ExternalForce '{name}': data_source_name '{ds}' ignored; the ExternalLoads datafile supplies the data");
            }
        }
        foreach (XElement child in loads.Elements())
        {
            if (child.Name.LocalName is not ("objects" or "groups" or "datafile" or "external_loads_model_kinematics_file"
                or "lowpass_cutoff_frequency_for_load_kinematics" or "defaults"))
            {
                warnings.Add($"ExternalLoads: unknown element <{child.Name.LocalName}> ignored");
            }
        }

        double? cutoff = null;
        if (Text(loads.Element("lowpass_cutoff_frequency_for_load_kinematics")) is { } c
            && double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out double hz) && hz > 0)
        {
            cutoff = hz;
        }
        string? kinematics = NullIfEmpty(Text(loads.Element("external_loads_model_kinematics_file")));

        if (data is null)
        {
            string file = NullIfEmpty(Text(loads.Element("datafile")))
                          ?? throw new ModelFormatException($"{xmlPath}: no <datafile>; pass the data table explicitly.");
            string full = Path.IsPathRooted(file) ? file : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(xmlPath))!, file);
            data = StorageReader.Read(full);
        }
        return new ExternalLoadSet(forces, data, cutoff, kinematics, warnings);
    }

    private static string? Text(XElement? e) => e?.Value.Trim();

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
