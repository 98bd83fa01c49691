using System.Text;

namespace GaitStream.Core.Protocol;

/// <summary>
/// Subject-level, cohort-stratified, seeded split of a dataset (the benchmark protocol's first step). Owns the
/// rules that decide which subject a model may learn from, so that no subject's frames leak across splits.
/// </summary>
/// <remarks>
/// <para>Rules, in order:</para>
/// <list type="number">
/// <item>Subjects of <c>externalCohorts</c> go to <see cref="SubjectSplit.External"/>, whatever the fractions.</item>
/// <item>Target sizes for the remaining N subjects: largest remainder on N·fraction (ties: train, validation,
/// test), so the train / validation / test totals are as close to the fractions as whole subjects allow.</item>
/// <item>Each cohort's share (stratification): the floor of n_c·fraction per split, and the cohort's leftover
/// subjects rounded up into splits whose quota had a fractional part, at most one per split, without any split
/// going over its target; among all such roundings the one with the largest total remainder is taken (a tiny
/// min-cost flow). Such a rounding always exists, so every cohort keeps the overall proportions within one
/// subject per split and the totals are exactly the targets.</item>
/// <item>Minimum test rule: when the test fraction is &gt; 0, a cohort with at least 3 subjects gets at least one
/// test subject (a cohort nobody is tested on would be invisible in the report). That subject is taken before
/// the rounding above; if the test split then has no room left for another cohort's rounding, the test total
/// goes over its target rather than any cohort leaving its quota. Smaller cohorts, and the validation split,
/// get no minimum.</item>
/// <item>Which subjects fill those counts: each cohort's ids are sorted ordinally, then shuffled with SplitMix64
/// seeded from the seed and the cohort name, and taken in order: train, then validation, then test. The input
/// order never matters, and adding a cohort does not reshuffle the others.</item>
/// </list>
/// </remarks>
public static class SubjectSplitter
{
    private const int TrainIndex = 0;
    private const int ValidationIndex = 1;
    private const int TestIndex = 2;
    private const int SplitCount = 3;

    // Quotas like 60 × 0.7 are whole numbers in exact arithmetic but not always in binary floating point.
    private const double QuotaTolerance = 1e-9;

    /// <summary>Splits <paramref name="subjects"/>; see the type's remarks for the rules.</summary>
    /// <exception cref="ArgumentException">Empty list, blank or duplicated subject ids, blank cohorts, or an
    /// external cohort that no subject belongs to.</exception>
    public static SubjectSplit Split(
        IReadOnlyList<SubjectRef> subjects,
        SplitFractions fractions,
        int seed,
        IReadOnlySet<string>? externalCohorts = null)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(fractions);
        Validate(subjects);

        SortedSet<string> external = new(externalCohorts ?? new HashSet<string>(), StringComparer.Ordinal);
        foreach (string cohort in external)
        {
            if (!subjects.Any(s => s.Cohort == cohort))
            {
                throw new ArgumentException(
                    $"External cohort '{cohort}' has no subjects; known cohorts: {string.Join(", ", subjects.Select(s => s.Cohort).Distinct().Order(StringComparer.Ordinal))}.",
                    nameof(externalCohorts));
            }
        }

        // Cohorts in ordinal order and ids sorted before shuffling, so input order cannot change anything downstream.
        SortedDictionary<string, List<string>> cohorts = new(StringComparer.Ordinal);
        List<string> externalIds = [];
        foreach (SubjectRef subject in subjects)
        {
            if (external.Contains(subject.Cohort))
            {
                externalIds.Add(subject.SubjectId);
                continue;
            }
            if (!cohorts.TryGetValue(subject.Cohort, out List<string>? ids))
            {
                ids = [];
                cohorts.Add(subject.Cohort, ids);
            }
            ids.Add(subject.SubjectId);
        }

