namespace GaitStream.Dashboard.Tests;

/// <summary>The test classes that share one <see cref="LiveServerFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class LiveServerGroup : ICollectionFixture<LiveServerFixture>
{
    public const string Name = "live server";
}
