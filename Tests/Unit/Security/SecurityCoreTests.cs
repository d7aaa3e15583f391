using System.Security.Cryptography;
using System.Text;
using OrleansDcos.Scheduling.Security;
using Xunit;

namespace OrleansDcos.Tests.Unit.Security;

/// <summary>The pure core of security: permissions, password hashes, sealed secrets, join tokens, the audit trail.</summary>
[Trait("Area", "Security")]
public sealed class SecurityCoreTests
{
    private static readonly Permission[] TeamA =
    [
        new("marathon:app:/team-a/*", PermissionActions.Full),
        new("mesos:framework:role:team-a", PermissionActions.Create),
        new("jobs:job:nightly-*", PermissionActions.Read | PermissionActions.Update),
    ];

    [Theory]
    [InlineData("marathon:app:/team-a/web", PermissionActions.Create, true)]
    [InlineData("marathon:app:/team-a", PermissionActions.Read, true)] // the group itself
    [InlineData("marathon:app:/team-a/sub/db", PermissionActions.Delete, true)]
    [InlineData("marathon:app:/team-ab/web", PermissionActions.Read, false)] // another team with a longer name
    [InlineData("marathon:app:/team-b/web", PermissionActions.Create, false)]
    [InlineData("mesos:framework:role:team-a", PermissionActions.Create, true)]
    [InlineData("mesos:framework:role:team-b", PermissionActions.Create, false)]
    [InlineData("jobs:job:nightly-report", PermissionActions.Update, true)]
    [InlineData("jobs:job:nightly-report", PermissionActions.Delete, false)]
    [InlineData("jobs:job:nightly-report", PermissionActions.Read | PermissionActions.Update, true)]
    [InlineData("mesos:master:teardown", PermissionActions.Update, false)]
    public void Grants_allow_exactly_what_they_cover(string resource, PermissionActions action, bool allowed)
    {
        Assert.Equal(allowed, Authorizer.Allows(TeamA, resource, action));
        Assert.Equal(allowed ? null : $"{resource} {Authorizer.ActionText(action)}", Authorizer.Missing(TeamA, resource, action));
        Assert.True(Authorizer.Allows([new Permission(Permission.Superuser, PermissionActions.Full)], resource, action));
    }

    [Fact]
    public void Listings_keep_what_may_be_read_and_actions_read_from_text()
    {
        var apps = new[] { "/team-a/web", "/team-b/web", "/team-a/db" };

        Assert.Equal(["/team-a/web", "/team-a/db"], Authorizer.Readable(TeamA, apps, a => $"marathon:app:{a}"));
        Assert.Equal(PermissionActions.Read | PermissionActions.Delete, Authorizer.ParseActions("read, delete"));
        Assert.Equal(PermissionActions.Full, Authorizer.ParseActions("full"));
        Assert.Null(Authorizer.ParseActions("read,launch"));
        Assert.Null(Authorizer.ParseActions("4"));
        Assert.Null(Authorizer.ParseActions(""));
        Assert.Equal("read,update", Authorizer.ActionText(PermissionActions.Read | PermissionActions.Update));
        Assert.NotNull(new Permission("a b", PermissionActions.Read).Problem());
        Assert.NotNull(new Permission("x", PermissionActions.None).Problem());
    }

