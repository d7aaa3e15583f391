-- OrleansDcos: reminders for Microsoft.Orleans.Reminders.AdoNet 10.4.2 on PostgreSQL.
-- One row per (service, grain, reminder); Version is the reminder's etag, moved on by every upsert. Silos read the
-- reminders of their range of grain hashes (a range may wrap around: ReadRangeRows2Key).
CREATE TABLE IF NOT EXISTS orleansreminderstable
(
    serviceid varchar(150) NOT NULL,
    grainid varchar(2048) NOT NULL,
    remindername varchar(150) NOT NULL,
    starttime timestamptz NOT NULL,
    period bigint NOT NULL,
    grainhash integer NOT NULL,
    version integer NOT NULL,
    PRIMARY KEY (serviceid, grainid, remindername)
);

CREATE INDEX IF NOT EXISTS orleansreminderstable_hash ON orleansreminderstable (serviceid, grainhash);

INSERT INTO orleansquery (querykey, querytext) VALUES
('UpsertReminderRowKey', 'INSERT INTO orleansreminderstable AS r (serviceid, grainid, remindername, starttime, period, grainhash, version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
        SET starttime = EXCLUDED.starttime, period = EXCLUDED.period, grainhash = EXCLUDED.grainhash, version = r.version + 1
    RETURNING version'),
('ReadReminderRowsKey', 'SELECT grainid, remindername, starttime, period, version FROM orleansreminderstable
    WHERE serviceid = @ServiceId AND grainid = @GrainId'),
('ReadReminderRowKey', 'SELECT grainid, remindername, starttime, period, version FROM orleansreminderstable
    WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName'),
('ReadRangeRows1Key', 'SELECT grainid, remindername, starttime, period, version FROM orleansreminderstable
    WHERE serviceid = @ServiceId AND grainhash > @BeginHash AND grainhash <= @EndHash'),
('ReadRangeRows2Key', 'SELECT grainid, remindername, starttime, period, version FROM orleansreminderstable
    WHERE serviceid = @ServiceId AND (grainhash > @BeginHash OR grainhash <= @EndHash)'),
('DeleteReminderRowKey', 'WITH gone AS (DELETE FROM orleansreminderstable
        WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName AND version = @Version
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM gone)'),
('DeleteReminderRowsKey', 'DELETE FROM orleansreminderstable WHERE serviceid = @ServiceId')
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
