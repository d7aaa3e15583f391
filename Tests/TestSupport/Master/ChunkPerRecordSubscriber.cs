using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace OrleansDcos.Tests.Support.Master;

/// <summary>
/// A scheduler-stream reader as simple Mesos clients write it: raw HTTP/1.1 over a socket, where every HTTP chunk must
/// hold exactly one RecordIO record (<c>length\njson</c>), as Mesos writes them. A chunk that holds anything else (a
/// part of a record, or several) is recorded in <see cref="FramingErrors"/>.
/// </summary>
public sealed class ChunkPerRecordSubscriber : IAsyncDisposable
{
    private readonly TcpClient _tcp = new();
    private readonly ConcurrentQueue<JsonObject> _records = new();
    private readonly ConcurrentQueue<string> _framingErrors = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;

    /// <summary>The records read, in order.</summary>
    public IReadOnlyList<JsonObject> Records => _records.ToArray();

    /// <summary>Chunks that were not exactly one record.</summary>
    public IReadOnlyCollection<string> FramingErrors => _framingErrors;

    /// <summary>The <c>Mesos-Stream-Id</c> header of the subscription.</summary>
    public string? StreamId { get; private set; }

    /// <summary>Subscribes a framework named <paramref name="name"/> at <paramref name="gateway"/> and starts reading.</summary>
    public async Task SubscribeAsync(Uri gateway, string name)
    {
        await _tcp.ConnectAsync(gateway.Host, gateway.Port);
        var stream = _tcp.GetStream();
        var body = new JsonObject
        {
            ["type"] = "SUBSCRIBE",
            ["subscribe"] = new JsonObject { ["framework_info"] = new JsonObject { ["user"] = "", ["name"] = name } },
        }.ToJsonString();
        var request = $"POST /api/v1/scheduler HTTP/1.1\r\nHost: {gateway.Authority}\r\nContent-Type: application/json\r\nAccept: application/json\r\n" +
            $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request));

        var head = await ReadHeadAsync(stream);
        if (!head[0].Contains(" 200 ", StringComparison.Ordinal) || !head.Any(h => h.Equals("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"SUBSCRIBE answered {string.Join(" | ", head)}");
        }

        StreamId = head.First(h => h.StartsWith("Mesos-Stream-Id:", StringComparison.OrdinalIgnoreCase))["Mesos-Stream-Id:".Length..].Trim();
        _reader = ReadChunksAsync(stream, _stop.Token);
    }

    private static async Task<List<string>> ReadHeadAsync(NetworkStream stream)
    {
        var lines = new List<string>();
        while (await ReadLineAsync(stream, CancellationToken.None) is { Length: > 0 } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    private async Task ReadChunksAsync(NetworkStream stream, CancellationToken cancellation)
    {
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                var size = int.Parse((await ReadLineAsync(stream, cancellation)).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    return;
                }

                var chunk = new byte[size];
                await stream.ReadExactlyAsync(chunk, cancellation);
                await ReadLineAsync(stream, cancellation); // the chunk's CRLF
                var text = Encoding.UTF8.GetString(chunk);
                var newline = text.IndexOf('\n', StringComparison.Ordinal);
                var json = newline < 0 ? null : Encoding.UTF8.GetBytes(text[(newline + 1)..]);
                if (newline < 0 || !int.TryParse(text[..newline], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || json!.Length != length)
                {
                    _framingErrors.Enqueue(text.Length > 200 ? text[..200] : text);
                    continue;
                }

                _records.Enqueue(JsonNode.Parse(json)!.AsObject());
            }
        }
        catch (Exception) when (cancellation.IsCancellationRequested)
        {
            // Disposed.
        }
        catch (IOException)
        {
            // The silo closed the stream.
        }
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream, CancellationToken cancellation)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellation) == 0)
            {
                throw new IOException("the connection closed");
            }

            if (one[0] == '\n')
            {
                return Encoding.ASCII.GetString(line.ToArray()).TrimEnd('\r');
            }

            line.Add(one[0]);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _tcp.Dispose();
        if (_reader is not null)
        {
            await _reader.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _stop.Dispose();
    }
}
