using System.Text;
using OrleansDcos.NodeDaemon.Containerizers.Process;
using Xunit;

namespace OrleansDcos.Tests.Unit.NodeDaemon;

/// <summary>A process's environment read back from <c>/proc/&lt;pid&gt;/environ</c>, as a recovered task's health checks get it.</summary>
public sealed class ProcessEnvironmentTests
{
    [Fact]
    public void Entries_split_at_the_first_equals_sign_and_keep_unicode_and_empty_values()
    {
        var environ = Encoding.UTF8.GetBytes("PATH=/bin\0TOKEN=a=b==\0EMPTY=\0NAME=żółw 漢字\0");

        var variables = ProcessEnvironment.Parse(environ);

        Assert.Equal(new Dictionary<string, string> { ["PATH"] = "/bin", ["TOKEN"] = "a=b==", ["EMPTY"] = "", ["NAME"] = "żółw 漢字" }, variables);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\0\0")]
    [InlineData("NOEQUALS\0=novalue\0")]
    public void Entries_without_a_name_are_left_out(string environ) =>
        Assert.Empty(ProcessEnvironment.Parse(Encoding.UTF8.GetBytes(environ)));

    [Fact]
    public void A_name_given_twice_keeps_its_last_value_and_a_missing_final_nul_is_no_matter()
    {
        var variables = ProcessEnvironment.Parse(Encoding.UTF8.GetBytes("A=1\0B=2\0A=3"));

        Assert.Equal("3", variables["A"]);
        Assert.Equal("2", variables["B"]);
    }
}
