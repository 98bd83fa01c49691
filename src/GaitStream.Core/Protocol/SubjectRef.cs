namespace GaitStream.Core.Protocol;

/// <summary>One subject of a dataset as the split sees it: its id and the cohort it belongs to.</summary>
/// <param name="SubjectId">Unique subject id (compared ordinally, case-sensitive).</param>
/// <param name="Cohort">Cohort name, e.g. <c>healthy</c> or <c>onfh</c>; the split is stratified by it.</param>
public sealed record SubjectRef(string SubjectId, string Cohort);
