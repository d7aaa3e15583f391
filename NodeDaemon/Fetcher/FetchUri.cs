namespace OrleansDcos.NodeDaemon.Fetcher;

/// <summary>One URI to fetch into a sandbox (Mesos <c>CommandInfo.URI</c>, Marathon <c>fetch</c>).</summary>
/// <param name="Value">http, https or file URI, or an absolute path.</param>
/// <param name="Extract">Unpack .tar, .tar.gz, .tgz, .zip and .gz files into the sandbox (Mesos default: true).</param>
/// <param name="Executable">Mark the fetched file executable (then it is never extracted).</param>
/// <param name="Cache">Keep a copy on the agent and reuse it for the same URI.</param>
/// <param name="OutputFile">Name of the file in the sandbox (default: the URI's last segment).</param>
public sealed record FetchUri(string Value, bool Extract = true, bool Executable = false, bool Cache = false, string? OutputFile = null);
