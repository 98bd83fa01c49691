using GaitStream.Server.Models;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GaitStream.Server.Hosting;

/// <summary>Healthy while the default model is loaded and its engine is not backed up.</summary>
public sealed class ModelHealthCheck(ModelCatalog models) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ModelRuntime model = models.Default;
        int depth = model.Engine.QueueDepth;
        return Task.FromResult(depth < 4 * model.Engine.MaxBatchSize
            ? HealthCheckResult.Healthy($"default model {model.Id} on {model.Info.Backend}, {depth} windows queued")
            : HealthCheckResult.Degraded($"default model {model.Id}: {depth} windows queued"));
    }
}
