using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using OrleansDcos.Tests.Support.Master;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Stateful;

/// <summary>
/// GPUs end to end with a resource-string GPU agent (no device needed) beside a plain one: GPU apps land only on the GPU
/// agent, each task named its own devices; apps without GPUs keep off it; only GPU_RESOURCES frameworks are offered it.
/// </summary>
[Trait("Area", "Stateful")]
public sealed class GpuTests
{
    [Fact]
    public async Task Gpu_tasks_land_on_the_gpu_agent_with_their_own_devices_and_only_gpu_aware_frameworks_are_offered_it()
    {
        await using var silo = await SiloProcess.StartAsync("--Silo:EmbeddedAgent=false");
        using var gpuWork = new TempDirectory();
        using var plainWork = new TempDirectory();
        await using var gpuAgent = await DaemonProcess.StartAsync(silo.BaseAddress, gpuWork.Path, "cpus:2;mem:512;disk:100;gpus:2;ports:[32400-32409]", "--Daemon:Hostname=gpu-host");
        await using var plainAgent = await DaemonProcess.StartAsync(silo.BaseAddress, plainWork.Path, "cpus:2;mem:512;disk:100;ports:[32410-32419]", "--Daemon:Hostname=plain-host");
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(60));
        await api.WaitForAgentsAsync(2);

        JsonObject App(string id, int gpus) => new()
        {
            ["id"] = id,
            ["cmd"] = "echo \"nvidia=$NVIDIA_VISIBLE_DEVICES cuda=$CUDA_VISIBLE_DEVICES gpus=$MARATHON_APP_RESOURCE_GPUS\"; exec sleep 600",
            ["cpus"] = 0.1,
            ["mem"] = 16,
            ["gpus"] = gpus,
            ["instances"] = 2,
        };

        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", App("/gpu/trainer", 1));
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", App("/gpu/web", 0));
        await api.WaitForTasksAsync("/gpu/trainer", 2);
        await api.WaitForTasksAsync("/gpu/web", 2);

        var trainer = await api.TasksAsync("/gpu/trainer");
        Assert.All(trainer, t => Assert.Equal("gpu-host", t!["host"]!.GetValue<string>()));
        Assert.All(await api.TasksAsync("/gpu/web"), t => Assert.Equal("plain-host", t!["host"]!.GetValue<string>()));
        var seen = new List<string>();
        foreach (var id in MarathonApi.Ids(trainer))
        {
            seen.Add(await PollValue.UntilAsync(async () =>
            {
                var chunk = JsonNode.Parse(await api.Http.GetStringAsync($"/api/v1/tasks/{id}/logs/stdout"))!;
                var line = chunk["data"]!.GetValue<string>().Trim();
                return line.Length > 0 ? line : null;
            }, TimeSpan.FromSeconds(20), $"the stdout of {id}"));
        }

        Assert.Equal(["nvidia=0 cuda=0 gpus=1", "nvidia=1 cuda=1 gpus=1"], seen.Order(StringComparer.Ordinal));

        // A framework without GPU_RESOURCES is offered only the plain agent; one with it is offered the GPU agent.
        await using (var plain = new RawFramework(silo.BaseAddress))
        {
            await plain.SubscribeAsync("no-gpus");
            var offer = await plain.NextOfferAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("plain-host", offer["hostname"]!.GetValue<string>());
            await Poll.UntilAsync(() => Task.FromResult(plain.Offers.Count > 0), TimeSpan.FromSeconds(5), "offers held");
            Assert.DoesNotContain(plain.Offers.Values, o => o["hostname"]!.GetValue<string>() == "gpu-host");
            await plain.CallOkAsync("TEARDOWN");
        }

        await using var aware = new RawFramework(silo.BaseAddress);
        await aware.SubscribeAsync("gpu-aware", capabilities: ["GPU_RESOURCES"]);
        var gpuOffer = await aware.OfferWhereAsync(o => o["hostname"]!.GetValue<string>() == "gpu-host", "from the GPU agent", TimeSpan.FromSeconds(30));
        Assert.Equal(0, RawFramework.Scalar(gpuOffer, "gpus")); // both GPUs are used by the trainer
    }
}
