package dev.workbookrelay.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbookrelay.events.WorkbookImage;

/** Workbook images as JSON text in the database: the record can gain fields without a schema migration. */
final class WorkbookJson {

    // rows written by a newer relay (with fields this one lacks) must still load
    private final ObjectMapper json = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    String write(WorkbookImage image) {
        try {
            return json.writeValueAsString(image);
        } catch (JsonProcessingException e) {
            throw new SyncStateException("cannot store workbook " + image.id(), e);
        }
    }

    WorkbookImage read(String text) {
        try {
            return json.readValue(text, WorkbookImage.class);
        } catch (JsonProcessingException e) {
            throw new SyncStateException("stored workbook image is not readable: " + text, e);
        }
    }
}
