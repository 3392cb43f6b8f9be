package dev.workbookrelay.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A routes file of sources, as users write routes/sources.camel.yaml, for a test's relays to load. */
public final class SourcesFile {

    private final StringBuilder yaml = new StringBuilder();

    /** A source of one connection (template workbook-source). */
    public SourcesFile connection(String source, String connectionId, String cron) {
        return templated("workbook-source", source, "connectionId", connectionId, cron);
    }

    /** A source of every connection of a Nango integration (template nango-integration). */
    public SourcesFile integration(String source, String integrationId, String cron) {
        return templated("nango-integration", source, "integrationId", integrationId, cron);
    }

    /** Writes the file; returns the routes pattern of the shipped routes plus it. */
    public String writeTo(Path file) throws IOException {
        Files.writeString(file, yaml);
        return RunningRelay.ROUTES + ",file:" + file;
    }

    private SourcesFile templated(String template, String source, String name, String value, String cron) {
        yaml.append("- templatedRoute:\n    routeTemplateRef: ").append(template).append("\n    routeId: ")
                .append(source).append("\n    parameters:\n      - name: source\n        value: ").append(source)
                .append("\n      - name: ").append(name).append("\n        value: ").append(value)
                .append("\n      - name: cron\n        value: \"").append(cron).append("\"\n");
        return this;
    }
}
