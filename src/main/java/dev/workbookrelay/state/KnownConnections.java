package dev.workbookrelay.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connections each integration source has seen listed by Nango: which are live (synced at every tick), which
 * are gone (kept until retention runs out, then their state is removed), in the state database so every instance
 * agrees.
 */
public final class KnownConnections {

    /** What a listing changed: connections new to the source, and connections gone from it. */
    public record Changes(List<String> added, List<String> removed) {
    }

    private final StateDatabase database;

    KnownConnections(StateDatabase database) {
        this.database = database;
    }

    /**
     * Brings the source's connections in line with a complete listing: new ones are added, listed ones that were
     * gone are live again, live ones missing from the listing are marked gone (from now).
     */
    public Changes listed(String integrationSource, String providerConfigKey, Collection<String> listed) {
        return database.inTransaction("record the listing of " + integrationSource, c -> {
            Map<String, Boolean> known = all(c, integrationSource);
            Set<String> now = new HashSet<>(listed);
            List<String> added = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            List<Object[]> inserts = new ArrayList<>();
            List<Object[]> revived = new ArrayList<>();
            List<Object[]> gone = new ArrayList<>();
            for (String id : now) {
                Boolean live = known.get(id);
                if (live == null) {
                    added.add(id);
                    inserts.add(new Object[] {integrationSource, id, providerConfigKey});
                } else if (!live) {
                    added.add(id);
                    revived.add(new Object[] {integrationSource, id});
                }
            }
            known.forEach((id, live) -> {
                if (live && !now.contains(id)) {
                    removed.add(id);
                    gone.add(new Object[] {integrationSource, id});
                }
            });
            Upsert.executeBatch(c, "INSERT INTO nango_connection (integration_source, connection_id,"
                    + " provider_config_key, first_seen_at_ms) VALUES (?, ?, ?, " + SourceLeases.NOW_MS + ")"
                    + " ON CONFLICT DO NOTHING", inserts);
            Upsert.executeBatch(c, "UPDATE nango_connection SET removed_at_ms = NULL"
                    + " WHERE integration_source = ? AND connection_id = ?", revived);
            Upsert.executeBatch(c, "UPDATE nango_connection SET removed_at_ms = " + SourceLeases.NOW_MS
                    + " WHERE integration_source = ? AND connection_id = ?", gone);
            added.sort(null);
            removed.sort(null);
            return new Changes(added, removed);
        });
    }

    /** One connection Nango announced (auth webhook): live from now; true when the source did not have it live. */
    public boolean announced(String integrationSource, String providerConfigKey, String connectionId) {
        return database.inTransaction("record connection " + connectionId + " of " + integrationSource, c -> {
            Boolean live = all(c, integrationSource, connectionId).get(connectionId);
            if (live == null) {
                Upsert.execute(c, "INSERT INTO nango_connection (integration_source, connection_id,"
                        + " provider_config_key, first_seen_at_ms) VALUES (?, ?, ?, " + SourceLeases.NOW_MS + ")"
                        + " ON CONFLICT DO NOTHING", integrationSource, connectionId, providerConfigKey);
            } else if (!live) {
                Upsert.execute(c, "UPDATE nango_connection SET removed_at_ms = NULL"
                        + " WHERE integration_source = ? AND connection_id = ?", integrationSource, connectionId);
            }
            return live == null || !live;
        });
    }

    /** The source's live connections, by id. */
    public List<String> live(String integrationSource) {
        return database.inTransaction("list the connections of " + integrationSource, c -> {
            List<String> ids = new ArrayList<>();
            all(c, integrationSource).forEach((id, live) -> {
                if (live) {
                    ids.add(id);
                }
            });
            ids.sort(null);
            return ids;
        });
    }

    /** Whether the connection is live in the source. */
    public boolean isLive(String integrationSource, String connectionId) {
        return database.inTransaction("look up connection " + connectionId + " of " + integrationSource, c ->
                Boolean.TRUE.equals(all(c, integrationSource, connectionId).get(connectionId)));
    }

    /** Connections gone from the source for longer than {@code retention}: their state may go. */
    public List<String> goneLongerThan(String integrationSource, Duration retention) {
        return database.inTransaction("list the expired connections of " + integrationSource, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT connection_id FROM nango_connection"
                    + " WHERE integration_source = ? AND removed_at_ms < " + SourceLeases.NOW_MS + " - ?"
                    + " ORDER BY connection_id")) {
                Upsert.bind(select, integrationSource, retention.toMillis());
                List<String> ids = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        ids.add(row.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    public void forget(String integrationSource, String connectionId) {
        database.inTransaction("forget connection " + connectionId + " of " + integrationSource, c -> Upsert.execute(
                c, "DELETE FROM nango_connection WHERE integration_source = ? AND connection_id = ?",
                integrationSource, connectionId));
    }

    /** connection id → live, of the source (or of one connection). */
    private static Map<String, Boolean> all(Connection c, String integrationSource, String... connectionId)
            throws SQLException {
        String sql = "SELECT connection_id, removed_at_ms FROM nango_connection WHERE integration_source = ?"
                + (connectionId.length == 0 ? "" : " AND connection_id = ?");
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, integrationSource);
            if (connectionId.length > 0) {
                select.setString(2, connectionId[0]);
            }
            Map<String, Boolean> known = new HashMap<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    String id = row.getString(1);
                    row.getLong(2);
                    known.put(id, row.wasNull()); // live while not marked removed
                }
            }
            return known;
        }
    }
}
