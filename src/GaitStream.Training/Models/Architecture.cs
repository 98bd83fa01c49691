using System.Text.Json.Serialization;

namespace GaitStream.Training.Models;

/// <summary>The three sequence-model families of the benchmark. Serialised by name in model cards.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Architecture>))]
public enum Architecture
{
    /// <summary>Stacked unidirectional LSTM (<see cref="LstmModel"/>).</summary>
    Lstm,

    /// <summary>Pre-LN Transformer encoder with causal self-attention (<see cref="TransformerModel"/>).</summary>
    Transformer,

    /// <summary>Mamba: selective state-space blocks (<see cref="MambaModel"/>).</summary>
    Mamba,
}
