using GaitStream.Inference.Registry;
using Microsoft.Extensions.Logging;

namespace GaitStream.Inference.Backends;

/// <summary>Builds the configured <see cref="IInferenceBackend"/> for a verified model.</summary>
public static class InferenceBackends
{
    public static IInferenceBackend Create(RegisteredModel model, InferenceOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Validate().Backend switch
        {
            InferenceBackendKind.OnnxRuntime => OnnxRuntimeBackend.Create(model, options, logger),
            _ => throw new ArgumentException($"Inference:Backend '{options.Backend}' is not implemented."),
        };
    }
}
