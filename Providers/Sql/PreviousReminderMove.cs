namespace OrleansDcos.Providers.Sql;

/// <summary>What <see cref="PreviousLayout.MoveRemindersAsync"/> did with the previous layout's reminder rows.</summary>
/// <param name="Moved">Written into the reminder table and removed from the old one.</param>
/// <param name="Superseded">Removed from the old table because the reminder table already had a newer registration.</param>
/// <param name="Unreadable">Left in the old table: the grain id or period could not be read.</param>
public sealed record PreviousReminderMove(int Moved, int Superseded, int Unreadable);
