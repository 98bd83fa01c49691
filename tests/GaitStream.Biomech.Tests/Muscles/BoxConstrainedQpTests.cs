using GaitStream.Biomech.Muscles;

namespace GaitStream.Biomech.Tests.Muscles;

/// <summary>The active-set QP against brute force: every one of the 3ⁿ bound patterns, keeping the one that satisfies KKT.</summary>
public sealed class BoxConstrainedQpTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Active_set_solution_matches_exhaustive_KKT_search(int seed)
    {
        const int n = 6;
        var random = new Random(seed);
        // H = I + w AᵀA with a 3×n A, as static optimization builds it; g pushes some variables past their bounds.
        var a = new double[3, n];
        for (int j = 0; j < 3; j++)
        {
            for (int i = 0; i < n; i++)
            {
                a[j, i] = (random.NextDouble() * 2) - 1;
            }
        }
        var h = new double[n * n];
        var g = new double[n];
        for (int i = 0; i < n; i++)
        {
            g[i] = ((random.NextDouble() * 2) - 1) * 4;
            for (int k = 0; k < n; k++)
            {
                double s = 0;
                for (int j = 0; j < 3; j++)
                {
                    s += a[j, i] * a[j, k];
                }
                h[(i * n) + k] = (10 * s) + (i == k ? 1 : 0);
            }
        }
        double[] lower = new double[n], upper = Enumerable.Repeat(1.0, n).ToArray();

        var x = new double[n];
        var status = new sbyte[n];
        int iterations = new BoxConstrainedQp(n).Solve(n, h, g, lower, upper, x, status);
        Assert.InRange(iterations, 1, 100);

        double[] expected = BruteForce(n, h, g, lower, upper);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(expected[i], x[i], 9);
        }
    }

    [Fact]
    public void Warm_start_from_the_solution_takes_one_iteration()
    {
        double[] h = [2, 1, 1, 3];
        double[] g = [5, -1];
        double[] lower = [0, 0], upper = [1, 1];
        var x = new double[2];
        var status = new sbyte[2];
        var qp = new BoxConstrainedQp(2);
        qp.Solve(2, h, g, lower, upper, x, status);
        Assert.Equal([1.0, 0.0], x);
        Assert.Equal(1, qp.Solve(2, h, g, lower, upper, x, status));
    }

    private static double[] BruteForce(int n, double[] h, double[] g, double[] lower, double[] upper)
    {
        double best = double.PositiveInfinity;
        double[] bestX = [];
        int patterns = (int)Math.Pow(3, n);
        for (int code = 0; code < patterns; code++)
        {
            var pattern = new int[n];
            for (int i = 0, c = code; i < n; i++, c /= 3)
            {
                pattern[i] = c % 3; // 0 free, 1 lower, 2 upper
            }
            var x = new double[n];
            var free = new List<int>();
            for (int i = 0; i < n; i++)
            {
                if (pattern[i] == 1)
                {
                    x[i] = lower[i];
                }
                else if (pattern[i] == 2)
                {
                    x[i] = upper[i];
                }
                else
                {
                    free.Add(i);
                }
            }
            int nf = free.Count;
            var m = new double[nf, nf + 1];
            for (int r = 0; r < nf; r++)
            {
                double rhs = g[free[r]];
                for (int k = 0; k < n; k++)
                {
                    if (pattern[k] != 0)
                    {
                        rhs -= h[(free[r] * n) + k] * x[k];
                    }
                }
                for (int c = 0; c < nf; c++)
                {
                    m[r, c] = h[(free[r] * n) + free[c]];
                }
                m[r, nf] = rhs;
            }
            double[] sol = Gauss(m, nf);
            for (int r = 0; r < nf; r++)
            {
                x[free[r]] = sol[r];
            }
            if (x.Select((v, i) => v < lower[i] - 1e-12 || v > upper[i] + 1e-12).Any(b => b))
            {
                continue;
            }
            double f = 0;
            for (int i = 0; i < n; i++)
            {
                f -= g[i] * x[i];
                for (int k = 0; k < n; k++)
                {
                    f += 0.5 * x[i] * h[(i * n) + k] * x[k];
                }
            }
            if (f < best)
            {
                best = f;
                bestX = x;
            }
        }
        return bestX;
    }

    private static double[] Gauss(double[,] m, int n)
    {
        for (int c = 0; c < n; c++)
        {
            int pivot = Enumerable.Range(c, n - c).MaxBy(r => Math.Abs(m[r, c]));
            for (int k = 0; k <= n; k++)
            {
                (m[c, k], m[pivot, k]) = (m[pivot, k], m[c, k]);
            }
            for (int r = 0; r < n; r++)
            {
                if (r != c)
                {
                    double factor = m[r, c] / m[c, c];
                    for (int k = c; k <= n; k++)
                    {
                        m[r, k] -= factor * m[c, k];
                    }
                }
            }
        }
        return Enumerable.Range(0, n).Select(r => m[r, n] / m[r, r]).ToArray();
    }
}
