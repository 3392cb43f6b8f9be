package dev.workbookrelay.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Event data as the bytes of a record's value. */
final class EventData {

    private EventData() {
    }

    /** {@code data} as JSON; {@code what} names it in the (programming) error of data that cannot be serialised. */
    static byte[] bytes(ObjectMapper json, Object data, String what) {
        try {
            return json.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(what + " cannot be serialised", e);
        }
    }
}
