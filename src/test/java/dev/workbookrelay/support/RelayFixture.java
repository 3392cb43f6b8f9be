package dev.workbookrelay.support;

import dev.workbookrelay.sandbox.EmbeddedKafka;
import dev.workbookrelay.sandbox.NangoGraphEmulator;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Broker + emulator + relay for one test class, closed in reverse order. */
public final class RelayFixture implements AutoCloseable {

    public static final String[] TOPICS = {"workbook-relay.sync-requests", "workbook-relay.workbooks",
        "workbook-relay.worksheets", "workbook-relay.rows", "workbook-relay.sync-status", "workbook-relay.dead-letter"};

    public final String secret = UUID.randomUUID().toString();
    public final EmbeddedKafka kafka;
    public final NangoGraphEmulator nango;
    public final RunningRelay relay;

    /** @param connections connection id → drive folder, all under provider config key microsoft-excel */
    public RelayFixture(Map<String, Path> connections, Map<String, String> settings) throws Exception {
        this(connections, settings, UnaryOperator.identity());
    }

    /** As above, with the emulator's own options (faults, Graph's quirks) set by {@code emulator}. */
    public RelayFixture(Map<String, Path> connections, Map<String, String> settings,
            UnaryOperator<NangoGraphEmulator.Builder> emulator) throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(TOPICS);
        NangoGraphEmulator.Builder builder = emulator.apply(NangoGraphEmulator.builder().secretKey(secret));
        connections.forEach((id, drive) -> builder.connection("microsoft-excel", id, drive));
        nango = builder.build().start();
        relay = RunningRelay.start(kafka.bootstrapServers(), nango.baseUrl(), secret, settings);
    }

    @Override
    public void close() throws Exception {
        try (EmbeddedKafka k = kafka; NangoGraphEmulator n = nango; RunningRelay r = relay) {
            // closed by try-with-resources: relay, emulator, broker
        }
    }
}
