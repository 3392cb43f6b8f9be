package dev.workbookrelay.state;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Per-source leases in the state database: at most one sync of a source at a time, across every instance that
 * shares the database. A lease runs out unless renewed (by the database's clock), so a dead holder's sources move
 * on after at most one lease period.
 */
public final class SourceLeases {

    /** One holding of one source's lease; {@code token} is unique to it. */
    public record Lease(String sourceKey, String token) {
    }

    static final String NOW_MS = "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";

    private final StateDatabase database;
    private final String holder;

    SourceLeases(StateDatabase database, String holder) {
        this.database = database;
        this.holder = holder;
    }

    /** The lease of the source for {@code period}, unless someone else holds one that has not run out. */
    public Optional<Lease> tryAcquire(String sourceKey, Duration period) {
        Lease lease = new Lease(sourceKey, UUID.randomUUID().toString());
        return database.inTransaction("take the lease of " + sourceKey, c -> {
            long ms = period.toMillis();
            boolean taken = Upsert.execute(c, "INSERT INTO sync_lease (source_key, token, holder, expires_at_ms)"
                    + " VALUES (?, ?, ?, " + NOW_MS + " + ?) ON CONFLICT DO NOTHING", sourceKey, lease.token(), holder,
                    ms) > 0
                    || Upsert.execute(c, "UPDATE sync_lease SET token = ?, holder = ?, expires_at_ms = " + NOW_MS
                            + " + ? WHERE source_key = ? AND expires_at_ms < " + NOW_MS, lease.token(), holder, ms,
                            sourceKey) > 0;
            return taken ? Optional.of(lease) : Optional.empty();
        });
    }

    /** Extends the lease by {@code period} from now; false when it was lost (ran out and was taken, or released). */
    public boolean renew(Lease lease, Duration period) {
        return database.inTransaction("renew the lease of " + lease.sourceKey(), c -> Upsert.execute(c,
                "UPDATE sync_lease SET expires_at_ms = " + NOW_MS + " + ? WHERE source_key = ? AND token = ?",
                period.toMillis(), lease.sourceKey(), lease.token()) > 0);
    }

    public void release(Lease lease) {
        database.inTransaction("release the lease of " + lease.sourceKey(), c -> Upsert.execute(c,
                "DELETE FROM sync_lease WHERE source_key = ? AND token = ?", lease.sourceKey(), lease.token()));
    }

    /** The instance holding the source's lease, if a lease that has not run out exists. */
    public Optional<String> holder(String sourceKey) {
        return database.inTransaction("read the lease of " + sourceKey, c -> {
            try (var select = c.prepareStatement("SELECT holder FROM sync_lease WHERE source_key = ? AND"
                    + " expires_at_ms >= " + NOW_MS)) {
                select.setString(1, sourceKey);
                try (var row = select.executeQuery()) {
                    return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
                }
            }
        });
    }
}
