using System.Security.Cryptography;
using System.Text;
using GaitStream.Server.Hosting;
using Microsoft.Extensions.Options;

namespace GaitStream.Server.Security;

/// <summary>
/// Per-device API keys. Keys are compared as SHA-256 digests with <see cref="CryptographicOperations.FixedTimeEquals"/>,
/// against every configured key without stopping early, so timing reveals neither a key's content nor its length.
/// </summary>
public sealed class ApiKeyValidator
{
    /// <summary>gRPC metadata key carrying the device's key.</summary>
    public const string MetadataKey = "x-api-key";

    private readonly (string Device, byte[] Digest)[] _keys;

    public ApiKeyValidator(IOptions<GaitStreamServerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keys = [.. options.Value.ApiKeys.Select(kv => (kv.Key, SHA256.HashData(Encoding.UTF8.GetBytes(kv.Value))))];
    }

    /// <summary>Whether calls must carry a key (any key configured).</summary>
    public bool Required => _keys.Length > 0;

    /// <summary>The device whose key <paramref name="presented"/> is, or null.</summary>
    public string? Authenticate(string? presented)
    {
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented ?? ""));
        string? device = null;
        foreach ((string name, byte[] key) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, key) && presented is not null)
            {
                device = name;
            }
        }
        return device;
    }
}
