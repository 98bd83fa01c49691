namespace GaitStream.Inference.Registry;

/// <summary>A file in the models folder that does not make a usable model, and why.</summary>
public sealed record ModelProblem(string File, string Message);