        string[] cohortNames = [.. cohorts.Keys];
        int[] cohortSizes = [.. cohorts.Values.Select(ids => ids.Count)];
        int[,] counts = Allocate(cohortSizes, fractions);

        List<string>[] parts = [[], [], []];
        for (int c = 0; c < cohortNames.Length; c++)
        {
            string[] ids = [.. cohorts[cohortNames[c]].Order(StringComparer.Ordinal)];
            SplitMix64 rng = new(CohortSeed(seed, cohortNames[c]));
            rng.Shuffle(ids.AsSpan());
            int next = 0;
            for (int k = 0; k < SplitCount; k++)
            {
                parts[k].AddRange(ids.AsSpan(next, counts[c, k]));
                next += counts[c, k];
            }
        }

        return new SubjectSplit(
            seed,
            fractions,
            [.. external],
            Sorted(parts[TrainIndex]),
            Sorted(parts[ValidationIndex]),
            Sorted(parts[TestIndex]),
            Sorted(externalIds));
    }

    /// <summary>Subjects per (cohort, split); rows sum to the cohort sizes.</summary>
    private static int[,] Allocate(int[] cohortSizes, SplitFractions fractions)
    {
        double[] f = [fractions.Train, fractions.Validation, fractions.Test];
        int cohortCount = cohortSizes.Length;
        int[,] counts = new int[cohortCount, SplitCount];
        double[,] remainders = new double[cohortCount, SplitCount];
        bool[,] roundedUp = new bool[cohortCount, SplitCount];
        int[] rowLeft = new int[cohortCount];

        // Overall targets by largest remainder.
        int total = cohortSizes.Sum();
        int[] colLeft = new int[SplitCount];
        double[] totalRemainders = new double[SplitCount];
        for (int k = 0; k < SplitCount; k++)
        {
            (colLeft[k], totalRemainders[k]) = FloorWithRemainder(total * f[k]);
        }
        for (int left = total - colLeft.Sum(); left > 0; left--)
        {
            int best = -1;
            for (int k = 0; k < SplitCount; k++)
            {
                if (best < 0 || totalRemainders[k] > totalRemainders[best] + QuotaTolerance)
                {
                    best = k;
                }
            }
            colLeft[best]++;
            totalRemainders[best] = -1;
        }

        // Per-cohort floors, then the minimum test rule.
        for (int c = 0; c < cohortCount; c++)
        {
            for (int k = 0; k < SplitCount; k++)
            {
                (counts[c, k], remainders[c, k]) = FloorWithRemainder(cohortSizes[c] * f[k]);
            }
            rowLeft[c] = cohortSizes[c] - (counts[c, 0] + counts[c, 1] + counts[c, 2]);
            if (f[TestIndex] > 0 && cohortSizes[c] >= 3 && counts[c, TestIndex] == 0 && rowLeft[c] > 0)
            {
                counts[c, TestIndex] = 1;
                roundedUp[c, TestIndex] = true;
                rowLeft[c]--;
            }
            for (int k = 0; k < SplitCount; k++)
            {
                colLeft[k] -= counts[c, k];
            }
        }

        DistributeLeftovers(counts, remainders, roundedUp, rowLeft, colLeft);
        return counts;
    }

    /// <summary>
    /// Places each cohort's leftover subjects (after the floors) as a min-cost flow:
    /// source → cohort (its leftovers) → split → sink (the split's room under its target). In order of priority:
    /// (1) each cohort stays within one subject of its quota per split: a cell is rounded up at most once and only
    /// where its quota had a fractional part; (2) no split goes over its target; (3) the largest remainders win.
    /// Without the minimum test rule (1) and (2) can always both hold, since the remainders themselves are a
    /// fractional solution; when the rule has used up test places, (2) gives way before (1).
    /// </summary>
    private static void DistributeLeftovers(int[,] counts, double[,] remainders, bool[,] roundedUp, int[] rowLeft, int[] colLeft)
    {
        // Costs in nano-subjects: integers make ties exact and their breaking (edge order) reproducible.
        const long overTarget = 10_000_000_000_000L;          // dwarfs any sum of remainders
        const long outsideQuota = 10_000_000_000_000_000L;    // dwarfs any overTarget use
        int cohortCount = rowLeft.Length;
        int leftovers = rowLeft.Sum();
        int source = 0;
        int sink = cohortCount + SplitCount + 1;
        MinCostFlow flow = new(cohortCount + SplitCount + 2);
        List<(int Cohort, int Split, int Edge)> cells = [];
        for (int c = 0; c < cohortCount; c++)
        {
            flow.AddEdge(source, 1 + c, rowLeft[c], 0);
            for (int k = 0; k < SplitCount; k++)
            {
                if (!roundedUp[c, k] && remainders[c, k] > 0)
                {
                    cells.Add((c, k, flow.AddEdge(1 + c, 1 + cohortCount + k, 1, -(long)Math.Round(remainders[c, k] * 1e9))));
                }
                cells.Add((c, k, flow.AddEdge(1 + c, 1 + cohortCount + k, rowLeft[c], outsideQuota)));
            }
        }
        for (int k = 0; k < SplitCount; k++)
        {
            flow.AddEdge(1 + cohortCount + k, sink, Math.Max(colLeft[k], 0), 0);
            flow.AddEdge(1 + cohortCount + k, sink, leftovers, overTarget);
        }
        flow.Run(source, sink);

        foreach ((int c, int k, int edge) in cells)
        {
            int placed = flow.Flow(edge);
            counts[c, k] += placed;
            rowLeft[c] -= placed;
            colLeft[k] -= placed;
        }
        if (rowLeft.Any(left => left != 0))
        {
            throw new InvalidOperationException("Split allocation left subjects unplaced; this is a bug.");
        }
    }

    private static (int Floor, double Remainder) FloorWithRemainder(double quota)
    {
        int floor = (int)Math.Floor(quota + QuotaTolerance);
        double remainder = quota - floor;
        return (floor, remainder > QuotaTolerance ? remainder : 0);
    }

    private static ulong CohortSeed(int seed, string cohort)
    {
        // FNV-1a over the cohort's UTF-8 bytes, mixed with the seed through one SplitMix64 step.
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(cohort))
        {
            hash = (hash ^ b) * 0x100000001B3UL;
        }
        SplitMix64 mixer = new(unchecked((ulong)(long)seed));
        return mixer.Next() ^ hash;
    }

    private static string[] Sorted(List<string> ids) => [.. ids.Order(StringComparer.Ordinal)];

    private static void Validate(IReadOnlyList<SubjectRef> subjects)
    {
        if (subjects.Count == 0)
        {
            throw new ArgumentException("Cannot split an empty subject list.", nameof(subjects));
        }
        HashSet<string> seen = new(StringComparer.Ordinal);
        SortedSet<string> duplicates = new(StringComparer.Ordinal);
        for (int i = 0; i < subjects.Count; i++)
        {
            SubjectRef? subject = subjects[i];
            if (subject is null)
            {
                throw new ArgumentException($"Subject #{i} is null.", nameof(subjects));
            }
            if (string.IsNullOrWhiteSpace(subject.SubjectId))
            {
                throw new ArgumentException($"Subject #{i} has a blank subject id.", nameof(subjects));
            }
            if (string.IsNullOrWhiteSpace(subject.Cohort))
            {
                throw new ArgumentException($"Subject '{subject.SubjectId}' has a blank cohort.", nameof(subjects));
            }
            if (!seen.Add(subject.SubjectId))
            {
                duplicates.Add(subject.SubjectId);
            }
        }
        if (duplicates.Count > 0)
        {
            throw new ArgumentException(
                $"Subject ids must be unique; duplicated: {string.Join(", ", duplicates.Take(10))}{(duplicates.Count > 10 ? ", …" : "")}.",
                nameof(subjects));
        }
    }
}
