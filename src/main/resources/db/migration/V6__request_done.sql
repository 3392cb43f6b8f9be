-- Sync requests whose sync succeeded, for an hour: a request delivered again (a partition that moved in a
-- rebalance, an instance killed before its commit, a schedule's tick fired twice) is not synced again. A request id
-- is a request's idempotency key: schedules name theirs after the source and the tick.
CREATE TABLE sync_request_done (
    request_id  VARCHAR(1000) NOT NULL,
    source_key  VARCHAR(1000) NOT NULL,
    done_at_ms  BIGINT        NOT NULL,
    PRIMARY KEY (request_id)
);
CREATE INDEX sync_request_done_by_source ON sync_request_done (source_key, done_at_ms);