    [Fact]
    public void A_password_hash_is_salted_slow_and_checked_only_against_its_password()
    {
        var first = PasswordHash.Hash("correct horse", iterations: 1000);
        var second = PasswordHash.Hash("correct horse", iterations: 1000);

        Assert.NotEqual(first, second); // salted
        Assert.StartsWith("pbkdf2-sha256$1000$", first, StringComparison.Ordinal);
        Assert.DoesNotContain("correct", first, StringComparison.Ordinal);
        Assert.True(PasswordHash.Verify("correct horse", first));
        Assert.False(PasswordHash.Verify("correct horsE", first));
        Assert.False(PasswordHash.Verify("correct horse", "md5$1$x$y"));
        Assert.False(PasswordHash.Verify("correct horse", "pbkdf2-sha256$1000$!!$!!"));
        Assert.Throws<ArgumentException>(() => PasswordHash.Hash(""));
        Assert.StartsWith($"pbkdf2-sha256${PasswordHash.DefaultIterations}$", PasswordHash.Hash("x"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_sealed_secret_opens_only_under_its_key_and_path_and_unaltered()
    {
        var box = new SecretBox("k1", SecretBox.NewKey());
        var sealedValue = box.Seal("/team-a/db-password", Encoding.UTF8.GetBytes("s3cr3t"));

        Assert.Equal("s3cr3t", Encoding.UTF8.GetString(box.Open("/team-a/db-password", sealedValue)));
        Assert.DoesNotContain("s3cr3t", sealedValue, StringComparison.Ordinal);
        Assert.NotEqual(sealedValue, box.Seal("/team-a/db-password", Encoding.UTF8.GetBytes("s3cr3t"))); // a fresh nonce each time
        Assert.ThrowsAny<CryptographicException>(() => box.Open("/team-b/db-password", sealedValue));
        Assert.ThrowsAny<CryptographicException>(() => new SecretBox("k1", SecretBox.NewKey()).Open("/team-a/db-password", sealedValue));
        Assert.ThrowsAny<CryptographicException>(() => new SecretBox("k2", SecretBox.NewKey()).Open("/team-a/db-password", sealedValue));
        var parts = sealedValue.Split('.');
        parts[3] = parts[3][..^1] + (parts[3][^1] == 'A' ? 'B' : 'A');
        Assert.ThrowsAny<CryptographicException>(() => box.Open("/team-a/db-password", string.Join('.', parts)));
        Assert.ThrowsAny<CryptographicException>(() => box.Open("/team-a/db-password", "not.sealed"));
        Assert.Throws<ArgumentException>(() => new SecretBox("k", new byte[16]));
    }

    [Fact]
    public void A_join_token_admits_until_it_is_revoked_expired_or_used_up()
    {
        var now = DateTimeOffset.Parse("2026-12-07T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var (token, text) = JoinToken.Create("rack-1", now.AddHours(1), uses: 2);
        var tokens = new Dictionary<string, JoinToken> { [token.Id] = token };

        Assert.DoesNotContain(text[(text.IndexOf('.') + 1)..], token.SecretHash, StringComparison.Ordinal); // only the hash is kept
        Assert.Null(JoinToken.Admit(tokens, text, now, out var admitted));
        tokens["rack-1"] = admitted!.Used();
        Assert.Null(JoinToken.Admit(tokens, text, now, out admitted));
        tokens["rack-1"] = admitted!.Used();
        Assert.Equal("join token 'rack-1' is used up", JoinToken.Admit(tokens, text, now, out _));
        tokens["rack-1"] = token;
        Assert.Equal($"join token 'rack-1' expired at {now.AddHours(1):O}", JoinToken.Admit(tokens, text, now.AddHours(2), out _));
        tokens["rack-1"] = token with { Revoked = true };
        Assert.Equal("join token 'rack-1' was revoked", JoinToken.Admit(tokens, text, now, out _));
        Assert.Equal("the join token is not valid", JoinToken.Admit(tokens, "rack-1.wrong", now, out _));
        Assert.Equal("the join token is not valid", JoinToken.Admit(tokens, "rack-2." + text[7..], now, out _));
        Assert.Equal("the join token is not valid", JoinToken.Admit(tokens, null, now, out _));
        Assert.Throws<ArgumentException>(() => JoinToken.Create("bad id"));
    }

    [Fact]
    public void The_audit_trail_keeps_the_newest_entries_and_shows_each_reader_what_it_may_see()
    {
        var trail = new AuditTrail(3);
        var at = DateTimeOffset.UnixEpoch;
        foreach (var (who, path) in new[] { ("alice", "/v2/apps/team-a/web"), ("bob", "/v2/apps/team-b/web"), ("alice", "/v2/apps/team-a/db"), ("bob", "/v2/apps/team-b/db") })
        {
            trail.Add(new AuditEntry(at, who, "POST", path, 201));
        }

        var all = trail.Read(0, 100, _ => true);
        Assert.Equal([2L, 3L, 4L], all.Select(e => e.Sequence));
        Assert.Equal(1, trail.Dropped);
        Assert.Equal(["/v2/apps/team-a/db"], trail.Read(0, 100, e => e.Principal == "alice").Select(e => e.Entry.Path));
        Assert.Equal([4L], trail.Read(3, 100, _ => true).Select(e => e.Sequence));
        Assert.Equal(2048, trail.Read(trail.Add(new AuditEntry(at, "x", "PUT", new string('a', 5000), 200)) - 1, 1, _ => true).Single().Entry.Path.Length);
    }
}
