namespace GaitStream.Training.Tests.Models;

/// <summary>
/// Model tests seed torch's one global generator and then draw from it; a test running beside them on another
/// thread would draw from it too. This collection runs alone, after the parallel ones, on one torch thread.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalRng : ICollectionFixture<SingleThreadedTorch>
{
    public const string Name = "torch global RNG";
}
