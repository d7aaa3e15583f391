using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Tests.Support;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>
/// <c>event-bus</c>: Marathon's SSE event bus (<c>/v2/events</c>) under load. One silo with Marathon on PostgreSQL;
/// subscribers attach, then publisher grains put numbered events on the durable event stream at a steady total rate.
/// One subscriber drops its connection half way and resumes with <c>Last-Event-ID</c>. Every subscriber must end with
/// every event, in log order (ids rising), none twice. Reports what was lost, the delivery latency (publish to
/// receipt, same process clock) and how long the subscribers took to drain after the last publish.
/// </summary>
internal sealed class EventBusScenario : IScenario
{
    private const int Publishers = 100;

    public string Name => "event-bus";

    public string Description => "100 SSE subscribers on /v2/events while 10,000 events/s are published; one resumes with Last-Event-ID (target lost=0)";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        var subscribers = small ? 10 : 100;
        var rate = small ? 2_000 : 10_000;
        var seconds = small ? 3 : 10;
        var total = rate * seconds;
        await using var cluster = await MasterBenchCluster.StartAsync(_ => { }, marathon: true);
        var address = cluster.Gateways[0];
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue };
        using var http = new HttpClient(handler) { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
        using var stop = new CancellationTokenSource();

        var readers = Enumerable.Range(0, subscribers).Select(i => new Subscriber(total, resumeAt: i == 0 ? total / 2 : null)).ToArray();
        var reading = readers.Select(r => Task.Run(() => r.RunAsync(http, stop.Token))).ToArray();
        await Poll.UntilAsync(() => Task.FromResult(readers.All(r => r.Attached)), TimeSpan.FromSeconds(60), "every subscriber attached");

        var grains = cluster.RunningSilos[0].Grains;
        var clock = Stopwatch.StartNew();
        var start = Stopwatch.GetTimestamp();
        // A call per publisher and second (a grain call has to answer within Orleans' response timeout).
        await Task.WhenAll(Enumerable.Range(0, Publishers).Select(async p =>
        {
            for (var second = 0; second < seconds; second++)
            {
                await grains.GetGrain<IBenchEventPublisher>(p).Publish((second * rate) + p, Publishers, (second + 1) * rate, rate, start);
            }
        }));
        var published = clock.Elapsed;
        try
        {
            await Poll.UntilAsync(() => Task.FromResult(readers.All(r => r.Received == total)), TimeSpan.FromSeconds(small ? 60 : 180),
                () => $"every subscriber got all {total} events (least: {readers.Min(r => r.Received)})", TimeSpan.FromMilliseconds(20));
        }
        catch (TimeoutException ex)
        {
            Console.Error.WriteLine(ex.Message);
        }

        var drained = clock.Elapsed - published;
        await stop.CancelAsync();
        await Task.WhenAll(reading);

        var latencies = readers.SelectMany(r => r.LatenciesMs).Order().ToArray();
        return new ScenarioResult()
            .Add("subscribers", subscribers)
            .Add("events", total)
            .Add("publish_s", published.TotalSeconds, 2)
            .Add("events_per_s", (long)(total / published.TotalSeconds))
            .Add("delivered", readers.Sum(r => (long)r.Received))
            .Add("lost", readers.Sum(r => (long)(total - r.Received)))
            .Add("duplicates", readers.Sum(r => (long)r.Duplicates))
            .Add("out_of_order", readers.Sum(r => (long)r.OutOfOrder))
            .Add("resumed_missed", total - readers[0].Received)
            .Add("latency_p50_ms", Percentile(latencies, 0.50), 1)
            .Add("latency_p99_ms", Percentile(latencies, 0.99), 1)
            .Add("drain_s", drained.TotalSeconds, 2);
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    /// <summary>One SSE client: reads frames as a browser's EventSource would and checks each bench event off.</summary>
    private sealed class Subscriber(int total, int? resumeAt)
    {
        private readonly bool[] _seen = new bool[total];
        private long _lastId = -1;
        private int _received;

        public bool Attached { get; private set; }

        public int Received => Volatile.Read(ref _received);

        public int Duplicates { get; private set; }

        public int OutOfOrder { get; private set; }

        /// <summary>A sample of delivery latencies (every 10th event).</summary>
        public List<double> LatenciesMs { get; } = [];

        public async Task RunAsync(HttpClient http, CancellationToken stop)
        {
            long? resumeFrom = null;
            while (!stop.IsCancellationRequested)
            {
                using var leave = CancellationTokenSource.CreateLinkedTokenSource(stop);
                try
                {
                    await ReadAsync(http, resumeFrom, leave);
                }
                catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException)
                {
                    // Stopped, or this subscriber's planned disconnect.
                }

                resumeFrom = _lastId;
            }
        }

        private async Task ReadAsync(HttpClient http, long? resumeFrom, CancellationTokenSource leave)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/events");
            request.Headers.Accept.ParseAdd("text/event-stream");
            if (resumeFrom is { } after)
            {
                request.Headers.Add("Last-Event-ID", after.ToString(CultureInfo.InvariantCulture));
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, leave.Token);
            response.EnsureSuccessStatusCode();

            // Frames are parsed from the bytes as they come (a string per line would make the client the bottleneck).
            var pipe = PipeReader.Create(await response.Content.ReadAsStreamAsync(leave.Token));
            while (true)
            {
                var result = await pipe.ReadAsync(leave.Token);
                var buffer = result.Buffer;
                while (FrameEnd(buffer) is { } end)
                {
                    Take(buffer.Slice(0, end).ToArray());
                    buffer = buffer.Slice(buffer.GetPosition(2, end));
                    if (resumeAt is { } half && Received >= half && resumeFrom is null)
                    {
                        await leave.CancelAsync(); // the planned disconnect: resume with the last id seen
                        return;
                    }
                }

                pipe.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }

        /// <summary>Where the first "\n\n" of <paramref name="buffer"/> starts, if it has one.</summary>
        private static SequencePosition? FrameEnd(ReadOnlySequence<byte> buffer)
        {
            var reader = new SequenceReader<byte>(buffer);
            return reader.TryReadTo(out ReadOnlySequence<byte> frame, "\n\n"u8, advancePastDelimiter: false) ? frame.End : null;
        }

        private void Take(byte[] frame)
        {
            long id = -1;
            if (frame.AsSpan().StartsWith("id: "u8))
            {
                var digits = frame.AsSpan(4);
                id = long.Parse(digits[..digits.IndexOf((byte)'\n')], provider: CultureInfo.InvariantCulture);
            }

            if (frame.AsSpan().IndexOf("event: event_stream_attached"u8) >= 0)
            {
                Attached = true;
                return;
            }

            if (frame.AsSpan().IndexOf("event: bench_event\n"u8) < 0)
            {
                return;
            }

            var now = Stopwatch.GetTimestamp();
            if (id <= _lastId)
            {
                OutOfOrder++;
            }

            _lastId = id;
            var seq = (int)Number(frame, "\"seq\":"u8);
            if (_seen[seq])
            {
                Duplicates++;
                return;
            }

            _seen[seq] = true;
            if (seq % 10 == 0)
            {
                LatenciesMs.Add(Stopwatch.GetElapsedTime(Number(frame, "\"at\":"u8), now).TotalMilliseconds);
            }

            Interlocked.Increment(ref _received);
        }

        private static long Number(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> field)
        {
            var digits = frame[(frame.IndexOf(field) + field.Length)..];
            var end = digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
            return long.Parse(end < 0 ? digits : digits[..end], provider: CultureInfo.InvariantCulture);
        }
    }
}
