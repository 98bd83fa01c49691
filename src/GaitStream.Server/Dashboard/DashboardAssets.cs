using System.Reflection;

namespace GaitStream.Server.Dashboard;

/// <summary>
/// The page, its script and its style sheet, embedded in the server assembly (Dashboard/wwwroot), so the dashboard
/// works offline, from any working folder, with no CDN and no npm.
/// </summary>
public sealed class DashboardAssets
{
    private const string Prefix = "GaitStream.Dashboard.";

    private readonly Dictionary<string, (byte[] Bytes, string ContentType, string ETag)> _files = new(StringComparer.Ordinal);

    public DashboardAssets()
    {
        Assembly assembly = typeof(DashboardAssets).Assembly;
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            byte[] bytes = buffer.ToArray();
            string file = name[Prefix.Length..];
            string etag = $"\"{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes))[..16]}\"";
            _files[file] = (bytes, ContentType(file), etag);
        }
        if (!_files.ContainsKey("index.html"))
        {
            throw new InvalidOperationException("The dashboard's embedded index.html is missing from the server assembly (Dashboard/wwwroot).");
        }
    }

    public IReadOnlyCollection<string> Files => _files.Keys;

    public IResult Serve(HttpContext context, string file)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_files.TryGetValue(file, out var entry))
        {
            return TypedResults.NotFound();
        }
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.ETag = entry.ETag;
        if (context.Request.Headers.IfNoneMatch == entry.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(entry.Bytes, entry.ContentType);
    }

    private static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
