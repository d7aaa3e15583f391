using System.Buffers.Binary;
using System.Text;

namespace OrleansDcos.NodeDaemon.Containerizers.Docker;

/// <summary>A container's output, split into its two streams.</summary>
public sealed record DockerLogs(string Stdout, string Stderr)
{
    /// <summary>
    /// Splits the engine's multiplexed log format: frames of an 8-byte header
    /// (stream type 1 = stdout, 2 = stderr; 3 bytes padding; big-endian uint32 length) then the payload.
    /// </summary>
    public static DockerLogs Demultiplex(ReadOnlySpan<byte> data)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        while (data.Length >= 8)
        {
            var stream = data[0];
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(data[4..8]);
            if (length > data.Length - 8)
            {
                throw new FormatException($"truncated docker log frame: header says {length} bytes, {data.Length - 8} remain");
            }

            var payload = Encoding.UTF8.GetString(data.Slice(8, length));
            (stream == 2 ? stderr : stdout).Append(payload);
            data = data[(8 + length)..];
        }

        if (!data.IsEmpty)
        {
            throw new FormatException($"truncated docker log frame header: {data.Length} bytes");
        }

        return new DockerLogs(stdout.ToString(), stderr.ToString());
    }
}
