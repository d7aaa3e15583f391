using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace OrleansDcos.Scheduling.Packages;

/// <summary>
/// A package's options: the defaults of its <c>config.json</c> schema, with the user's options over them, validated
/// against the schema (JsonSchema.Net) — each error named by its JSON path, as Cosmos reports them.
/// </summary>
public static class PackageOptions
{
    /// <summary>The merged options, or the errors (path, message) when they do not satisfy the schema.</summary>
    public static (JsonObject Options, IReadOnlyList<(string Path, string Error)> Errors) Resolve(JsonObject? schema, JsonObject? user)
    {
        var options = schema is null ? new JsonObject() : Defaults(schema) as JsonObject ?? new JsonObject();
        if (user is not null)
        {
            Merge(options, user);
        }

        if (schema is null)
        {
            return (options, []);
        }

        JsonSchema compiled;
        try
        {
            compiled = JsonSchema.FromText(schema.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new PackageException($"the package's config.json is not a usable JSON Schema: {ex.Message}");
        }

        using var document = JsonDocument.Parse(options.ToJsonString());
        var result = compiled.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return (options, []);
        }

        var errors = (result.Details ?? [result])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => (Path: Path(d.InstanceLocation.ToString()),
                Error: e.Key.Length == 0 ? "additionalProperties: this property is not allowed" : $"{e.Key}: {e.Value}")))
            .Distinct()
            .OrderBy(e => e.Path, StringComparer.Ordinal)
            .ToList();
        return (options, errors.Count > 0 ? errors : [("/", "the options do not satisfy the package's schema")]);
    }

    /// <summary>The defaults a schema declares, recursively through <c>properties</c> (null when it declares none).</summary>
    public static JsonNode? Defaults(JsonObject schema)
    {
        if (schema["default"] is { } value)
        {
            var copy = value.DeepClone();
            if (copy is JsonObject given && schema["properties"] is JsonObject)
            {
                // An object default is completed by its properties' own defaults.
                var fromProperties = Defaults(new JsonObject { ["properties"] = schema["properties"]!.DeepClone() }) as JsonObject ?? new JsonObject();
                Merge(fromProperties, given);
                return fromProperties;
            }

            return copy;
        }

        if (schema["properties"] is not JsonObject properties)
        {
            return schema["type"]?.ToString() == "object" ? new JsonObject() : null;
        }

        var result = new JsonObject();
        foreach (var (name, property) in properties)
        {
            if (property is JsonObject child && Defaults(child) is { } defaulted)
            {
                result[name] = defaulted;
            }
        }

        return result;
    }

    /// <summary>Puts <paramref name="over"/> onto <paramref name="into"/>: objects merge, anything else replaces.</summary>
    public static void Merge(JsonObject into, JsonObject over)
    {
        foreach (var (name, value) in over)
        {
            if (value is JsonObject child && into[name] is JsonObject existing)
            {
                Merge(existing, child);
            }
            else
            {
                into[name] = value?.DeepClone();
            }
        }
    }

    private static string Path(string pointer) => pointer.Length == 0 ? "/" : pointer;
}
