using System.Text;
using System.Text.Json.Nodes;
using OrleansDcos.Scheduling.Packages;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Unit.Packages;

/// <summary>The shipped repository's packages read, their options resolved and checked against their schemas, and rendered into labelled Marathon apps.</summary>
[Trait("Area", "Packages")]
public sealed class PackageTests
{
    private static UniversePackage Shipped(string letter, string name, int revision = 0)
    {
        var dir = Path.Combine(RepositoryLayout.Root, "infra", "universe", "packages", letter, name, revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
        string? Read(string file) => File.Exists(Path.Combine(dir, file)) ? File.ReadAllText(Path.Combine(dir, file)) : null;
        return UniverseIndex.Files(Read("package.json")!, Read("config.json"), Read("marathon.json.mustache"), Read("resource.json"), revision, "local", "file:///universe", dir);
    }

    [Fact]
    public void Defaults_fill_nested_objects_and_an_object_default_is_completed_by_its_properties()
    {
        var (options, errors) = PackageOptions.Resolve(Shipped("K", "kv-demo", 1).Config, JsonNode.Parse("""{"admin": {"email": "ops@example.org"}}""")!.AsObject());

        Assert.Empty(errors);
        Assert.Equal("kv-demo", options["service"]!["name"]!.GetValue<string>());
        Assert.Equal(1, options["service"]!["instances"]!.GetValue<int>());
        Assert.Equal("memory", options["storage"]!["mode"]!.GetValue<string>());
        Assert.Equal(64, options["storage"]!["size_mb"]!.GetValue<int>());
        Assert.Equal(0.1, options["limits"]!["cpus"]!.GetValue<double>());
        Assert.Equal(32, options["limits"]!["mem"]!.GetValue<double>());
    }

    [Fact]
    public void Bad_options_are_named_by_path_type_enum_required_and_additional_property()
    {
        var user = JsonNode.Parse("""{"service": {"instances": "two"}, "storage": {"mode": "tape"}, "colour": "red"}""")!.AsObject();

        var (_, errors) = PackageOptions.Resolve(Shipped("K", "kv-demo", 1).Config, user);

        var text = string.Join("\n", errors.Select(e => $"{e.Path} {e.Error}"));
        Assert.Contains(errors, e => e.Path == "/service/instances" && e.Error.StartsWith("type", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "/storage/mode" && e.Error.StartsWith("enum", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "/admin" && e.Error.StartsWith("required", StringComparison.Ordinal) && e.Error.Contains("email", StringComparison.Ordinal));
        Assert.True(errors.Any(e => e.Path == "/colour"), text); // additionalProperties: false
    }

    [Fact]
    public void A_rendered_app_keeps_option_text_exact_and_carries_the_package_labels()
    {
        var package = Shipped("H", "hello-web");
        var greeting = "Say \"hi\" \\ $(rm -rf /) <b>&</b>";
        var (options, errors) = PackageOptions.Resolve(package.Config, new JsonObject { ["service"] = new JsonObject { ["greeting"] = greeting, ["instances"] = 2 } });
        Assert.Empty(errors);

        var app = PackageRenderer.Render(package, options);

        Assert.Equal("/hello-web", app["id"]!.GetValue<string>());
        Assert.Equal(2, app["instances"]!.GetValue<int>());
        Assert.Equal(greeting, app["env"]!["GREETING"]!.GetValue<string>()); // reaches the task as an environment value, not shell text
        Assert.False(app["requirePorts"]!.GetValue<bool>());
        var labels = app["labels"]!.AsObject();
        Assert.Equal("external", labels["HAPROXY_GROUP"]!.GetValue<string>()); // the template's own labels stay
        Assert.Equal("hello-web", labels[PackageRenderer.NameLabel]!.GetValue<string>());
        Assert.Equal("1.0.0", labels[PackageRenderer.VersionLabel]!.GetValue<string>());
        Assert.Equal("file:///universe", labels[PackageRenderer.SourceLabel]!.GetValue<string>());
        Assert.Equal(greeting, PackageRenderer.FromBase64(labels[PackageRenderer.OptionsLabel]!.GetValue<string>())!["service"]!["greeting"]!.GetValue<string>());
        Assert.Equal("hello-web", PackageRenderer.FromBase64(labels[PackageRenderer.MetadataLabel]!.GetValue<string>())!["name"]!.GetValue<string>());

        Assert.Equal("/second", PackageRenderer.Render(package, options, "/second")["id"]!.GetValue<string>());
    }

    [Fact]
    public void A_repository_document_is_read_and_a_broken_package_in_it_is_named_not_fatal()
    {
        var template = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"id": "/{{service.name}}", "cmd": "sleep 1"}"""));
        var json = """
            {"packages": [
              {"packagingVersion": "3.0", "name": "good", "version": "2.1", "releaseVersion": 4, "description": "d",
               "config": {"type": "object", "properties": {"service": {"type": "object", "properties": {"name": {"type": "string", "default": "good"}}}}},
               "marathon": {"v2AppMustacheTemplate": "TEMPLATE"}},
              {"packagingVersion": "9.9", "name": "bad", "version": "1"},
              {"packagingVersion": "3.0", "name": "Bad Name", "version": "1"}
            ]}
            """.Replace("TEMPLATE", template, StringComparison.Ordinal);
        var problems = new List<string>();

        var packages = UniverseIndex.Parse(json, "remote", "http://127.0.0.1:1/repo.json", problems);

        var good = Assert.Single(packages);
        Assert.Equal(("good", "2.1", 4), (good.Definition.Name, good.Definition.Version, good.ReleaseVersion));
        Assert.Equal("/good", PackageRenderer.Render(good, PackageOptions.Resolve(good.Config, null).Options)["id"]!.GetValue<string>());
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("packagingVersion 9.9", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'Bad Name' is not a package name", StringComparison.Ordinal));
        Assert.Throws<PackageException>(() => UniverseIndex.Parse("{\"nope\": 1}", "x", "http://127.0.0.1:1/", problems));
        Assert.Throws<PackageException>(() => UniverseIndex.Parse("<html>", "x", "http://127.0.0.1:1/", problems));
    }

    [Fact]
    public void A_template_that_does_not_render_to_a_json_object_is_refused_with_why()
    {
        var package = Shipped("H", "hello-web") with { MarathonTemplate = "{\"id\": {{service.name}} }" };

        var error = Assert.Throws<PackageException>(() => PackageRenderer.Render(package, PackageOptions.Resolve(package.Config, null).Options));

        Assert.Contains("not JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_moves_only_between_versions_its_releases_allow()
    {
        var older = Shipped("K", "kv-demo", 0).Definition;
        var newer = Shipped("K", "kv-demo", 1).Definition;
        var web = Shipped("H", "hello-web").Definition;

        Assert.Null(PackageUpgrades.Refusal(older, newer)); // 0.3.0 upgrades from 0.2.0
        Assert.Null(PackageUpgrades.Refusal(newer, older)); // 0.3.0 downgrades to 0.2.0
        Assert.Null(PackageUpgrades.Refusal(newer, newer)); // new options only
        Assert.Contains("cannot become", PackageUpgrades.Refusal(newer, web), StringComparison.Ordinal);
        var stranger = newer with { Version = "9.0.0", UpgradesFrom = ["1.0.0"] };
        Assert.Contains("cannot move to 9.0.0", PackageUpgrades.Refusal(older, stranger), StringComparison.Ordinal);
        var choices = PackageUpgrades.Choices(older, [older, newer, stranger]);
        Assert.Equal(["0.3.0"], choices.UpgradesTo);
        Assert.Empty(choices.DowngradesTo);
        Assert.Equal(["0.2.0"], PackageUpgrades.Choices(newer, [older, newer]).DowngradesTo);
    }

    [Fact]
    public void A_group_package_labels_every_app_with_the_group_it_was_installed_as()
    {
        var package = Shipped("W", "web-pair");

        var group = PackageRenderer.Render(package, PackageOptions.Resolve(package.Config, null).Options);

        Assert.True(PackageRenderer.IsGroup(group));
        Assert.Equal(["/web-pair/web", "/web-pair/worker"], PackageRenderer.Apps(group).Select(a => a["id"]!.GetValue<string>()));
        Assert.All(PackageRenderer.Apps(group), a =>
        {
            Assert.Equal("web-pair", a["labels"]![PackageRenderer.NameLabel]!.GetValue<string>());
            Assert.Equal("/web-pair", a["labels"]![PackageRenderer.GroupLabel]!.GetValue<string>());
        });
        Assert.Throws<PackageException>(() => PackageRenderer.Render(package, PackageOptions.Resolve(package.Config, null).Options, "/elsewhere"));
    }

    [Fact]
    public void A_job_package_renders_a_labelled_chronos_job_with_option_text_kept_out_of_the_command()
    {
        var dir = Path.Combine(RepositoryLayout.Root, "infra", "universe", "packages", "N", "nightly-report", "0");
        var package = UniverseIndex.Files(File.ReadAllText(Path.Combine(dir, "package.json")), File.ReadAllText(Path.Combine(dir, "config.json")), null,
            null, 0, "local", "file:///universe", dir, File.ReadAllText(Path.Combine(dir, "chronos.json.mustache")));
        var (options, errors) = PackageOptions.Resolve(package.Config, JsonNode.Parse("""{"job": {"message": "$(reboot) \"quoted\""}}""")!.AsObject());
        Assert.Empty(errors);

        var job = PackageRenderer.RenderJob(package, options, "renamed");

        Assert.Equal("renamed", job["name"]!.GetValue<string>());
        Assert.Equal("echo \"report: $REPORT_MESSAGE\"", job["command"]!.GetValue<string>());
        Assert.Equal("$(reboot) \"quoted\"", job["environmentVariables"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("nightly-report", job["labels"]![PackageRenderer.NameLabel]!.GetValue<string>());
        Assert.Throws<PackageException>(() => PackageRenderer.Render(package, options)); // no Marathon template
    }
}
