package dev.workbookrelay;

import org.apache.camel.main.Main;

/**
 * Starts workbook-relay: camel-main with the settings of {@code config/application.properties} (every one
 * overridable by an environment variable), the Java routes of this package and the YAML routes under
 * {@code routes/}. The locations can be moved with {@code WORKBOOK_RELAY_CONFIG}.
 */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        Main main = create();
        main.run(args);
    }

    /** A configured, not yet started, relay. */
    public static Main create() {
        Main main = new Main(Application.class);
        String config = System.getenv().getOrDefault("WORKBOOK_RELAY_CONFIG",
                System.getProperty("workbook-relay.config", "config/application.properties"));
        main.setDefaultPropertyPlaceholderLocation("file:" + config);
        return main;
    }
}
