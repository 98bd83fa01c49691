namespace GaitStream.Synth.Reports;

/// <summary>A published range a cohort statistic is checked against (the mean over subjects must lie in it).</summary>
public sealed record PlausibilityCheck(string Name, string Group, double Value, double Min, double Max, string Source)
{
    public bool Passed => Value >= Min && Value <= Max;
}
