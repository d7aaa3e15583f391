using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansDcos.Cli;

/// <summary>A JSON definition read from a file or standard input, with a one-line error naming the file and the place.</summary>
public static class InputFile
{
    /// <summary>The most a definition file may hold.</summary>
    public const long MaxBytes = 4 * 1024 * 1024;

    /// <summary>Reads <paramref name="path"/> (or standard input when null or <c>-</c>) as a JSON object.</summary>
    public static async Task<JsonObject> ReadObjectAsync(string? path, TextReader standardInput, CancellationToken cancellationToken)
    {
        string text;
        var name = path is null or "-" ? "standard input" : path;
        if (path is null or "-")
        {
            text = await standardInput.ReadToEndAsync(cancellationToken);
        }
        else
        {
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                throw new CliException($"{path}: no such file");
            }

            if (file.Length > MaxBytes)
            {
                throw new CliException($"{path}: {file.Length} bytes is more than a definition may hold ({MaxBytes})");
            }

            text = await File.ReadAllTextAsync(path, cancellationToken);
        }

        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }) as JsonObject
                ?? throw new CliException($"{name}: the definition must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new CliException($"{name}: not valid JSON: {ex.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0]} (line {ex.LineNumber + 1}, column {ex.BytePositionInLine + 1})");
        }
    }
}
