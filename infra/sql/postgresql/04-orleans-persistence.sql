-- OrleansDcos: grain state for Microsoft.Orleans.Persistence.AdoNet 10.4.2 on PostgreSQL.
-- The project keeps its grain state with its own batching provider (Providers/Storage/SqlGrainStorage, table
-- grain_state): the stock provider commits every write alone (docs/BENCHMARKS.md, orleans-state-writes). This script
-- lets a deployment use the stock provider instead, and is what the benchmark measures it on.
-- A grain's row is found by (service, grain type, N0, N1, key extension); Version is the ETag. A write or clear with a
-- version that is not the stored one changes nothing and answers the caller's version back, which the provider
-- reports as InconsistentStateException. Unlike the scripts in the Orleans repository the key is unique, so two
-- first writes of one grain cannot both insert.
CREATE TABLE IF NOT EXISTS orleansstorage
(
    grainidhash integer NOT NULL,
    grainidn0 bigint NOT NULL,
    grainidn1 bigint NOT NULL,
    graintypehash integer NOT NULL,
    graintypestring varchar(512) NOT NULL,
    grainidextensionstring varchar(512),
    serviceid varchar(150) NOT NULL,
    payloadbinary bytea,
    modifiedon timestamptz NOT NULL,
    version integer NOT NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS orleansstorage_key
    ON orleansstorage (serviceid, graintypestring, grainidn0, grainidn1, (coalesce(grainidextensionstring, '')));
CREATE INDEX IF NOT EXISTS orleansstorage_hash ON orleansstorage (grainidhash, graintypehash);

CREATE OR REPLACE FUNCTION orleans_storage_write(
    _grainidhash integer, _grainidn0 bigint, _grainidn1 bigint, _graintypehash integer, _graintypestring varchar,
    _grainidextensionstring varchar, _serviceid varchar, _grainstateversion integer, _payloadbinary bytea)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    _written integer;
BEGIN
    IF _grainstateversion IS NULL THEN
        INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
                                    grainidextensionstring, serviceid, payloadbinary, modifiedon, version)
        VALUES (_grainidhash, _grainidn0, _grainidn1, _graintypehash, _graintypestring,
                _grainidextensionstring, _serviceid, _payloadbinary, now(), 1)
        ON CONFLICT DO NOTHING
        RETURNING version INTO _written;
    ELSE
        UPDATE orleansstorage
           SET payloadbinary = _payloadbinary, modifiedon = now(), version = version + 1
         WHERE grainidhash = _grainidhash AND graintypehash = _graintypehash
           AND serviceid = _serviceid AND graintypestring = _graintypestring
           AND grainidn0 = _grainidn0 AND grainidn1 = _grainidn1
           AND coalesce(grainidextensionstring, '') = coalesce(_grainidextensionstring, '')
           AND version = _grainstateversion
        RETURNING version INTO _written;
    END IF;
    RETURN coalesce(_written, _grainstateversion);
END
$$;

-- Clear keeps the row with no payload and moves the version on; Delete removes it and answers the version it had + 1.
CREATE OR REPLACE FUNCTION orleans_storage_clear(
    _grainidhash integer, _grainidn0 bigint, _grainidn1 bigint, _graintypehash integer, _graintypestring varchar,
    _grainidextensionstring varchar, _serviceid varchar, _grainstateversion integer, _delete boolean)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    _cleared integer;
BEGIN
    IF _delete THEN
        DELETE FROM orleansstorage
         WHERE grainidhash = _grainidhash AND graintypehash = _graintypehash
           AND serviceid = _serviceid AND graintypestring = _graintypestring
           AND grainidn0 = _grainidn0 AND grainidn1 = _grainidn1
           AND coalesce(grainidextensionstring, '') = coalesce(_grainidextensionstring, '')
           AND version = _grainstateversion
        RETURNING version + 1 INTO _cleared;
    ELSE
        UPDATE orleansstorage
           SET payloadbinary = NULL, modifiedon = now(), version = version + 1
         WHERE grainidhash = _grainidhash AND graintypehash = _graintypehash
           AND serviceid = _serviceid AND graintypestring = _graintypestring
           AND grainidn0 = _grainidn0 AND grainidn1 = _grainidn1
           AND coalesce(grainidextensionstring, '') = coalesce(_grainidextensionstring, '')
           AND version = _grainstateversion
        RETURNING version INTO _cleared;
    END IF;
    RETURN coalesce(_cleared, _grainstateversion);
END
$$;

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', 'SELECT payloadbinary, version FROM orleansstorage
    WHERE grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
      AND serviceid = @ServiceId AND graintypestring = @GrainTypeString
      AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
      AND coalesce(grainidextensionstring, '''') = coalesce(@GrainIdExtensionString, '''')'),
('WriteToStorageKey', 'SELECT orleans_storage_write(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
    @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary) AS newgrainstateversion'),
('ClearStorageKey', 'SELECT orleans_storage_clear(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
    @GrainIdExtensionString, @ServiceId, @GrainStateVersion, false)'),
('DeleteStorageKey', 'SELECT orleans_storage_clear(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
    @GrainIdExtensionString, @ServiceId, @GrainStateVersion, true)')
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
