namespace GaitStream.Core.Schema;

/// <summary>One named channel of the schema with its kind and physical unit.</summary>
public sealed record Channel(string Name, ChannelKind Kind, string Unit);
