
namespace OrleansDcos.Silo.Api;

/// <summary>A request the API cannot read (malformed JSON, a missing field): 400 with the message.</summary>
public sealed class BadRequestException(string message) : Exception(message);
