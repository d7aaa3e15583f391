using System.Security.Cryptography;
using System.Text;

namespace OrleansDcos.Scheduling.Discovery;

/// <summary>
/// The short hash of a task id in a task's canonical DNS name (<c>web-&lt;hash&gt;-&lt;agent&gt;.marathon.mesos</c>),
/// as Mesos-DNS writes it: the first five characters of the z-base-32 encoding of the id's SHA-1.
/// </summary>
public static class TaskHash
{
    private const string ZBase32 = "ybndrfg8ejkmcpqxot1uwisza345h769";

    /// <summary>The five characters naming <paramref name="taskId"/>.</summary>
    public static string Of(string taskId)
    {
        var digest = SHA1.HashData(Encoding.UTF8.GetBytes(taskId));

        // Five characters are the first 25 bits, five at a time, most significant first.
        var bits = ((uint)digest[0] << 24) | ((uint)digest[1] << 16) | ((uint)digest[2] << 8) | digest[3];
        return string.Create(5, bits, (chars, value) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = ZBase32[(int)(value >> (27 - (5 * i))) & 31];
            }
        });
    }
}
