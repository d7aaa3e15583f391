using OrleansDcos.NodeDaemon.Containerizers.Docker;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Components;

/// <summary>The Docker Engine API over the unix socket, with the real dockerd and the local busybox image.</summary>
[Trait("Component", "Docker")]
public sealed class DockerEngineTests
{
    [RequiresFact(Component.Docker)]
    public async Task A_busybox_container_is_created_started_waited_for_and_removed()
    {
        TestEnvironment.Require(Component.Docker);
        using var docker = new DockerEngineClient(TestEnvironment.DockerSocket!);
        Assert.True(await docker.PingAsync(), "dockerd does not answer /_ping");
        Assert.True(await docker.ImageExistsAsync(TestEnvironment.BusyboxImage), $"{TestEnvironment.BusyboxImage} is missing");

        var label = Guid.NewGuid().ToString("N");
        var spec = new DockerContainerSpec(TestEnvironment.BusyboxImage, ["sh", "-c", "echo hello-$WHO; echo oops >&2; exit 3"])
        {
            Environment = new Dictionary<string, string> { ["WHO"] = "world" },
            Labels = new Dictionary<string, string> { ["orleansdcos.test"] = label },
            MemoryBytes = 64L * 1024 * 1024,
            NanoCpus = 500_000_000,
        };
        var id = await docker.CreateContainerAsync(spec);
        try
        {
            Assert.Equal([id], await docker.ListContainersByLabelAsync("orleansdcos.test", label));

            await docker.StartContainerAsync(id);
            var exitCode = await docker.WaitContainerAsync(id);

            Assert.Equal(3, exitCode);
            var logs = await docker.GetLogsAsync(id);
            Assert.Equal("hello-world\n", logs.Stdout);
            Assert.Equal("oops\n", logs.Stderr);
        }
        finally
        {
            await docker.RemoveContainerAsync(id, force: true);
        }

        Assert.Empty(await docker.ListContainersByLabelAsync("orleansdcos.test", label));
    }

    [RequiresFact(Component.Docker)]
    public async Task A_missing_image_is_a_clear_not_found_error()
    {
        TestEnvironment.Require(Component.Docker);
        using var docker = new DockerEngineClient(TestEnvironment.DockerSocket!);

        Assert.False(await docker.ImageExistsAsync("local/no-such-image:1"));
        var ex = await Assert.ThrowsAsync<DockerEngineException>(
            () => docker.CreateContainerAsync(new DockerContainerSpec("local/no-such-image:1", ["true"])));

        Assert.True(ex.IsNotFound);
        Assert.Contains("local/no-such-image", ex.Message);
    }
}
