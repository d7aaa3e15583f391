using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using OrleansDcos.Silo.Master;
using Xunit;

namespace OrleansDcos.Tests.Unit.Master;

[Trait("Area", "Master")]
public sealed class ArrayPoolMemoryPoolFactoryTests
{
    [Fact]
    public void Kestrel_blocks_are_4_KB_arrays_of_the_shared_pool_and_go_back_to_it()
    {
        using var pool = new ArrayPoolMemoryPoolFactory().Create();
        Assert.Equal(4096, pool.MaxBufferSize);

        var owner = pool.Rent();
        Assert.Equal(4096, owner.Memory.Length);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(owner.Memory, out var segment));
        owner.Dispose();

        // The shared pool hands the same array out again on this thread: the block went back, not to a pool of Kestrel's.
        var again = System.Buffers.ArrayPool<byte>.Shared.Rent(4096);
        Assert.Same(segment.Array, again);
        System.Buffers.ArrayPool<byte>.Shared.Return(again);

        using var large = pool.Rent(10_000);
        Assert.True(large.Memory.Length >= 10_000);
    }

    [Fact]
    public void The_master_gives_Kestrel_the_array_pool_factory_whatever_registered_before_it()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IMemoryPoolFactory<byte>>(new ThrowingFactory());
        services.AddMaster();

        // Kestrel adds its own with TryAdd and resolves the last registration.
        Assert.IsType<ArrayPoolMemoryPoolFactory>(services.BuildServiceProvider().GetRequiredService<IMemoryPoolFactory<byte>>());
    }

    private sealed class ThrowingFactory : IMemoryPoolFactory<byte>
    {
        public System.Buffers.MemoryPool<byte> Create(MemoryPoolOptions? options = null) => throw new InvalidOperationException("not this one");
    }
}
