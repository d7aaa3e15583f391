using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Client;
using Spectre.Console;

namespace OrleansDcos.Cli;

/// <summary>
/// One command's view of the world: the cluster it talks to, how it prints (tables or the API's JSON), and the
/// raw JSON calls every command makes (so <c>--json</c> prints exactly what the API answered).
/// </summary>
public sealed class CliSession : IDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Uri? _cluster;

    /// <summary>A session against <paramref name="cluster"/> (null when none is configured: cluster commands still work).</summary>
    /// <param name="cluster">The cluster's URL, or null.</param>
    /// <param name="json">Print the API's JSON.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="configDirectory">Where the cluster configuration lives.</param>
    /// <param name="requestTimeout">How long one request may take.</param>
    /// <param name="token">The login token sent with every request (DC/OS' <c>Authorization: token=…</c>), or null.</param>
    public CliSession(Uri? cluster, bool json, TextWriter output, TextWriter error, string configDirectory, TimeSpan requestTimeout, string? token = null)
    {
        _cluster = cluster;
        Json = json;
        Output = output;
        Error = error;
        ConfigDirectory = configDirectory;
        Http = new HttpClient { BaseAddress = cluster, Timeout = requestTimeout };
        if (token is not null)
        {
            Http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "token=" + token);
        }

        Interactive = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = Interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!Interactive)
        {
            Console.Profile.Width = 240; // a pipe or a file: no wrapping of table rows
        }
    }

    /// <summary>The cluster's URL; an error naming the fix when none is configured.</summary>
    public Uri Cluster => _cluster ?? throw new CliException("no cluster attached: run `dcos cluster setup <url>` or pass --url");

    /// <summary>True: print the API's JSON instead of tables.</summary>
    public bool Json { get; }

    /// <summary>True when a person watches a terminal (live progress); false for a pipe or a file (one line per change).</summary>
    public bool Interactive { get; }

    /// <summary>Standard output.</summary>
    public TextWriter Output { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>Where the cluster configuration lives.</summary>
    public string ConfigDirectory { get; }

    /// <summary>The HTTP client for the cluster (its base address is the cluster's URL).</summary>
    public HttpClient Http { get; }

    /// <summary>Spectre's console over <see cref="Output"/>, for tables and live progress.</summary>
    public IAnsiConsole Console { get; }

    /// <summary><c>GET</c> a JSON document.</summary>
    public Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>Sends a request with an optional JSON body and returns the JSON answer (an empty object for an empty body); an error answer throws <see cref="DcosApiException"/>.</summary>
    public async Task<JsonNode> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        _ = Cluster;
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw DcosApiException.FromAnswer(response.StatusCode, text, response.ReasonPhrase);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return new JsonObject();
        }

        try
        {
            return JsonNode.Parse(text) ?? new JsonObject();
        }
        catch (JsonException)
        {
            throw new CliException($"{Cluster} answered {method} /{path.TrimStart('/')} with something that is not JSON: is it an OrleansDcos silo?");
        }
    }

    /// <summary>Prints a JSON document indented.</summary>
    public void WriteJson(JsonNode? node) => Output.WriteLine(node?.ToJsonString(Indented) ?? "null");

    /// <summary>Prints a plain line (no markup).</summary>
    public void WriteLine(string line) => Output.WriteLine(line);

    /// <summary>Prints <paramref name="rows"/> under <paramref name="headers"/> as a table (no markup is read from the cells).</summary>
    public void WriteTable(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table().Border(TableBorder.None);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header)) { NoWrap = true });
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => (Spectre.Console.Rendering.IRenderable)new Text(cell)).ToArray());
        }

        Console.Write(table);
    }

    /// <inheritdoc />
    public void Dispose() => Http.Dispose();
}
