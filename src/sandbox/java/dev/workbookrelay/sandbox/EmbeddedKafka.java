package dev.workbookrelay.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.BrokerServer;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * A real single-node Kafka (KRaft, one combined broker+controller process) inside this JVM, built with Kafka's own
 * test kit. Its data lives in a temporary directory that {@link #close()} deletes.
 *
 * <p>The client listener is bound to a port chosen up front (the test kit would use port 0), so that
 * {@link #stopBroker()} and {@link #restartBroker()} bring the broker back on the same address and clients that
 * were created before the outage reconnect on their own.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    /** Server-side loggers; the clients' loggers are left to the project's configuration. */
    private static final List<String> BROKER_LOGGERS = List.of("kafka", "state.change.logger",
            "org.apache.kafka.server", "org.apache.kafka.controller", "org.apache.kafka.raft",
            "org.apache.kafka.metadata", "org.apache.kafka.image", "org.apache.kafka.storage",
            "org.apache.kafka.coordinator", "org.apache.kafka.queue", "org.apache.kafka.snapshot",
            "org.apache.kafka.network", "org.apache.kafka.security", "org.apache.zookeeper");

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaClusterTestKit cluster, String bootstrapServers) {
        this.cluster = cluster;
        this.bootstrapServers = bootstrapServers;
    }

    /** Formats and starts a fresh broker; returns once it accepts clients. */
    public static EmbeddedKafka start() {
        quietBrokerLogs();
        int port = freePort();
        KafkaClusterTestKit cluster = null;
        try {
            cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    // the controller may keep a random port: only the broker's own node talks to it
                    .setConfigProp("listeners", "EXTERNAL://localhost:" + port + ",CONTROLLER://localhost:0")
                    .setConfigProp("auto.create.topics.enable", "true")
                    .setConfigProp("num.partitions", "1")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster, "localhost:" + port);
        } catch (Exception e) {
            closeQuietly(cluster, e);
            throw new IllegalStateException("embedded Kafka did not start", e);
        }
    }

    /** {@code localhost:<port>}; the same before and after {@link #restartBroker()}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates each topic with one partition. */
    public void createTopics(String... names) {
        createTopics(1, names);
    }

    /**
     * Creates each topic with {@code partitions} partitions (replication factor 1) and waits until every partition
     * has a leader. A topic that already exists is left as it is.
     */
    public void createTopics(int partitions, String... names) {
        List<NewTopic> topics = Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList();
        try (Admin admin = admin()) {
            for (var created : admin.createTopics(topics).values().values()) {
                try {
                    created.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitLeaders(admin, List.of(names));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topics " + Arrays.toString(names), e);
        }
    }

    /**
     * Shuts the broker down (controlled shutdown; its log directories stay). The controller keeps running, so the
     * cluster metadata survives; clients see connection refused on {@link #bootstrapServers()}.
     */
    public void stopBroker() {
        for (BrokerServer broker : cluster.brokers().values()) {
            broker.shutdown();
            broker.awaitShutdown();
        }
    }

    /** Starts the broker stopped by {@link #stopBroker()} on the same port and data; returns once it is ready. */
    public void restartBroker() {
        try {
            for (BrokerServer broker : cluster.brokers().values()) {
                broker.startup();
            }
            cluster.waitForReadyBrokers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting the broker", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("broker did not come back", e);
        }
    }

    /** Stops broker and controller and deletes the data directory. */
    @Override
    public void close() {
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping embedded Kafka", e);
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka did not stop cleanly", e);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-admin"));
    }

    /** A created topic is not usable until the broker has loaded its partitions. */
    private static void awaitLeaders(Admin admin, List<String> names)
            throws InterruptedException, ExecutionException, TimeoutException {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames()
                        .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                boolean led = descriptions.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (led) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new TimeoutException("no leader for all partitions of " + names + " after " + READY_TIMEOUT);
            }
            Thread.sleep(50);
        }
    }

    /**
     * The test kit logs every broker step at INFO. Raise the server loggers to WARN when the configuration would show
     * INFO, and never lower a level the configuration already set higher (log4j's default is ERROR).
     */
    private static void quietBrokerLogs() {
        for (String name : BROKER_LOGGERS) {
            if (!LogManager.getLogger(name).getLevel().isMoreSpecificThan(Level.WARN)) {
                Configurator.setLevel(name, Level.WARN);
            }
        }
    }

    /** Asks the OS for a free port; another process could take it before the broker binds, which we accept. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static void closeQuietly(KafkaClusterTestKit cluster, Exception cause) {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    }
}
