using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using OrleansDcos.Grains.Concurrency;
using OrleansDcos.Scheduling.Security;

namespace OrleansDcos.Grains.Security;

/// <summary>
/// The audit trail (<see cref="AuditTrail"/>) in grain state: the newest <see cref="AuditOptions.Capacity"/> entries,
/// written before an append is answered.
/// </summary>
public sealed class AuditGrain(
    [PersistentState("audit", "Default")] IPersistentState<AuditState> state,
    IOptions<AuditOptions> options) : Grain, IAuditGrain
{
    private AuditTrail _trail = null!;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _trail = Restore();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task Append(IReadOnlyList<AuditRecord> entries)
    {
        foreach (var entry in entries)
        {
            _trail.Add(new AuditEntry(entry.At, entry.Principal, entry.Method, entry.Path, entry.Status, entry.Subject));
        }

        state.State.Entries = [.. _trail.Entries.Select(e => Record(e.Sequence, e.Entry))];
        state.State.LastSequence = _trail.LastSequence;
        state.State.Dropped = _trail.Dropped;
        try
        {
            await state.WriteOrReloadAsync(this);
        }
        catch
        {
            _trail = Restore(); // from the state read back
            throw;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditRecord>> Read(long after, int limit, string? principal) =>
        Task.FromResult<IReadOnlyList<AuditRecord>>([.. _trail.Read(after, limit, e => principal is null || e.Principal == principal).Select(e => Record(e.Sequence, e.Entry))]);

    private AuditTrail Restore() => new(
        options.Value.Capacity,
        state.State.Entries.Select(r => (r.Sequence, new AuditEntry(r.At, r.Principal, r.Method, r.Path, r.Status, r.Subject))),
        state.State.LastSequence,
        state.State.Dropped);

    private static AuditRecord Record(long sequence, AuditEntry e) => new(sequence, e.At, e.Principal, e.Method, e.Path, e.Status, e.Detail);
}
