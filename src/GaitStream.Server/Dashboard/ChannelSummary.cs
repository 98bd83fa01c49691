namespace GaitStream.Server.Dashboard;

/// <summary>One output channel of a session's model: name, physical unit (of <c>values</c>), unit per kg, kind.</summary>
public sealed record ChannelSummary(string Name, string Unit, string UnitPerKg, string Kind);
