using OrleansDcos.Scheduling.Security;
using Xunit;

namespace OrleansDcos.Tests.Unit.Security;

/// <summary>Agent enrollment decisions: join token once, credential after, bound to the agent id.</summary>
[Trait("Area", "Security")]
public sealed class EnrollmentTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_join_token_enrolls_a_new_agent_once_and_its_credential_admits_only_that_agent()
    {
        var (token, text) = JoinToken.Create("rack-1", uses: 1);
        var tokens = new Dictionary<string, JoinToken> { ["rack-1"] = token };

        var first = Enrollment.Decide(tokens, new Dictionary<string, AgentCredential>(), text, "a1", Now);

        Assert.True(first.Admitted);
        Assert.StartsWith(Enrollment.CredentialPrefix, first.Issued, StringComparison.Ordinal);
        Assert.Equal(0, first.UsedToken!.UsesLeft);
        Assert.Equal("rack-1", first.NewAgent!.AdmittedBy);
        Assert.DoesNotContain(first.Issued![Enrollment.CredentialPrefix.Length..], first.NewAgent.SecretHash, StringComparison.Ordinal);

        var agents = new Dictionary<string, AgentCredential> { ["a1"] = first.NewAgent };
        tokens["rack-1"] = first.UsedToken;
        var back = Enrollment.Decide(tokens, agents, first.Issued, "a1", Now);
        Assert.True(back.Admitted);
        Assert.Null(back.Issued);

        Assert.Contains("not valid for agent 'a2'", Enrollment.Decide(tokens, agents, first.Issued, "a2", Now).Problem, StringComparison.Ordinal);
        Assert.Contains("used up", Enrollment.Decide(tokens, agents, text, "a3", Now).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_join_token_cannot_take_an_enrolled_agent_id_and_revoked_agents_and_bad_tokens_are_refused()
    {
        var (token, text) = JoinToken.Create("rack-2", uses: 10);
        var tokens = new Dictionary<string, JoinToken> { ["rack-2"] = token };
        var enrolled = Enrollment.Decide(tokens, new Dictionary<string, AgentCredential>(), text, "a1", Now);
        var agents = new Dictionary<string, AgentCredential> { ["a1"] = enrolled.NewAgent! };

        Assert.Contains("enrolled already", Enrollment.Decide(tokens, agents, text, "a1", Now).Problem, StringComparison.Ordinal);

        agents["a1"] = agents["a1"] with { Revoked = true };
        Assert.Contains("revoked", Enrollment.Decide(tokens, agents, enrolled.Issued, "a1", Now).Problem, StringComparison.Ordinal);
        Assert.Contains("not valid", Enrollment.Decide(tokens, agents, "agent.forged", "a1", Now).Problem, StringComparison.Ordinal);
        Assert.Contains("needs a join token", Enrollment.Decide(tokens, agents, null, "a9", Now).Problem, StringComparison.Ordinal);
        Assert.Contains("not valid", Enrollment.Decide(tokens, agents, "rack-2.wrong", "a9", Now).Problem, StringComparison.Ordinal);
        tokens["rack-2"] = token with { Revoked = true };
        Assert.Contains("revoked", Enrollment.Decide(tokens, agents, text, "a9", Now).Problem, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => JoinToken.Create("agent"));
    }
}
