using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansDcos.Cli;

/// <summary>
/// The clusters the CLI knows and which one it is attached to, kept in <c>clusters.json</c> under
/// <c>$DCOS_DIR</c> (default <c>~/.orleansdcos</c>).
/// </summary>
public sealed class ClusterConfig
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The known clusters, by name.</summary>
    [JsonPropertyName("clusters")]
    public List<ClusterEntry> Clusters { get; init; } = [];

    /// <summary>The attached cluster's name, if any.</summary>
    [JsonPropertyName("attached")]
    public string? Attached { get; set; }

    /// <summary>The directory the file lives in.</summary>
    public static string Directory(IReadOnlyDictionary<string, string?> environment) =>
        environment.GetValueOrDefault("DCOS_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(environment.GetValueOrDefault("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".orleansdcos");

    /// <summary>Reads the file (an empty configuration when there is none); a damaged file is an error naming it.</summary>
    public static ClusterConfig Load(string directory)
    {
        var file = Path.Combine(directory, "clusters.json");
        if (!File.Exists(file))
        {
            return new ClusterConfig();
        }

        try
        {
            return JsonSerializer.Deserialize<ClusterConfig>(File.ReadAllText(file), Options) ?? new ClusterConfig();
        }
        catch (JsonException ex)
        {
            throw new CliException($"{file} is not valid JSON ({ex.Message}): fix or delete it, then run `dcos cluster setup <url>`");
        }
    }

    /// <summary>Writes the file (creating the directory), replacing it whole.</summary>
    public void Save(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "clusters.json");
        var temporary = file + ".tmp";

        // It may hold login tokens: readable by its owner only.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        File.Delete(temporary);
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(JsonSerializer.Serialize(this, Options));
        }

        File.Move(temporary, file, overwrite: true);
    }

    /// <summary>The attached cluster, or null.</summary>
    public ClusterEntry? AttachedCluster() => Clusters.FirstOrDefault(c => c.Name == Attached);
}
