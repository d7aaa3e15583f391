namespace OrleansDcos.Grains;

/// <summary>Names this assembly to the grain runtime: <c>AddGrainRuntime(typeof(GrainsAssembly).Assembly)</c>.</summary>
public static class GrainsAssembly;
