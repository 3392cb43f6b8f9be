package dev.workbookrelay.sandbox;

import dev.workbookrelay.Application;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.camel.main.Main;

/**
 * {@code mvn -Psandbox}: the whole relay on one machine with no account anywhere. Starts an in-JVM KRaft broker,
 * the Nango/Graph emulator over a working copy of the sample drive, the routes exactly as shipped, and a console
 * view of the events. Edit, add, rename or delete .xlsx files in the printed folder: the next sync shows it.
 * <p>
 * Options (via {@code -Dsandbox.args="..."}): {@code --seconds N} stops after N seconds; {@code --drive DIR}
 * serves another folder.
 */
public final class Sandbox {

    static final String SECRET_KEY = UUID.randomUUID().toString();
    static final String CONNECTION_ID = "sandbox-user";
    /** The shipped routes, as users edit them, plus the sandbox's own source. */
    public static final String ROUTES = "file:routes/*.camel.yaml,classpath:sandbox-source.camel.yaml";

    private Sandbox() {
    }

    public static void main(String[] args) throws Exception {
        Path drive = Path.of(option(args, "--drive", "target/sandbox/drive"));
        int seconds = Integer.parseInt(option(args, "--seconds", "0"));
        if (!Files.isDirectory(drive)) {
            copyTree(Path.of("src/sandbox/drive"), drive);
        }
        List<String> topics = List.of("workbook-relay.workbooks", "workbook-relay.worksheets", "workbook-relay.rows",
                "workbook-relay.sync-status", "workbook-relay.dead-letter");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                NangoGraphEmulator nango = NangoGraphEmulator.builder().secretKey(SECRET_KEY)
                        .connection("microsoft-excel", CONNECTION_ID, drive).build().start()) {
            kafka.createTopics("workbook-relay.sync-requests");
            kafka.createTopics(topics.toArray(String[]::new));
            try (EventConsole console = new EventConsole(kafka.bootstrapServers(), topics, EventConsole.From.BEGINNING,
                    System.out)) {
                System.out.printf("%nworkbook-relay sandbox%n  drive folder : %s%n  Kafka        : %s%n"
                        + "  Nango proxy  : %s (connection %s)%n  schedule     : every 30 s (src/sandbox/resources/sandbox-source.camel.yaml)%n%n",
                        drive.toAbsolutePath(), kafka.bootstrapServers(), nango.baseUrl(), CONNECTION_ID);
                Main main = Application.create();
                main.addOverrideProperty("camel.main.routes-include-pattern", ROUTES);
                main.addOverrideProperty("camel.component.kafka.brokers", kafka.bootstrapServers());
                main.addOverrideProperty("workbook-relay.nango.base-url", nango.baseUrl());
                main.addOverrideProperty("workbook-relay.nango.secret-key", SECRET_KEY);
                main.addOverrideProperty("workbook-relay.sandbox.connection-id", CONNECTION_ID);
                // state beside the drive copy; after a restart the emulator no longer knows the stored delta
                // token, answers 410, and the relay resyncs and reconciles — as it would with Graph
                main.addOverrideProperty("workbook-relay.state.jdbc-url", "jdbc:h2:file:"
                        + drive.toAbsolutePath().getParent().resolve("state/workbook-relay") + ";MODE=PostgreSQL");
                // the first sync a few seconds after start, then every 30 s
                main.addOverrideProperty("workbook-relay.sandbox.cron", "0/30 * * * * ?");
                if (seconds > 0) {
                    main.configure().setDurationMaxSeconds(seconds);
                }
                main.run();
            }
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
