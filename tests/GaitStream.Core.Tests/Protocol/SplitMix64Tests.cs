using GaitStream.Core.Protocol;

namespace GaitStream.Core.Tests.Protocol;

public class SplitMix64Tests
{
    [Fact]
    public void Matches_the_reference_splitmix64_sequence()
    {
        // Reference outputs of Vigna's splitmix64.c for seed 1234567 (also listed on Rosetta Code).
        SplitMix64 rng = new(1234567);
        ulong[] expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821];

        ulong[] actual = [.. expected.Select(_ => rng.Next())];

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Bounded_draws_stay_in_range_and_cover_it()
    {
        SplitMix64 rng = new(7);
        int[] seen = new int[5];
        for (int i = 0; i < 5000; i++)
        {
            seen[rng.NextBelow(5)]++;
        }

        // Each value expected 1000 times; ±150 is > 5 binomial SDs (SD ≈ 28).
        Assert.All(seen, count => Assert.InRange(count, 850, 1150));
    }

    [Fact]
    public void Shuffle_is_a_permutation()
    {
        SplitMix64 rng = new(99);
        int[] items = [.. Enumerable.Range(0, 50)];

        rng.Shuffle(items.AsSpan());

        Assert.Equal(Enumerable.Range(0, 50), items.Order());
        Assert.NotEqual(Enumerable.Range(0, 50), items);
    }
}
