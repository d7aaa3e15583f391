namespace OrleansDcos.Cli;

/// <summary>A silo's URL as typed by a user, checked and normalised (a trailing slash, so relative API paths resolve under it).</summary>
public static class ClusterUrl
{
    /// <summary>Parses <paramref name="text"/> (<c>http://127.0.0.1:8080</c>, or <c>127.0.0.1:8080</c> meaning http).</summary>
    public static Uri Parse(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.Contains("://", StringComparison.Ordinal))
        {
            trimmed = "http://" + trimmed;
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
        {
            throw new CliException($"'{text}' is not a cluster URL: give http(s)://host:port of a silo");
        }

        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }
}
