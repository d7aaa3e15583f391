using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Grains.Interfaces.Api;
using OrleansDcos.Scheduling.Deployment;

namespace OrleansDcos.Grains.Marathon.Validation;

/// <summary>
/// Reads a Marathon group (<c>{id, apps, groups, dependencies}</c>, nested) into the apps it holds, their ids made
/// absolute under the group, the groups in it, and the dependencies of each group (absolute; relative ones are taken
/// from the group's parent, as an app's are from its group). Every bad field is named, as for apps. Pure.
/// </summary>
public static class GroupReader
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "id", "apps", "groups", "dependencies", "version", "pods", "enforceRole" };

    /// <summary>The group's id and every app under it; throws <see cref="MarathonValidationException"/> naming every bad field.</summary>
    /// <param name="node">The group JSON.</param>
    /// <param name="pathId">The group id from the URL, when there is one (the body's id may then be left out).</param>
    /// <param name="frameworkRoles">Marathon's roles (for acceptedResourceRoles).</param>
    /// <param name="limits">Bounds on what an app may ask for (<see cref="AppLimits.Default"/> when null).</param>
    public static GroupDefinition Read(JsonNode? node, string? pathId, IReadOnlyCollection<string>? frameworkRoles = null, AppLimits? limits = null)
    {
        var reader = new AppReader(frameworkRoles, limits);
        var errors = new List<ApiErrorDetail>();
        var apps = new List<AppDefinition>();
        var dependencies = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var groups = new List<string>();
        var groupId = pathId ?? "/";
        if (node is not JsonObject json)
        {
            throw MarathonValidationException.Of("/", "expected a group object {id, apps, groups}");
        }

        if (json["id"] is JsonValue idValue && idValue.GetValueKind() == JsonValueKind.String)
        {
            var given = AppReader.Canonical(idValue.GetValue<string>(), "/", out var error);
            if (given is null)
            {
                errors.Add(new ApiErrorDetail("/id", [error!]));
            }
            else if (pathId is not null && given != pathId)
            {
                errors.Add(new ApiErrorDetail("/id", [$"the id in the body ({given}) is not the id in the path ({pathId})"]));
            }
            else
            {
                groupId = given;
            }
        }
        else if (pathId is null)
        {
            errors.Add(new ApiErrorDetail("/id", ["a group needs an id"]));
        }

        ReadGroup(json, string.Empty, groupId, reader, apps, dependencies, groups, errors);
        errors.AddRange(reader.Errors);
        foreach (var duplicate in apps.GroupBy(a => a.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add(new ApiErrorDetail("/", [$"app '{duplicate.Key}' is given more than once"]));
        }

        return errors.Count == 0 ? new GroupDefinition(groupId, apps, dependencies, groups.Distinct(StringComparer.Ordinal).ToList()) : throw new MarathonValidationException(errors);
    }

    private static void ReadGroup(JsonObject json, string path, string groupId, AppReader reader, List<AppDefinition> apps,
        Dictionary<string, IReadOnlyList<string>> dependencies, List<string> groups, List<ApiErrorDetail> errors)
    {
        groups.Add(groupId);
        foreach (var (name, value) in json)
        {
            if (!Known.Contains(name))
            {
                errors.Add(new ApiErrorDetail($"{path}/{name}", ["unknown field"]));
            }
            else if (name == "pods" && value is JsonArray { Count: > 0 })
            {
                errors.Add(new ApiErrorDetail($"{path}/pods", ["pods are not supported"]));
            }
        }

        if (json["dependencies"] is JsonArray { Count: > 0 } wanted)
        {
            var parent = MarathonPaths.ParentOf(groupId);
            var list = new List<string>();
            for (var i = 0; i < wanted.Count; i++)
            {
                var at = $"{path}/dependencies/{i}";
                var id = wanted[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? AppReader.Canonical(v.GetValue<string>(), parent, out var error) : null;
                if (id is null)
                {
                    errors.Add(new ApiErrorDetail(at, ["expected the path of an app or a group"]));
                }
                else if (MarathonPaths.Within(id, groupId) || MarathonPaths.Within(groupId, id))
                {
                    errors.Add(new ApiErrorDetail(at, [$"group '{groupId}' cannot depend on '{id}': one is inside the other"]));
                }
                else
                {
                    list.Add(id);
                }
            }

            dependencies[groupId] = list.Distinct(StringComparer.Ordinal).ToList();
        }
        else if (json["dependencies"] is not null and not JsonArray)
        {
            errors.Add(new ApiErrorDetail($"{path}/dependencies", ["expected an array of paths"]));
        }

        if (json["apps"] is JsonArray appArray)
        {
            for (var i = 0; i < appArray.Count; i++)
            {
                var app = reader.Read(appArray[i], $"{path}/apps/{i}", groupId);
                if (app is null)
                {
                    continue;
                }

                if (!app.Id.StartsWith(groupId == "/" ? "/" : groupId + "/", StringComparison.Ordinal))
                {
                    errors.Add(new ApiErrorDetail($"{path}/apps/{i}/id", [$"app '{app.Id}' is not inside group '{groupId}'"]));
                    continue;
                }

                apps.Add(app);
            }
        }
        else if (json["apps"] is not null)
        {
            errors.Add(new ApiErrorDetail($"{path}/apps", ["expected an array of apps"]));
        }

        if (json["groups"] is JsonArray groupArray)
        {
            for (var i = 0; i < groupArray.Count; i++)
            {
                var childPath = $"{path}/groups/{i}";
                if (groupArray[i] is not JsonObject child || child["id"] is not JsonValue childId || childId.GetValueKind() != JsonValueKind.String)
                {
                    errors.Add(new ApiErrorDetail($"{childPath}/id", ["a nested group needs an id"]));
                    continue;
                }

                var id = AppReader.Canonical(childId.GetValue<string>(), groupId, out var error);
                if (id is null || id == groupId || !id.StartsWith(groupId == "/" ? "/" : groupId + "/", StringComparison.Ordinal))
                {
                    errors.Add(new ApiErrorDetail($"{childPath}/id", [error ?? $"group '{id}' is not inside group '{groupId}'"]));
                    continue;
                }

                ReadGroup(child, childPath, id, reader, apps, dependencies, groups, errors);
            }
        }
        else if (json["groups"] is not null)
        {
            errors.Add(new ApiErrorDetail($"{path}/groups", ["expected an array of groups"]));
        }
    }

}
