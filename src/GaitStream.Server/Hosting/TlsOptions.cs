namespace GaitStream.Server.Hosting;

/// <summary>Optional TLS for every listener, from PEM files (certificate chain and private key).</summary>
public sealed class TlsOptions
{
    public string? CertificatePath { get; set; }

    public string? KeyPath { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(CertificatePath);

    public void Validate()
    {
        if (!Enabled)
        {
            if (!string.IsNullOrEmpty(KeyPath))
            {
                throw new InvalidOperationException($"{GaitStreamServerOptions.Section}:Tls:KeyPath is set but Tls:CertificatePath is not.");
            }
            return;
        }
        if (!File.Exists(CertificatePath))
        {
            throw new InvalidOperationException($"{GaitStreamServerOptions.Section}:Tls:CertificatePath '{CertificatePath}' does not exist.");
        }
        if (string.IsNullOrEmpty(KeyPath) || !File.Exists(KeyPath))
        {
            throw new InvalidOperationException($"{GaitStreamServerOptions.Section}:Tls:KeyPath '{KeyPath}' does not exist (a PEM private key is needed with the certificate).");
        }
    }
}
