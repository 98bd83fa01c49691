namespace GaitStream.Inference.Tests;

/// <summary>All tests that need an exported model share one training run (torch state is process-wide anyway).</summary>
[CollectionDefinition(Name)]
public sealed class ExportedModelGroup : ICollectionFixture<ExportedModelFixture>
{
    public const string Name = "exported model";
}
