namespace OrleansDcos.NodeDaemon.Agent;

/// <summary>
/// The agent credential the master handed this daemon at its first enrollment, kept in <c>agent.credential</c> of the
/// work directory (owner read/write only) and presented instead of the join token from then on.
/// </summary>
public sealed class AgentCredentialFile(string workDirectory)
{
    private readonly string _path = Path.Combine(workDirectory, "agent.credential");
    private string? _credential;
    private bool _loaded;

    /// <summary>The kept credential, or null before the first enrollment.</summary>
    public string? Current
    {
        get
        {
            if (!_loaded)
            {
                _credential = File.Exists(_path) && File.ReadAllText(_path).Trim() is { Length: > 0 } text ? text : null;
                _loaded = true;
            }

            return _credential;
        }
    }

    /// <summary>Keeps <paramref name="credential"/> (written whole, then moved into place).</summary>
    public void Save(string credential)
    {
        var temporary = _path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        File.Delete(temporary); // a left-over one would keep its mode
        using (var file = new FileStream(temporary, options))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(credential);
        }

        File.Move(temporary, _path, overwrite: true);
        _credential = credential;
        _loaded = true;
    }
}
