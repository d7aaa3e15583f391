using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace OrleansDcos.Silo.Master;

/// <summary>Mesos' RecordIO framing: each record is its length in bytes, a newline, and the message (JSON or protobuf).</summary>
public static class RecordIo
{
    /// <summary>One record, framed, as one buffer.</summary>
    public static byte[] Frame(JsonNode record) => Frame(Encoding.UTF8.GetBytes(record.ToJsonString()));

    /// <summary>One record of <paramref name="message"/>'s bytes (JSON or protobuf), framed, as one buffer.</summary>
    public static byte[] Frame(byte[] message)
    {
        var prefix = Encoding.ASCII.GetBytes(message.Length.ToString(CultureInfo.InvariantCulture) + "\n");
        var frame = new byte[prefix.Length + message.Length];
        prefix.CopyTo(frame, 0);
        message.CopyTo(frame, prefix.Length);
        return frame;
    }
}
