namespace GaitStream.Server.Dashboard;

/// <summary>One estimate: the device frame it describes, its outputs in physical units and per kg, server latency.</summary>
public sealed record EstimatePoint(long Seq, double TimeS, IReadOnlyList<float> Values, IReadOnlyList<float> ValuesPerKg, double LatencyMs);
