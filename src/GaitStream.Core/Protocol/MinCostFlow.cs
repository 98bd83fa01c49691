namespace GaitStream.Core.Protocol;

/// <summary>
/// Minimum-cost maximum flow by successive shortest paths (Bellman–Ford, so negative edge costs are fine).
/// Sized for the split's tiny allocation graph (cohorts + 3 splits); integer costs keep tie-breaking exact:
/// among equal-cost paths the one through the earliest-added edges wins.
/// </summary>
internal sealed class MinCostFlow(int nodeCount)
{
    private readonly List<int> _from = [];
    private readonly List<int> _to = [];
    private readonly List<int> _capacity = [];
    private readonly List<long> _cost = [];

    /// <summary>Adds an edge and its residual twin; returns the edge's id for <see cref="Flow"/>.</summary>
    public int AddEdge(int from, int to, int capacity, long cost)
    {
        int id = _from.Count;
        Add(from, to, capacity, cost);
        Add(to, from, 0, -cost);
        return id;
    }

    /// <summary>Flow on an edge after <see cref="Run"/>: the capacity its residual twin gained.</summary>
    public int Flow(int edge) => _capacity[edge ^ 1];

    public void Run(int source, int sink)
    {
        long[] distance = new long[nodeCount];
        int[] via = new int[nodeCount];
        while (true)
        {
            Array.Fill(distance, long.MaxValue);
            Array.Fill(via, -1);
            distance[source] = 0;
            for (int pass = 0; pass < nodeCount - 1; pass++)
            {
                bool changed = false;
                for (int e = 0; e < _from.Count; e++)
                {
                    if (_capacity[e] > 0 && distance[_from[e]] != long.MaxValue && distance[_from[e]] + _cost[e] < distance[_to[e]])
                    {
                        distance[_to[e]] = distance[_from[e]] + _cost[e];
                        via[_to[e]] = e;
                        changed = true;
                    }
                }
                if (!changed)
                {
                    break;
                }
            }
            if (distance[sink] == long.MaxValue)
            {
                return;
            }
            int push = int.MaxValue;
            for (int v = sink; v != source; v = _from[via[v]])
            {
                push = Math.Min(push, _capacity[via[v]]);
            }
            for (int v = sink; v != source; v = _from[via[v]])
            {
                _capacity[via[v]] -= push;
                _capacity[via[v] ^ 1] += push;
            }
        }
    }

    private void Add(int from, int to, int capacity, long cost)
    {
        _from.Add(from);
        _to.Add(to);
        _capacity.Add(capacity);
        _cost.Add(cost);
    }
}
