package dev.workbookrelay.support;

import dev.workbookrelay.Application;
import dev.workbookrelay.sandbox.RelayProcess;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The relay as production starts it ({@link Application#create()}: config/application.properties, the shipped
 * YAML routes), pointed at a test broker and emulator, plus a plain producer to send sync requests.
 */
public final class RunningRelay implements AutoCloseable {

    /** The shipped routes and templates (the shipped sources.camel.yaml has no source; tests add their own). */
    public static final String ROUTES = RelayProcess.ROUTES;

    private final Main main;
    private final KafkaProducer<String, byte[]> producer;
    private final String requestsTopic;
    private final int managementPort;
    private final int webhookPort;

    private RunningRelay(Main main, KafkaProducer<String, byte[]> producer, String requestsTopic, int managementPort,
            int webhookPort) {
        this.main = main;
        this.producer = producer;
        this.requestsTopic = requestsTopic;
        this.managementPort = managementPort;
        this.webhookPort = webhookPort;
    }

    public static RunningRelay start(String brokers, String nangoBaseUrl, String secretKey,
            Map<String, String> settings) throws Exception {
        Main main = Application.create();
        main.addOverrideProperty("camel.main.routes-include-pattern", ROUTES);
        main.addOverrideProperty("camel.component.kafka.brokers", brokers);
        main.addOverrideProperty("camel.component.kafka.poll-timeout-ms", "200");
        main.addOverrideProperty("workbook-relay.nango.base-url", nangoBaseUrl);
        main.addOverrideProperty("workbook-relay.nango.secret-key", secretKey);
        // each relay its own state unless the test shares one on purpose (restarts, PostgreSQL)
        main.addOverrideProperty("workbook-relay.state.jdbc-url", "jdbc:h2:file:"
                + java.nio.file.Files.createTempDirectory("relay-state").resolve("state") + ";MODE=PostgreSQL");
        // several relays may run in one test JVM: each its own health and metrics port, and webhook port
        int managementPort = FreePort.next();
        main.addOverrideProperty("camel.management.port", Integer.toString(managementPort));
        int webhookPort = FreePort.next();
        main.addOverrideProperty("camel.server.port", Integer.toString(webhookPort));
        // tests sync the emulator's connections on request, as a test fixture's sources (LockedDownTest turns it off)
        main.addOverrideProperty("workbook-relay.sync-requests.ad-hoc", "true");
        settings.forEach(main::addOverrideProperty);
        main.start();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new RunningRelay(main, new KafkaProducer<>(p),
                settings.getOrDefault("workbook-relay.topics.sync-requests", "workbook-relay.sync-requests"),
                Integer.parseInt(settings.getOrDefault("camel.management.port", Integer.toString(managementPort))),
                Integer.parseInt(settings.getOrDefault("camel.server.port", Integer.toString(webhookPort))));
    }

    /** {@code http://127.0.0.1:<port>}: where /observe/health and /observe/metrics answer. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** {@code http://127.0.0.1:<port>/webhooks/nango}: where Nango's webhooks are posted. */
    public String webhookUrl() {
        return "http://127.0.0.1:" + webhookPort + "/webhooks/nango";
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** Sends a message to this relay's sync-requests topic and waits for the broker's ack. */
    public void requestSync(String json) throws Exception {
        send(json.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(requestsTopic, null, value)).get();
    }

    @Override
    public void close() throws Exception {
        producer.close();
        main.stop();
    }
}
