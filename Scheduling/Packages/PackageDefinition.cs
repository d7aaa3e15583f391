using System.Text.Json.Nodes;

namespace OrleansDcos.Scheduling.Packages;

/// <summary>
/// A package's <c>package.json</c> (Universe packaging versions 2.0–4.0): what <c>describe</c> and <c>search</c> show and
/// the install labels carry. <see cref="Json"/> is the document as given.
/// </summary>
public sealed record PackageDefinition(
    string Name,
    string Version,
    string PackagingVersion,
    string Description,
    string? Maintainer,
    IReadOnlyList<string> Tags,
    bool Framework,
    bool Selected,
    string? PreInstallNotes,
    string? PostInstallNotes,
    string? PostUninstallNotes,
    string? MinDcosReleaseVersion,
    IReadOnlyList<string> UpgradesFrom,
    IReadOnlyList<string> DowngradesTo,
    JsonObject Json)
{
    /// <summary>The packaging versions understood.</summary>
    public static readonly IReadOnlyList<string> PackagingVersions = ["2.0", "3.0", "4.0"];

    /// <summary>Reads <c>package.json</c>; a missing or mistyped field is an error naming it.</summary>
    public static PackageDefinition Read(JsonObject json, string where)
    {
        string Text(string field, bool required = false)
        {
            var node = json[field];
            if (node is null)
            {
                return required ? throw new PackageException($"{where}: package.json needs \"{field}\"") : "";
            }

            return node is JsonValue value && value.TryGetValue<string>(out var text)
                ? text
                : throw new PackageException($"{where}: package.json \"{field}\" must be a string");
        }

        IReadOnlyList<string> Strings(string field) => json[field] switch
        {
            null => [],
            JsonArray array when array.All(e => e is JsonValue v && v.TryGetValue<string>(out _)) => [.. array.Select(e => e!.GetValue<string>())],
            _ => throw new PackageException($"{where}: package.json \"{field}\" must be a list of strings"),
        };

        bool Flag(string field) => json[field] switch
        {
            null => false,
            JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
            _ => throw new PackageException($"{where}: package.json \"{field}\" must be true or false"),
        };

        var packaging = Text("packagingVersion", required: true);
        if (!PackagingVersions.Contains(packaging))
        {
            throw new PackageException($"{where}: packagingVersion {packaging} is not one of {string.Join(", ", PackagingVersions)}");
        }

        var name = Text("name", required: true);
        if (!PackageNames.IsValid(name))
        {
            throw new PackageException($"{where}: '{name}' is not a package name (lower-case letters, digits and '-', at most {PackageNames.MaxLength})");
        }

        return new PackageDefinition(
            name, Text("version", required: true), packaging, Text("description"), json["maintainer"] is null ? null : Text("maintainer"),
            Strings("tags"), Flag("framework"), Flag("selected"),
            Optional(json, "preInstallNotes"), Optional(json, "postInstallNotes"), Optional(json, "postUninstallNotes"),
            Optional(json, "minDcosReleaseVersion"), Strings("upgradesFrom"), Strings("downgradesTo"), json);
    }

    private static string? Optional(JsonObject json, string field) => json[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
