using System.Text.Json.Nodes;

namespace OrleansDcos.Client.Frameworks;

/// <summary>RecordIO framing: a decimal length, a newline, that many bytes of JSON.</summary>
public static class RecordIo
{
    /// <summary>The next record of <paramref name="body"/>, or null when the stream ended.</summary>
    public static async Task<JsonObject?> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        var length = 0;
        var one = new byte[1];
        while (true)
        {
            if (await body.ReadAsync(one, cancellationToken) == 0)
            {
                return null;
            }

            if (one[0] == (byte)'\n')
            {
                break;
            }

            if (one[0] is < (byte)'0' or > (byte)'9')
            {
                throw new IOException("the event stream is not RecordIO");
            }

            length = checked(length * 10 + (one[0] - '0'));
        }

        var buffer = new byte[length];
        await body.ReadExactlyAsync(buffer, cancellationToken);
        return JsonNode.Parse(buffer)?.AsObject();
    }
}
