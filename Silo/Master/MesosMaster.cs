using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace OrleansDcos.Silo.Master;

/// <summary>
/// A silo as Mesos names a master (<c>MasterInfo</c>): id, address and <c>master@ip:port</c> pid — taken from the silo's
/// own name (its API's <c>host:port</c>) and Orleans address, never from a request.
/// </summary>
/// <param name="Id">A stable id of this silo incarnation.</param>
/// <param name="Hostname">The host of its API address.</param>
/// <param name="Ip">Its IP (the API host when it is one, else the silo's Orleans address).</param>
/// <param name="Port">Its API port.</param>
internal sealed record MesosMaster(string Id, string Hostname, IPAddress Ip, int Port)
{
    /// <summary>The Mesos API version this master speaks (clients gate features on it).</summary>
    public const string MesosVersion = "1.11.0";

    /// <summary><c>master@ip:port</c>.</summary>
    public string Pid => $"master@{Ip}:{Port}";

    /// <summary>The master of a silo named <paramref name="name"/> (<c>host:port</c>) at Orleans address <paramref name="address"/>.</summary>
    public static MesosMaster Of(string name, SiloAddress address)
    {
        var (host, port) = Hosting.ClusterLeader.HostAndPort(name);
        var ip = IPAddress.TryParse(host, out var parsed) ? parsed : address.Endpoint.Address;
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(address.ToParsableString()));
        return new MesosMaster(new Guid(digest.AsSpan(0, 16)).ToString(), host, ip, port);
    }

    /// <summary>This silo as a master.</summary>
    public static MesosMaster Self(Hosting.ClusterLeader leader) => Of(leader.SelfName, leader.SelfAddress);

    /// <summary>The capabilities this master announces (Mesos' <c>MasterInfo.Capability</c> objects).</summary>
    public static JsonArray Capabilities() => new(new JsonObject { ["type"] = "AGENT_DRAINING" });

    /// <summary>Mesos' <c>MasterInfo</c> JSON (<c>ip</c> as Mesos keeps it: the IPv4 address in network order read as a number).</summary>
    public JsonObject Info() => new()
    {
        ["id"] = Id,
        ["ip"] = Ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? BinaryPrimitives.ReadUInt32LittleEndian(Ip.GetAddressBytes()) : 0,
        ["port"] = Port,
        ["pid"] = Pid,
        ["hostname"] = Hostname,
        ["version"] = MesosVersion,
        ["address"] = new JsonObject { ["hostname"] = Hostname, ["ip"] = Ip.ToString(), ["port"] = Port },
        ["capabilities"] = Capabilities(),
    };
}
