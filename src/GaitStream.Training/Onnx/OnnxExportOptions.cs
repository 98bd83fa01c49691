namespace GaitStream.Training.Onnx;

/// <summary>What <see cref="OnnxExporter"/> writes besides the last-frame estimate.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>Also output every frame's estimate, <c>estimates_per_frame</c> [batch, frames, K]. Default false:
    /// the service needs the last frame only, and without it the heads run on one frame.</summary>
    public bool PerFrameOutput { get; init; }

    /// <summary>Written as the model's producer_version; default the GaitStream.Training assembly's version.</summary>
    public string? ProducerVersion { get; init; }

    /// <summary>Extra metadata_props (e.g. the model card's name, the z-score statistics as JSON). Keys starting
    /// with "gaitstream." are the exporter's own and may not be given here.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
