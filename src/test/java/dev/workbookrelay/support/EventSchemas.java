package dev.workbookrelay.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** The published JSON Schemas (config/schemas), used to check what the relay put on Kafka. */
public final class EventSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventSchemas() {
    }

    /** Validation messages of {@code value} against {@code config/schemas/<name>.schema.json}; empty when valid. */
    public static Set<ValidationMessage> check(String name, String value) throws IOException {
        return validate(name, JSON.readTree(value));
    }

    /** As {@link #check}, for data already parsed. */
    public static Set<ValidationMessage> validate(String name, JsonNode value) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        try {
            return factory.getSchema(Files.readString(Path.of("config/schemas", name + ".schema.json")))
                    .validate(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
