package dev.workbookrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The shipped configuration reads into typed settings, and a wrong value stops the start naming every bad key. */
class RelaySettingsTest {

    @Test
    void theShippedConfigurationReadsIntoNamedTypedSettings() throws Exception {
        Map<String, String> values = shipped();
        RelaySettings settings = RelaySettings.read(key -> Optional.ofNullable(values.get(key)));

        assertEquals(8, settings.sync().concurrency());
        assertEquals(Duration.ofSeconds(10), settings.graph().budgetPeriod());
        assertEquals(Duration.ofSeconds(1), settings.graph().retry().initialDelay());
        assertEquals(Duration.ofMinutes(1), settings.graph().retry().maxDelay());
        assertEquals("workbook-relay.dead-letter", settings.topics().deadLetter());
        assertEquals("workbook-relay.sync-requests", settings.syncRequests().topic());
    }

    @Test
    void wrongValuesStopTheStartNamingEachKey() throws Exception {
        Map<String, String> values = shipped();
        values.put("workbook-relay.sync.concurrency", "0");
        values.put("workbook-relay.graph.retry.max-delay-ms", "-5");
        values.put("workbook-relay.graph.page-size", "two hundred");
        values.remove("workbook-relay.topics.workbooks");

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RelaySettings.read(key -> Optional.ofNullable(values.get(key))));

        assertTrue(e.getMessage().contains("workbook-relay.sync.concurrency must be a whole number of at least 1,"
                + " got 0"), e.getMessage());
        assertTrue(e.getMessage().contains("workbook-relay.graph.retry.max-delay-ms is a duration in milliseconds"
                + " and cannot be negative, got -5"), e.getMessage());
        assertTrue(e.getMessage().contains("workbook-relay.graph.page-size must be a whole number, got 'two"
                + " hundred'"), e.getMessage());
        assertTrue(e.getMessage().contains("workbook-relay.topics.workbooks is not set"), e.getMessage());
    }

    @Test
    void secretsAreNotInTheSettingsText() throws Exception {
        Map<String, String> values = shipped();
        values.put("workbook-relay.nango.secret-key", "secret-key-value");
        values.put("workbook-relay.state.password", "db-password-value");

        String text = RelaySettings.read(key -> Optional.ofNullable(values.get(key))).toString();

        assertFalse(text.contains("secret-key-value"), text);
        assertFalse(text.contains("db-password-value"), text);
    }

    /** config/application.properties with its environment placeholders resolved to their defaults. */
    private static Map<String, String> shipped() throws Exception {
        Properties p = new Properties();
        try (FileReader in = new FileReader("config/application.properties")) {
            p.load(in);
        }
        Map<String, String> values = new HashMap<>();
        p.forEach((k, v) -> values.put(k.toString(), v.toString().replaceAll("\\{\\{env:[A-Z_]+:(.*)}}", "$1")));
        return values;
    }
}
