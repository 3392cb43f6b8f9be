-- Who syncs a source right now. A sync holds its source's row while it runs and renews it; a holder that dies
-- stops renewing, its lease runs out and another instance may take the source. Times are the database's clock in
-- epoch milliseconds, so instances with skewed clocks agree. The token names one holding: state writes of a sync
-- check it, so a sync that lost its lease can no longer write.
CREATE TABLE sync_lease (
    source_key    VARCHAR(1000) NOT NULL,
    token         VARCHAR(100)  NOT NULL,
    holder        VARCHAR(200)  NOT NULL,
    expires_at_ms BIGINT        NOT NULL,
    PRIMARY KEY (source_key)
);
