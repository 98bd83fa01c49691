using System.Text.Json;

namespace GaitStream.Core.Datasets;

/// <summary>
/// <c>dataset.json</c>: the dataset's name and provenance, what its conditions and cohorts mean, and optionally
/// its channel lists. Unknown keys are allowed (labs add their own).
/// </summary>
public sealed record DatasetManifest(
    string Name,
    string? Provenance,
    IReadOnlyDictionary<string, string> Conditions,
    IReadOnlyDictionary<string, string> Cohorts,
    IReadOnlyList<string>? InputChannels,
    IReadOnlyList<string>? OutputChannels)
{
    public static DatasetManifest Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new DatasetValidationException(Path.GetDirectoryName(path) ?? path, [$"dataset.json: missing (expected at '{path}')."]);
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new DatasetValidationException(Path.GetDirectoryName(path) ?? path,
                [$"dataset.json: not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}"]);
        }
        using (doc)
        {
            var problems = new List<string>();
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new DatasetValidationException(Path.GetDirectoryName(path) ?? path, ["dataset.json: the top level must be an object."]);
            }
            string? name = root.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            if (string.IsNullOrWhiteSpace(name))
            {
                problems.Add("dataset.json: \"name\" (a string) is required.");
            }
            string? provenance = root.TryGetProperty("provenance", out JsonElement p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            var conditions = StringMap(root, "conditions", problems);
            var cohorts = StringMap(root, "cohorts", problems);
            IReadOnlyList<string>? inputs = null;
            IReadOnlyList<string>? outputs = null;
            if (root.TryGetProperty("channels", out JsonElement ch) && ch.ValueKind == JsonValueKind.Object)
            {
                inputs = StringList(ch, "inputs", problems);
                outputs = StringList(ch, "outputs", problems);
            }
            if (problems.Count > 0)
            {
                throw new DatasetValidationException(Path.GetDirectoryName(path) ?? path, problems);
            }
            return new DatasetManifest(name!, provenance, conditions, cohorts, inputs, outputs);
        }
    }

    private static Dictionary<string, string> StringMap(JsonElement root, string key, List<string> problems)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!root.TryGetProperty(key, out JsonElement e))
        {
            return map;
        }
        if (e.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"dataset.json: \"{key}\" must be an object mapping names to descriptions.");
            return map;
        }
        foreach (JsonProperty prop in e.EnumerateObject())
        {
            map[prop.Name] = prop.Value.ValueKind == JsonValueKind.String ? prop.Value.GetString()! : prop.Value.GetRawText();
        }
        return map;
    }

    private static List<string>? StringList(JsonElement parent, string key, List<string> problems)
    {
        if (!parent.TryGetProperty(key, out JsonElement e))
        {
            return null;
        }
        if (e.ValueKind != JsonValueKind.Array || e.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
        {
            problems.Add($"dataset.json: \"channels.{key}\" must be an array of channel names.");
            return null;
        }
        return [.. e.EnumerateArray().Select(x => x.GetString()!)];
    }
}
