-- OrleansDcos: membership for Microsoft.Orleans.Clustering.AdoNet 10.4.2 on PostgreSQL.
-- One version row per cluster (DeploymentId = the cluster id): every change of a member row moves it on by one, and a
-- change made against an older version is refused, so concurrent silos never overwrite each other's view.
CREATE TABLE IF NOT EXISTS orleansmembershipversiontable
(
    deploymentid varchar(150) NOT NULL PRIMARY KEY,
    changedat timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS orleansmembershiptable
(
    deploymentid varchar(150) NOT NULL REFERENCES orleansmembershipversiontable (deploymentid),
    address varchar(45) NOT NULL,
    port integer NOT NULL,
    generation integer NOT NULL,
    siloname varchar(150) NOT NULL,
    hostname varchar(150) NOT NULL,
    status integer NOT NULL,
    proxyport integer,
    suspecttimes text,
    starttime timestamptz NOT NULL,
    iamalivetime timestamptz NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

-- True when the cluster's version row was created now (false: it was there).
CREATE OR REPLACE FUNCTION orleans_membership_version_insert(cluster text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO orleansmembershipversiontable (deploymentid) VALUES (cluster) ON CONFLICT DO NOTHING;
    RETURN FOUND;
END $$;

-- True when the member is in the table.
CREATE OR REPLACE FUNCTION orleans_membership_has(cluster text, addr text, silo_port integer, gen integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM orleansmembershiptable
                   WHERE deploymentid = cluster AND address = addr AND port = silo_port AND generation = gen)
$$;

-- Moves the cluster's version on by one if it is still expected_version; false when another change came first.
CREATE OR REPLACE FUNCTION orleans_membership_bump(cluster text, expected_version integer) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE orleansmembershipversiontable SET version = version + 1, changedat = now()
        WHERE deploymentid = cluster AND version = expected_version;
    RETURN FOUND;
END $$;

-- Adds a member if the table is still at expected_version (and moves the version on); false otherwise or if the
-- member is there already.
CREATE OR REPLACE FUNCTION orleans_membership_insert(
    cluster text, alive timestamptz, silo text, host text, addr text, silo_port integer, gen integer,
    started timestamptz, silo_status integer, proxy integer, expected_version integer) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF orleans_membership_has(cluster, addr, silo_port, gen) THEN
        RETURN false;
    END IF;
    IF NOT orleans_membership_bump(cluster, expected_version) THEN
        RETURN false;
    END IF;
    INSERT INTO orleansmembershiptable
        (deploymentid, address, port, generation, siloname, hostname, status, proxyport, starttime, iamalivetime)
        VALUES (cluster, addr, silo_port, gen, silo, host, silo_status, proxy, started, alive);
    RETURN true;
END $$;

-- Changes a member's status, suspicions and liveness if the table is still at expected_version (and moves it on).
CREATE OR REPLACE FUNCTION orleans_membership_update(
    cluster text, addr text, silo_port integer, gen integer, alive timestamptz, silo_status integer,
    suspicions text, expected_version integer) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT orleans_membership_has(cluster, addr, silo_port, gen) THEN
        RETURN false;
    END IF;
    IF NOT orleans_membership_bump(cluster, expected_version) THEN
        RETURN false;
    END IF;
    UPDATE orleansmembershiptable SET status = silo_status, suspecttimes = suspicions, iamalivetime = alive
        WHERE deploymentid = cluster AND address = addr AND port = silo_port AND generation = gen;
    RETURN true;
END $$;

-- Forgets a cluster: its members, then its version row.
CREATE OR REPLACE FUNCTION orleans_membership_delete(cluster text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM orleansmembershiptable WHERE deploymentid = cluster;
    DELETE FROM orleansmembershipversiontable WHERE deploymentid = cluster;
END $$;

INSERT INTO orleansquery (querykey, querytext) VALUES
('InsertMembershipVersionKey', 'SELECT orleans_membership_version_insert(@DeploymentId)'),
('InsertMembershipKey', 'SELECT orleans_membership_insert(@DeploymentId, @IAmAliveTime, @SiloName, @HostName, @Address, @Port, @Generation, @StartTime, @Status, @ProxyPort, @Version)'),
('UpdateMembershipKey', 'SELECT orleans_membership_update(@DeploymentId, @Address, @Port, @Generation, @IAmAliveTime, @Status, @SuspectTimes, @Version)'),
('UpdateIAmAlivetimeKey', 'UPDATE orleansmembershiptable SET iamalivetime = @IAmAliveTime
    WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation'),
('MembershipReadRowKey', 'SELECT v.version, m.deploymentid, m.address, m.port, m.generation, m.siloname, m.hostname, m.status,
        m.proxyport, m.suspecttimes, m.starttime, m.iamalivetime
    FROM orleansmembershipversiontable v
    LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
        AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    WHERE v.deploymentid = @DeploymentId'),
('MembershipReadAllKey', 'SELECT v.version, m.deploymentid, m.address, m.port, m.generation, m.siloname, m.hostname, m.status,
        m.proxyport, m.suspecttimes, m.starttime, m.iamalivetime
    FROM orleansmembershipversiontable v
    LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
    WHERE v.deploymentid = @DeploymentId'),
('GatewaysQueryKey', 'SELECT address, proxyport, generation FROM orleansmembershiptable
    WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0'),
('DeleteMembershipTableEntriesKey', 'SELECT orleans_membership_delete(@DeploymentId)'),
('CleanupDefunctSiloEntriesKey', 'DELETE FROM orleansmembershiptable
    WHERE deploymentid = @DeploymentId AND iamalivetime < @IAmAliveTime AND status <> 3')
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
