using System.Buffers.Binary;
using System.Text;
using OrleansDcos.NodeDaemon.Containerizers.Docker;
using Xunit;

namespace OrleansDcos.Tests.Unit.NodeDaemon;

public sealed class DockerLogsTests
{
    [Fact]
    public void Frames_are_split_into_stdout_and_stderr_in_order()
    {
        var data = Frame(1, "out-1\n").Concat(Frame(2, "err-1\n")).Concat(Frame(1, "out-2\n")).ToArray();

        var logs = DockerLogs.Demultiplex(data);

        Assert.Equal("out-1\nout-2\n", logs.Stdout);
        Assert.Equal("err-1\n", logs.Stderr);
    }

    [Fact]
    public void Empty_input_is_empty_logs()
    {
        Assert.Equal(new DockerLogs(string.Empty, string.Empty), DockerLogs.Demultiplex([]));
    }

    [Fact]
    public void A_frame_longer_than_the_data_is_rejected()
    {
        var frame = Frame(1, "hello");
        var ex = Assert.Throws<FormatException>(() => DockerLogs.Demultiplex(frame.AsSpan(0, frame.Length - 1)));
        Assert.Contains("truncated docker log frame", ex.Message);
    }

    [Fact]
    public void A_partial_header_is_rejected()
    {
        Assert.Throws<FormatException>(() => DockerLogs.Demultiplex(new byte[] { 1, 0, 0 }));
    }

    private static byte[] Frame(byte stream, string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[8 + payload.Length];
        frame[0] = stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4, 4), (uint)payload.Length);
        payload.CopyTo(frame, 8);
        return frame;
    }
}
