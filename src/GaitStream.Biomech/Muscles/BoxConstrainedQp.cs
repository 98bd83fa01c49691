namespace GaitStream.Biomech.Muscles;

/// <summary>
/// Exact primal active-set solver for a small strictly convex QP with simple bounds:
/// minimise ½xᵀHx − gᵀx subject to lower ≤ x ≤ upper. Each iteration solves the free variables' Newton system by
/// Cholesky; a step that leaves the box stops at the first bound it meets and fixes that variable; at a feasible
/// stationary point the fixed variable whose multiplier has the wrong sign the most is released. Finite for positive
/// definite H; warm-started from the caller's x and bound status (the previous frame), it usually needs 0–3
/// iterations. Buffers are sized once: no allocation per solve.
/// </summary>
internal sealed class BoxConstrainedQp
{
    internal const sbyte Free = 0;
    internal const sbyte AtLower = -1;
    internal const sbyte AtUpper = 1;

    private readonly int _capacity;
    private readonly double[] _chol;
    private readonly double[] _rhs;
    private readonly double[] _p;
    private readonly int[] _free;

    public BoxConstrainedQp(int capacity)
    {
        _capacity = capacity;
        _chol = new double[capacity * capacity];
        _rhs = new double[capacity];
        _p = new double[capacity];
        _free = new int[capacity];
    }

    /// <summary>
    /// Solves in place. <paramref name="h"/> is n×n row-major; <paramref name="x"/> and <paramref name="status"/> hold the
    /// warm start on entry (x is clipped to the box and made consistent with status) and the solution on return.
    /// Returns the number of active-set iterations.
    /// </summary>
    public int Solve(
        int n, ReadOnlySpan<double> h, ReadOnlySpan<double> g, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper,
        Span<double> x, Span<sbyte> status, int maxIterations = 0)
    {
        if (n > _capacity)
        {
            throw new ArgumentException($"The QP has {n} variables; this solver was sized for {_capacity}.", nameof(n));
        }
        if (maxIterations <= 0)
        {
            maxIterations = 20 * (n + 1);
        }
        for (int i = 0; i < n; i++)
        {
            x[i] = status[i] == AtLower ? lower[i] : status[i] == AtUpper ? upper[i] : Math.Clamp(x[i], lower[i], upper[i]);
        }

        double scale = 1;
        for (int i = 0; i < n; i++)
        {
            scale = Math.Max(scale, Math.Abs(g[i]));
        }
        double tolerance = 1e-12 * scale;

        for (int iteration = 1; iteration <= maxIterations; iteration++)
        {
            int nf = 0;
            for (int i = 0; i < n; i++)
            {
                if (status[i] == Free)
                {
                    _free[nf++] = i;
                }
            }

            // Newton point of the free variables with the fixed ones at their bounds.
            for (int a = 0; a < nf; a++)
            {
                int i = _free[a];
                double r = g[i];
                for (int k = 0; k < n; k++)
                {
                    if (status[k] != Free)
                    {
                        r -= h[(i * n) + k] * x[k];
                    }
                }
                _rhs[a] = r;
                for (int b = 0; b <= a; b++)
                {
                    _chol[(a * nf) + b] = h[(i * n) + _free[b]];
                }
            }
            CholeskySolve(nf);

            double alpha = 1;
            int blocking = -1;
            for (int a = 0; a < nf; a++)
            {
                int i = _free[a];
                double d = _p[a] - x[i];
                if (_p[a] < lower[i] && d < 0)
                {
                    double t = (lower[i] - x[i]) / d;
                    if (t < alpha)
                    {
                        alpha = t;
                        blocking = a;
                    }
                }
                else if (_p[a] > upper[i] && d > 0)
                {
                    double t = (upper[i] - x[i]) / d;
                    if (t < alpha)
                    {
                        alpha = t;
                        blocking = a;
                    }
                }
            }

            if (blocking >= 0)
            {
                for (int a = 0; a < nf; a++)
                {
                    int i = _free[a];
                    x[i] = Math.Clamp(x[i] + (alpha * (_p[a] - x[i])), lower[i], upper[i]);
                }
                int bi = _free[blocking];
                bool toLower = _p[blocking] < lower[bi];
                status[bi] = toLower ? AtLower : AtUpper;
                x[bi] = toLower ? lower[bi] : upper[bi];
                continue;
            }

            for (int a = 0; a < nf; a++)
            {
                x[_free[a]] = _p[a];
            }

            // Multipliers of the fixed variables: the gradient Hx − g must point into the box.
            int release = -1;
            double worst = tolerance;
            for (int i = 0; i < n; i++)
            {
                if (status[i] == Free)
                {
                    continue;
                }
                double grad = -g[i];
                for (int k = 0; k < n; k++)
                {
                    grad += h[(i * n) + k] * x[k];
                }
                double violation = status[i] == AtLower ? -grad : grad;
                if (violation > worst)
                {
                    worst = violation;
                    release = i;
                }
            }
            if (release < 0)
            {
                return iteration;
            }
            status[release] = Free;
        }
        throw new InvalidOperationException($"The bound-constrained QP did not converge in {maxIterations} active-set iterations.");
    }

    // Cholesky of the lower triangle in _chol (nf×nf), then forward and back substitution of _rhs into _p.
    private void CholeskySolve(int nf)
    {
        for (int j = 0; j < nf; j++)
        {
            double d = _chol[(j * nf) + j];
            for (int k = 0; k < j; k++)
            {
                d -= _chol[(j * nf) + k] * _chol[(j * nf) + k];
            }
            if (!(d > 0))
            {
                throw new InvalidOperationException("The QP Hessian is not positive definite on the free variables.");
            }
            d = Math.Sqrt(d);
            _chol[(j * nf) + j] = d;
            for (int i = j + 1; i < nf; i++)
            {
                double s = _chol[(i * nf) + j];
                for (int k = 0; k < j; k++)
                {
                    s -= _chol[(i * nf) + k] * _chol[(j * nf) + k];
                }
                _chol[(i * nf) + j] = s / d;
            }
        }
        for (int i = 0; i < nf; i++)
        {
            double s = _rhs[i];
            for (int k = 0; k < i; k++)
            {
                s -= _chol[(i * nf) + k] * _p[k];
            }
            _p[i] = s / _chol[(i * nf) + i];
        }
        for (int i = nf - 1; i >= 0; i--)
        {
            double s = _p[i];
            for (int k = i + 1; k < nf; k++)
            {
                s -= _chol[(k * nf) + i] * _p[k];
            }
            _p[i] = s / _chol[(i * nf) + i];
        }
    }
}
