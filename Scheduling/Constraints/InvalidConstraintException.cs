namespace OrleansDcos.Scheduling.Constraints;

/// <summary>A constraint that cannot be used; the message says what is wrong with it.</summary>
public sealed class InvalidConstraintException(string message) : ArgumentException(message);
