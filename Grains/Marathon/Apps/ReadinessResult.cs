namespace OrleansDcos.Grains.Marathon.Apps;

/// <summary>The last readiness answer of a task (its response when the check preserves it).</summary>
internal sealed record ReadinessResult(bool Ready, int? Status, string Message, ReadinessResponse? LastResponse = null);
