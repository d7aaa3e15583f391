-- OrleansDcos: the table Microsoft.Orleans' ADO.NET providers (10.4.2) read their SQL from.
-- Each provider selects QueryKey, QueryText from it at start and runs the text of the keys it needs with named
-- parameters (@DeploymentId, @Address …). Written for this project from the providers' public contract; applied at
-- silo start, idempotently (every statement here may run again on a database that has it).
CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey varchar(64) NOT NULL PRIMARY KEY,
    querytext text NOT NULL
);
