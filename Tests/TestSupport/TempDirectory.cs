namespace OrleansDcos.Tests.Support;

/// <summary>A temporary directory removed on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>The directory.</summary>
    public string Path { get; } = Directory.CreateTempSubdirectory("dcos-test-").FullName;

    /// <summary>
    /// Removes the directory. A process that was killed just before may still be closing a file in it (a task's
    /// sandbox): a removal that meets a file appearing is tried again for up to five seconds.
    /// </summary>
    public void Dispose()
    {
        for (var attempt = 0; Directory.Exists(Path); attempt++)
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException) when (attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
    }
}
