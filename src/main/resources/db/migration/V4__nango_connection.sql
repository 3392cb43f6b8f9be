-- Connections of the Nango integrations that sources name (routes: nango-integration), as last listed. A source of
-- one connection is synced while its connection is listed; one that is gone is kept until retention runs out
-- (removed_at_ms), then its state is removed. Times are the database's clock in epoch milliseconds.
CREATE TABLE nango_connection (
    integration_source  VARCHAR(200) NOT NULL,
    connection_id       VARCHAR(255) NOT NULL,
    provider_config_key VARCHAR(255) NOT NULL,
    first_seen_at_ms    BIGINT       NOT NULL,
    removed_at_ms       BIGINT,
    PRIMARY KEY (integration_source, connection_id)
);
