namespace GaitStream.Trainer;

/// <summary>The training budget every model of a run gets (the benchmark gives all architectures the same one).</summary>
/// <param name="Epochs">Maximum epochs (early stopping with patience 10 may end sooner).</param>
/// <param name="BatchSize">Windows per AdamW step.</param>
/// <param name="LearningRate">Peak learning rate.</param>
/// <param name="Seed">Seeds the initial weights, dropout and the epoch shuffles (the split has its own seed option, the same by default).</param>
/// <param name="WindowS">Causal window length, seconds.</param>
/// <param name="StrideFrames">Frames between training (and validation) window targets; test metrics always use every frame.</param>
/// <param name="Device">"auto", "cpu", "cuda" or "cuda:N".</param>
internal sealed record TrainSettings(int Epochs, int BatchSize, double LearningRate, int Seed, double WindowS, int StrideFrames, string Device)
{
    public int WindowFrames(double sampleRateHz)
    {
        int frames = (int)Math.Round(WindowS * sampleRateHz);
        return frames >= 2 ? frames
            : throw new ArgumentException($"--window-s {WindowS} s is {frames} frame(s) at {sampleRateHz} Hz; a window needs at least 2.");
    }
}
