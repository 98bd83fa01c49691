using GaitStream.Training.Runtime;
using TorchSharp;

namespace GaitStream.Training.Tests.Models;

/// <summary>
/// Loads the backend and limits torch to one intra-op thread for the model tests. Their tensors are tiny; on a
/// small shared machine two OpenMP threads spin-waiting for a busy core made the same tests run 6–8× slower
/// (measured: 6–8 s with one thread, 42–51 s with two, while other builds ran).
/// </summary>
public sealed class SingleThreadedTorch
{
    public SingleThreadedTorch()
    {
        TorchRuntime.EnsureInitialized();
        torch.set_num_threads(1);
    }
}
