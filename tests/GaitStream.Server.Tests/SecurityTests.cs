using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GaitStream.Protocol.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace GaitStream.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class SecurityTests(ServerModelFixture model)
{
    private const string DeviceKey = "k3y-for-treadmill-01-0123456789";

    [Fact]
    public async Task With_api_keys_configured_calls_need_a_matching_key_and_health_stays_open()
    {
        await using TestServer server = await TestServer.StartAsync(model, o => o.ApiKeys["treadmill-01"] = DeviceKey);
        List<Frame> frames = [.. Enumerable.Range(0, 110).Select(i => TestServer.Frame((ulong)i, i / 100.0, model.Frames[i]))];

        SessionResult none = await server.RunAsync(server.Open(model, "no-key"), frames);
        Assert.Equal(StatusCode.Unauthenticated, none.Status.StatusCode);
        Assert.Contains("x-api-key", none.Status.Detail, StringComparison.Ordinal);

        SessionResult wrong = await server.RunAsync(server.Open(model, "wrong-key"), frames, headers: new Metadata { { "x-api-key", DeviceKey + "x" } });
        Assert.Equal(StatusCode.Unauthenticated, wrong.Status.StatusCode);

        RpcException list = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.ListModelsAsync(new ListModelsRequest()));
        Assert.Equal(StatusCode.Unauthenticated, list.StatusCode);

        SessionResult right = await server.RunAsync(server.Open(model, "right-key"), frames, headers: new Metadata { { "x-api-key", DeviceKey } });
        Assert.Equal(StatusCode.OK, right.Status.StatusCode);
        Assert.Equal(11, right.Estimates.Count);

        var health = new Health.HealthClient(server.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);

        // The TCP bridge takes the key on the OPEN line.
        foreach ((string extra, string expected) in new[] { ("", "ERR UNAUTHENTICATED"), (" api_key=nope", "ERR UNAUTHENTICATED"), ($" api_key={DeviceKey}", "OK ") })
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, server.Endpoints.TcpPort);
            using var reader = new StreamReader(tcp.GetStream());
            byte[] open = Encoding.UTF8.GetBytes($"OPEN session_id=tcp-key body_mass_kg=70 sample_rate_hz=100 channels={string.Join(',', model.Channels)}{extra}\nEND\n");
            await tcp.GetStream().WriteAsync(open);
            string? first = await reader.ReadLineAsync();
            Assert.StartsWith(expected, first, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Api_keys_shorter_than_16_characters_are_refused_at_start_up()
    {
        var options = new Hosting.GaitStreamServerOptions();
        options.ApiKeys["lab"] = "short";
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => options.Validate());
        Assert.Contains("GaitStream:ApiKeys:lab must be at least 16 characters", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_listens_on_loopback_unless_told_to_expose_itself()
    {
        await using TestServer server = await TestServer.StartAsync(model);
        Assert.Equal("127.0.0.1", server.Endpoints.GrpcAddress.Host);
        IPAddress? other = Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        if (other is not null)
        {
            using var tcp = new TcpClient();
            await Assert.ThrowsAnyAsync<SocketException>(() => tcp.ConnectAsync(other, server.Endpoints.GrpcPort));
        }
        await using TestServer exposed = await TestServer.StartAsync(model, o => o.ExposeOnNetwork = true);
        Assert.Contains(exposed.App.Urls, u => u.Contains("0.0.0.0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tls_from_pem_files_serves_grpc_over_https()
    {
        string dir = Directory.CreateTempSubdirectory("gaitstream-tls-").FullName;
        try
        {
            using RSA rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
            using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            string certPath = Path.Combine(dir, "server.crt");
            string keyPath = Path.Combine(dir, "server.key");
            await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, rsa.ExportPkcs8PrivateKeyPem());
            string thumbprint = certificate.Thumbprint;

            await using TestServer server = await TestServer.StartAsync(model, o =>
            {
                o.Tls.CertificatePath = certPath;
                o.Tls.KeyPath = keyPath;
            }, () => new GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler
                {
                    SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert is X509Certificate2 c && c.Thumbprint == thumbprint },
                },
            });
            Assert.Equal("https", server.Endpoints.GrpcAddress.Scheme);
            ListModelsResponse models = await server.Client.ListModelsAsync(new ListModelsRequest());
            Assert.Equal(ServerModelFixture.ModelName, models.DefaultModelId);

            // A plaintext client cannot talk to it.
            using var plain = GrpcChannel.ForAddress(new UriBuilder(server.Endpoints.GrpcAddress) { Scheme = "http" }.Uri);
            await Assert.ThrowsAsync<RpcException>(async () => await new Protocol.V1.GaitStream.GaitStreamClient(plain).ListModelsAsync(new ListModelsRequest()));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
