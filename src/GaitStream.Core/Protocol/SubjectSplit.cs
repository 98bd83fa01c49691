namespace GaitStream.Core.Protocol;

/// <summary>
/// The result of <see cref="SubjectSplitter.Split"/>: which subjects train, validate and test a model, and which
/// are held out as an external cohort for zero-shot evaluation. Every subject is in exactly one list; each list
/// is sorted ordinally. The seed and fractions are kept so a report can say how the split was made.
/// </summary>
/// <param name="Seed">The seed the cohorts were shuffled with.</param>
/// <param name="Fractions">The train / validation / test fractions of the non-external subjects.</param>
/// <param name="ExternalCohorts">Cohorts held out entirely (sorted); empty when none.</param>
/// <param name="Train">Training subject ids.</param>
/// <param name="Validation">Validation subject ids.</param>
/// <param name="Test">Test subject ids.</param>
/// <param name="External">Subjects of the external cohorts: never trained on, evaluated zero-shot.</param>
public sealed record SubjectSplit(
    int Seed,
    SplitFractions Fractions,
    IReadOnlyList<string> ExternalCohorts,
    IReadOnlyList<string> Train,
    IReadOnlyList<string> Validation,
    IReadOnlyList<string> Test,
    IReadOnlyList<string> External);
