using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using OrleansDcos.NodeDaemon.Fetcher;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Agent;

/// <summary>The fetcher against a real HTTP server on 127.0.0.1 and real files.</summary>
[Trait("Area", "Agent")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FetcherTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TcpListener _server = new(IPAddress.Loopback, 0); // port 0: bound atomically, no race with other tests
    private readonly Dictionary<string, byte[]> _files = [];
    private readonly string _base;
    private int _requests;

    public FetcherTests()
    {
        _server.Start();
        _base = $"http://127.0.0.1:{((IPEndPoint)_server.LocalEndpoint).Port}/";
        _ = ServeAsync();
    }

    private string Sandbox => Directory.CreateDirectory(Path.Combine(_dir.Path, "sandbox")).FullName;

    private UriFetcher NewFetcher() => new(Path.Combine(_dir.Path, "cache"));

    private static byte[] Tarball(bool gzip, params (string Name, string Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (Stream outer = gzip ? new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true) : new NonClosing(buffer))
        using (var tar = new TarWriter(outer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                });
            }
        }

        return buffer.ToArray();
    }

    [Fact]
    public async Task A_tarball_over_http_is_extracted_into_the_sandbox()
    {
        _files["app.tgz"] = Tarball(gzip: true, ("bin/start.sh", "#!/bin/sh\necho started\n"), ("conf/app.conf", "port=1"));

        await NewFetcher().FetchAllAsync([new FetchUri(_base + "app.tgz")], Sandbox, CancellationToken.None);

        Assert.Equal("port=1", await File.ReadAllTextAsync(Path.Combine(Sandbox, "conf", "app.conf")));
        Assert.True(File.GetUnixFileMode(Path.Combine(Sandbox, "bin", "start.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.True(File.Exists(Path.Combine(Sandbox, "app.tgz")));
    }

    [Fact]
    public async Task A_zip_from_a_file_uri_is_extracted()
    {
        var zip = Path.Combine(_dir.Path, "site.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            await using var entry = archive.CreateEntry("www/index.html").Open();
            await entry.WriteAsync("hello"u8.ToArray());
        }

        await NewFetcher().FetchAsync(new FetchUri(new Uri(zip).AbsoluteUri), Sandbox, CancellationToken.None);

        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(Sandbox, "www", "index.html")));
    }

    [Fact]
    public async Task An_executable_uri_is_marked_executable_and_not_extracted()
    {
        _files["tool.tar"] = Tarball(gzip: false, ("inner", "x"));

        var path = await NewFetcher().FetchAsync(new FetchUri(_base + "tool.tar", Executable: true), Sandbox, CancellationToken.None);

        Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute));
        Assert.False(File.Exists(Path.Combine(Sandbox, "inner")));
    }

    [Fact]
    public async Task A_cached_uri_is_downloaded_once()
    {
        _files["big.bin"] = new byte[100_000];
        var fetcher = NewFetcher();

        await fetcher.FetchAsync(new FetchUri(_base + "big.bin", Cache: true), Sandbox, CancellationToken.None);
        var second = Directory.CreateDirectory(Path.Combine(_dir.Path, "sandbox2")).FullName;
        await fetcher.FetchAsync(new FetchUri(_base + "big.bin", Cache: true), second, CancellationToken.None);

        Assert.Equal(1, _requests);
        Assert.Equal(100_000, new FileInfo(Path.Combine(second, "big.bin")).Length);
    }

    [Fact]
    public async Task Failures_say_what_went_wrong()
    {
        var fetcher = NewFetcher();

        var missing = await Assert.ThrowsAsync<FetchException>(() => fetcher.FetchAsync(new FetchUri(_base + "nope.tgz"), Sandbox, CancellationToken.None));
        var scheme = await Assert.ThrowsAsync<FetchException>(() => fetcher.FetchAsync(new FetchUri("ftp://127.0.0.1/x.tgz"), Sandbox, CancellationToken.None));

        Assert.Contains("404", missing.Message);
        Assert.Contains("ftp scheme is not supported", scheme.Message);
    }

    [Fact]
    public async Task An_archive_entry_that_climbs_out_of_the_sandbox_is_refused()
    {
        _files["evil.tar"] = Tarball(gzip: false, ("../escaped.txt", "gotcha"));

        await Assert.ThrowsAsync<FetchException>(() => NewFetcher().FetchAsync(new FetchUri(_base + "evil.tar"), Sandbox, CancellationToken.None));

        Assert.False(File.Exists(Path.Combine(_dir.Path, "escaped.txt")));
    }

    public void Dispose()
    {
        _server.Stop();
        _dir.Dispose();
    }

    /// <summary>A minimal HTTP/1.1 file server: one request per connection.</summary>
    private async Task ServeAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _server.AcceptTcpClientAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using (client)
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, leaveOpen: true);
                var requestLine = await reader.ReadLineAsync() ?? "";
                while (await reader.ReadLineAsync() is { Length: > 0 })
                {
                    // headers: not needed
                }

                Interlocked.Increment(ref _requests);
                var path = requestLine.Split(' ') is [_, var target, ..] ? target.TrimStart('/') : "";
                var found = _files.TryGetValue(path, out var body);
                body ??= [];
                var head = $"HTTP/1.1 {(found ? "200 OK" : "404 Not Found")}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
                await stream.WriteAsync(body);
            }
        }
    }

    /// <summary>Lets the tar writer close its stream without closing the buffer read afterwards.</summary>
    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
