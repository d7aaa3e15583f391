using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace OrleansDcos.Silo.Master;

/// <summary>Mesos' RecordIO framing: each record is its length in bytes, a newline, and the JSON.</summary>
public static class RecordIo
{
    /// <summary>One record, framed, as one buffer.</summary>
    public static byte[] Frame(JsonNode record)
    {
        var json = Encoding.UTF8.GetBytes(record.ToJsonString());
        var prefix = Encoding.ASCII.GetBytes(json.Length.ToString(CultureInfo.InvariantCulture) + "\n");
        var frame = new byte[prefix.Length + json.Length];
        prefix.CopyTo(frame, 0);
        json.CopyTo(frame, prefix.Length);
        return frame;
    }
}
