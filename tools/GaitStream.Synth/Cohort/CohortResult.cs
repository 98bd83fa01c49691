namespace GaitStream.Synth.Cohort;

/// <summary>What <see cref="CohortGenerator"/> wrote: subjects, trials (sorted by subject then condition) and the report's files.</summary>
public sealed record CohortResult(string Root, GaitStream.Synth.Kinematics.GaitTemplate Template, IReadOnlyList<SubjectProfile> Subjects, IReadOnlyList<GeneratedTrial> Trials, IReadOnlyList<string> Figures);
