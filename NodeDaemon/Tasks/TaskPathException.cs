namespace OrleansDcos.NodeDaemon.Tasks;

/// <summary>A path derived from an id would leave its root (see <see cref="TaskPaths"/>).</summary>
public sealed class TaskPathException(string message) : IOException(message);
