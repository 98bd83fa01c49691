using GaitStream.Core.Protocol;

namespace GaitStream.Inference.Cards;

/// <summary>Where a model's weights came from: the dataset, the split seed and the subject split it was trained under.</summary>
public sealed record ModelProvenance(string Dataset, int Seed, SubjectSplit? Split);
