package dev.workbookrelay.trigger;

import dev.workbookrelay.RelaySettings;
import java.time.Duration;
import java.util.Properties;

/**
 * Where the schedules (the quartz routes of the source templates) keep their triggers. With the state in
 * PostgreSQL, several instances may run: Quartz's clustered JDBC job store on the state database (its tables come
 * from a migration), so each tick fires on one instance of the cluster, and the triggers of an instance that dies
 * are taken over by the others after {@code checkinInterval}. With the embedded H2 database (one instance) Quartz
 * keeps them in memory, as it always did.
 */
public final class ClusteredSchedules {

    /** The scheduler's name: the same on every instance, it is what makes them one cluster. */
    static final String SCHEDULER = "workbook-relay";

    private ClusteredSchedules() {
    }

    /** Whether the state database lets instances share schedules (PostgreSQL). */
    public static boolean apply(RelaySettings.State state) {
        return state.jdbcUrl().startsWith("jdbc:postgresql:");
    }

    /** Quartz's properties for the clustered job store on the state database. */
    public static Properties quartzProperties(RelaySettings.State state, Duration checkinInterval) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", SCHEDULER);
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        // a tick only publishes a request: two threads are plenty
        p.setProperty("org.quartz.threadPool.threadCount", "2");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass",
                "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkinInterval.toMillis()));
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.dataSource", "state");
        p.setProperty("org.quartz.dataSource.state.provider", "hikaricp");
        p.setProperty("org.quartz.dataSource.state.driver", "org.postgresql.Driver");
        p.setProperty("org.quartz.dataSource.state.URL", state.jdbcUrl());
        if (state.user() != null) {
            p.setProperty("org.quartz.dataSource.state.user", state.user());
        }
        if (state.password() != null) {
            p.setProperty("org.quartz.dataSource.state.password", state.password());
        }
        p.setProperty("org.quartz.dataSource.state.maxConnections", "4");
        return p;
    }
}
