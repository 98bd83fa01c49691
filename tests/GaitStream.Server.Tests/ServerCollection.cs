namespace GaitStream.Server.Tests;

/// <summary>All server tests share one trained model (training it takes seconds).</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerModelFixture>
{
    public const string Name = "server";
}
