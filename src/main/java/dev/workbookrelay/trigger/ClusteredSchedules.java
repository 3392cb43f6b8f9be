package dev.workbookrelay.trigger;

import dev.workbookrelay.RelaySettings;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    /** The trigger groups of the source templates (their quartz URIs). */
    private static final List<String> GROUPS = List.of("workbook-relay", "workbook-relay-integration");

    private static final Logger LOG = LoggerFactory.getLogger(ClusteredSchedules.class);

    private ClusteredSchedules() {
    }

    /** Whether the state database lets instances share schedules (PostgreSQL). */
    public static boolean apply(RelaySettings.State state) {
        return state.jdbcUrl().startsWith("jdbc:postgresql:");
    }

    /**
     * Removes from the shared job store the schedules of sources no longer in this instance's routes: a clustered
     * store keeps a trigger when its route goes away (Camel leaves it for the other nodes), and it would go on firing
     * for a source that was removed from routes/sources.camel.yaml. Run once the routes have started. During a
     * rolling change of the sources, instances with different sources disagree until all run the same files.
     */
    public static void removeStale(CamelContext context) throws SchedulerException {
        Scheduler scheduler = context.getComponent("quartz", QuartzComponent.class).getScheduler();
        if (scheduler == null) {
            return; // no source with a schedule here: leave the shared store to the instances that have them
        }
        Set<TriggerKey> ours = new HashSet<>();
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof QuartzEndpoint quartz) {
                ours.add(quartz.getTriggerKey());
            }
        }
        for (String group : GROUPS) {
            for (TriggerKey key : scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(group))) {
                if (!ours.contains(key)) {
                    Trigger trigger = scheduler.getTrigger(key);
                    LOG.info("schedule {} belongs to no source of the routes any more: removed", key);
                    if (trigger != null) {
                        scheduler.deleteJob(trigger.getJobKey());
                    }
                    scheduler.unscheduleJob(key);
                }
            }
        }
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
