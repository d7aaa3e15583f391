namespace OrleansDcos.Runtime;

/// <summary>Marks a grain interface. Use <see cref="IGrainWithStringKey"/> or <see cref="IGrainWithGuidKey"/>.</summary>
public interface IGrain;

/// <summary>A grain identified by a string key (agent id, app path, job name).</summary>
public interface IGrainWithStringKey : IGrain;

/// <summary>A grain identified by a Guid key.</summary>
public interface IGrainWithGuidKey : IGrain;
