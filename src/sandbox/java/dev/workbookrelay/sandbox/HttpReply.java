package dev.workbookrelay.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response about to be sent: status, headers in order (names as sent) and body bytes. Faults: {@code cutMidBody}
 * sends the headers and half the body, then drops the connection; {@code trickle} (not null) sends the body a byte
 * at a time, that long apart.
 */
record HttpReply(int status, Map<String, String> headers, byte[] body, boolean cutMidBody, Duration trickle) {

    HttpReply(int status, Map<String, String> headers, byte[] body) {
        this(status, headers, body, false, null);
    }

    static final String NANGO_JSON = "application/json; charset=utf-8";

    /** A response produced by Nango itself: only its JSON content type. */
    static HttpReply nango(int status, String json) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", NANGO_JSON);
        return new HttpReply(status, headers, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Nango's 400 for a request its zod schema refused: {@code {"error":{"code":…,"errors":[issues]}}}. */
    static HttpReply nangoInvalid(String code, ArrayNode issues) {
        ObjectNode body = DriveItemJson.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.set("errors", issues);
        try {
            return nango(400, DriveItemJson.MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    String header(String name) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }
}
