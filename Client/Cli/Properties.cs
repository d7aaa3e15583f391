using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansDcos.Cli;

/// <summary><c>key=value</c> arguments (as <c>dcos marathon app update</c> takes them) turned into a JSON object.</summary>
public static class Properties
{
    /// <summary>
    /// Each <c>key=value</c>: the value as JSON when it parses (<c>instances=3</c>, <c>env={"A":"1"}</c>), else as a
    /// string (<c>cmd=sleep 60</c>). A key may appear once.
    /// </summary>
    public static JsonObject Parse(IEnumerable<string> properties)
    {
        var result = new JsonObject();
        foreach (var property in properties)
        {
            var equals = property.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException($"'{property}' is not a property: write key=value, e.g. instances=3");
            }

            var key = property[..equals].Trim();
            var text = property[(equals + 1)..];
            if (result.ContainsKey(key))
            {
                throw new CliException($"property '{key}' is given twice");
            }

            result[key] = Value(text);
        }

        return result;
    }

    private static JsonNode? Value(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
