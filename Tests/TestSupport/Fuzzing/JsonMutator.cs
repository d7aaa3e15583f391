using System.Text;
using System.Text.Json.Nodes;

namespace OrleansDcos.Tests.Support.Fuzzing;

/// <summary>
/// Mutates a valid JSON body the ways an API must survive: a value's type swapped, null, huge, negative or fractional
/// numbers, long and odd Unicode strings, deep nesting, keys dropped, unknown or duplicated, the text cut short. Seeded:
/// the same random source gives the same bodies.
/// </summary>
public static class JsonMutator
{
    private static readonly JsonNode?[] Odd =
    [
        null, true, false, 0, -1, 1.5, 1e308, -1e308, long.MaxValue, long.MinValue, "", " ", "../../etc/passwd", "%2e%2e/",
        "\u0000", "é漢字🚀", "\uFEFF", "<script>alert(1)</script>", "' OR 1=1 --", "${jndi:ldap://127.0.0.1/x}", new JsonArray(), new JsonObject(),
    ];

    /// <summary>The text of <paramref name="seed"/> after one to three mutations.</summary>
    public static string Mutate(JsonNode seed, Random random)
    {
        var node = seed.DeepClone();
        var times = random.Next(1, 4);
        string? text = null;
        for (var i = 0; i < times; i++)
        {
            switch (random.Next(10))
            {
                case 0: text = Truncated(node.ToJsonString(), random); break;
                case 1: text = DuplicateKey(node.ToJsonString(), random); break;
                case 2: text = Nested(text ?? node.ToJsonString(), random.Next(50, 5000)); break;
                case 3: node = Replace(node, random, new string((char)random.Next(32, 0x2FFF), random.Next(1_000, 200_000))); break;
                case 4: node = DropKey(node, random); break;
                case 5: node = AddKey(node, random); break;
                default: node = Replace(node, random, Odd[random.Next(Odd.Length)]?.DeepClone()); break;
            }
        }

        return text ?? node.ToJsonString();
    }

    /// <summary><paramref name="text"/> with a value nested <paramref name="depth"/> deep put in its first object (as text: deeper than a JsonNode writes).</summary>
    private static string Nested(string text, int depth)
    {
        var brace = text.IndexOf('{', StringComparison.Ordinal);
        var deep = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            deep.Append(i % 2 == 0 ? "[" : "{\"a\":");
        }

        for (var i = depth - 1; i >= 0; i--)
        {
            deep.Append(i % 2 == 0 ? "]" : "}");
        }

        return brace < 0 ? deep.ToString() : text.Insert(brace + 1, $"\"deep\":{deep},");
    }

    private static string Truncated(string text, Random random) => text.Length <= 1 ? "" : text[..random.Next(text.Length)];

    private static string DuplicateKey(string text, Random random)
    {
        var brace = text.IndexOf('{', StringComparison.Ordinal);
        return brace < 0 ? text : text.Insert(brace + 1, $"\"id\":{(random.Next(2) == 0 ? "1" : "\"/dup\"")},");
    }

    /// <summary>Every object and array inside <paramref name="root"/>, root first.</summary>
    private static List<JsonNode> Containers(JsonNode root)
    {
        var found = new List<JsonNode>();
        var stack = new Stack<JsonNode>([root]);
        while (stack.Count > 0 && found.Count < 500)
        {
            var node = stack.Pop();
            if (node is JsonObject or JsonArray)
            {
                found.Add(node);
                foreach (var child in node is JsonObject o ? o.Select(p => p.Value) : ((JsonArray)node).AsEnumerable())
                {
                    if (child is not null)
                    {
                        stack.Push(child);
                    }
                }
            }
        }

        return found;
    }

    private static JsonNode Replace(JsonNode root, Random random, JsonNode? value)
    {
        var containers = Containers(root);
        if (containers.Count == 0)
        {
            return value ?? JsonValue.Create(0)!;
        }

        switch (containers[random.Next(containers.Count)])
        {
            case JsonObject o when o.Count > 0:
                o[o.ElementAt(random.Next(o.Count)).Key] = value;
                break;
            case JsonArray a when a.Count > 0:
                a[random.Next(a.Count)] = value;
                break;
            case JsonObject o:
                o["x"] = value;
                break;
            case JsonArray a:
                a.Add(value);
                break;
        }

        return root;
    }

    private static JsonNode DropKey(JsonNode root, Random random)
    {
        if (Containers(root).OfType<JsonObject>().Where(o => o.Count > 0).ToList() is { Count: > 0 } objects)
        {
            var o = objects[random.Next(objects.Count)];
            o.Remove(o.ElementAt(random.Next(o.Count)).Key);
        }

        return root;
    }

    private static JsonNode AddKey(JsonNode root, Random random)
    {
        if (Containers(root).OfType<JsonObject>().ToList() is { Count: > 0 } objects)
        {
            objects[random.Next(objects.Count)]["unknown" + random.Next(100).ToString(System.Globalization.CultureInfo.InvariantCulture)] = Odd[random.Next(Odd.Length)]?.DeepClone();
        }

        return root;
    }

    /// <summary>A body of <paramref name="bytes"/> bytes of JSON (an array of strings): over every API's limit when large.</summary>
    public static string Oversized(int bytes)
    {
        var text = new StringBuilder("[");
        while (text.Length < bytes)
        {
            text.Append("\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",");
        }

        return text.Append("\"x\"]").ToString();
    }
}
