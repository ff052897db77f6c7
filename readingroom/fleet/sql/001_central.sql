-- The central audit trail (docs/deployment.md "Many workstations"). Applied once, in a
-- transaction, by `readingroom audit central init`; later changes go in 002_*.sql and so on.

CREATE SCHEMA IF NOT EXISTS readingroom;

-- One row per workstation log (a log restarted after an acknowledgement has a new log_id).
-- The audit key registered on first contact is the one its checkpoints must be signed by.
CREATE TABLE readingroom.workstations (
    log_id      text PRIMARY KEY,
    name        text NOT NULL,
    public_key  text NOT NULL CHECK (public_key ~ '^[0-9a-f]{64}$'),
    fingerprint text NOT NULL,
    first_seen  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workstations_fingerprint ON readingroom.workstations (fingerprint);

-- Every record exactly as the workstation stored it: the whole line (hash and body) without its
-- newline. Nothing here is derived, so central verification recomputes everything.
CREATE TABLE readingroom.records (
    log_id     text   NOT NULL REFERENCES readingroom.workstations (log_id),
    seq        bigint NOT NULL CHECK (seq >= 0),
    line       bytea  NOT NULL,
    shipped_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (log_id, seq)
);

-- The signed checkpoints found while shipping (they are also records above): the last one per
-- log says how far the workstation itself vouched for its chain.
CREATE TABLE readingroom.checkpoints (
    log_id     text   NOT NULL REFERENCES readingroom.workstations (log_id),
    covers_seq bigint NOT NULL,
    head       text   NOT NULL,
    time       text   NOT NULL,
    signature  text   NOT NULL,
    PRIMARY KEY (log_id, covers_seq)
);

-- Signed revocation lists (.rrl), published centrally and pulled by workstations.
CREATE TABLE readingroom.revocation_lists (
    publisher    text   NOT NULL,
    version      bigint NOT NULL,
    data         bytea  NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (publisher, version)
);

-- Append-only, whatever the privileges say: a role that was granted too much still cannot
-- change or remove history. (A superuser can disable the trigger; central verify catches that.)
CREATE FUNCTION readingroom.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'readingroom: % is append-only', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON readingroom.records
    FOR EACH ROW EXECUTE FUNCTION readingroom.refuse_change();
CREATE TRIGGER records_no_truncate BEFORE TRUNCATE ON readingroom.records
    FOR EACH STATEMENT EXECUTE FUNCTION readingroom.refuse_change();
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON readingroom.checkpoints
    FOR EACH ROW EXECUTE FUNCTION readingroom.refuse_change();
CREATE TRIGGER revocations_append_only BEFORE UPDATE OR DELETE ON readingroom.revocation_lists
    FOR EACH ROW EXECUTE FUNCTION readingroom.refuse_change();

-- The roles (NOLOGIN groups; the database administrator grants them to login users).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'readingroom_ship') THEN
        CREATE ROLE readingroom_ship NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'readingroom_auditor') THEN
        CREATE ROLE readingroom_auditor NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'readingroom_publisher') THEN
        CREATE ROLE readingroom_publisher NOLOGIN;
    END IF;
END;
$$;
REVOKE ALL ON ALL TABLES IN SCHEMA readingroom FROM PUBLIC;
GRANT USAGE ON SCHEMA readingroom
    TO readingroom_ship, readingroom_auditor, readingroom_publisher;
-- Shipping: append records and checkpoints, register its log, touch last_seen; read what it
-- shipped (to resume and to compare), and the revocation lists (to pull them).
GRANT SELECT, INSERT ON readingroom.records, readingroom.checkpoints TO readingroom_ship;
GRANT SELECT, INSERT ON readingroom.workstations TO readingroom_ship;
GRANT UPDATE (last_seen) ON readingroom.workstations TO readingroom_ship;
GRANT SELECT ON readingroom.revocation_lists TO readingroom_ship;
REVOKE UPDATE, DELETE, TRUNCATE ON readingroom.records, readingroom.checkpoints
    FROM readingroom_ship;
-- Auditing: read everything.
GRANT SELECT ON ALL TABLES IN SCHEMA readingroom TO readingroom_auditor;
-- Publishing revocations: append lists.
GRANT SELECT, INSERT ON readingroom.revocation_lists TO readingroom_publisher;
