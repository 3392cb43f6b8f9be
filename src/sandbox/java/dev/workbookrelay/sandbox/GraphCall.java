package dev.workbookrelay.sandbox;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One call reaching "Graph": its request id, and the headers and error bodies Graph puts on every answer.
 * {@code client-request-id} echoes the one the client forwarded, else repeats {@code request-id}, as observed.
 */
final class GraphCall {

    static final String ODATA_JSON =
            "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
    private static final String DIAGNOSTIC =
            "{\"ServerInfo\":{\"DataCenter\":\"West Europe\",\"Slice\":\"E\",\"Ring\":\"5\",\"ScaleUnit\":\"001\","
                    + "\"RoleInstance\":\"AM4PEPF00027A1B\"}}";
    private static final DateTimeFormatter ERROR_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    final String requestId;
    final String clientRequestId;

    GraphCall(Map<String, String> forwardedHeaders) {
        this.requestId = UUID.randomUUID().toString();
        String sent = forwardedHeaders.get("client-request-id");
        this.clientRequestId = sent == null || sent.isBlank() ? requestId : sent;
    }

    Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", ODATA_JSON);
        headers.put("request-id", requestId);
        headers.put("client-request-id", clientRequestId);
        headers.put("x-ms-ags-diagnostic", DIAGNOSTIC);
        headers.put("odata-version", "4.0");
        return headers;
    }

    HttpReply json(int status, JsonNode body) {
        try {
            return new HttpReply(status, headers(), DriveItemJson.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    HttpReply empty(int status) {
        Map<String, String> headers = headers();
        headers.remove("content-type");
        return new HttpReply(status, headers, new byte[0]);
    }

    /** {@code {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}}. */
    HttpReply error(int status, String code, String message) {
        return json(status, errorBody(code, message));
    }

    ObjectNode errorBody(String code, String message) {
        ObjectNode body = DriveItemJson.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        fillInnerError(error.putObject("innerError"));
        return body;
    }

    /**
     * Excel's error shape: {@code {"error":{"code","message","innerError":{"code","message","date","request-id",
     * "client-request-id"}}}}, the same words at both levels (as the ResponsePayloadSizeLimitExceeded sample).
     */
    HttpReply excelError(int status, String code, String innerCode, String message) {
        ObjectNode body = DriveItemJson.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        ObjectNode inner = error.putObject("innerError");
        inner.put("code", innerCode);
        inner.put("message", message);
        fillInnerError(inner);
        return json(status, body);
    }

    /** The date and ids Graph puts in the first innerError. */
    ObjectNode fillInnerError(ObjectNode innerError) {
        innerError.put("date", LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(ERROR_DATE));
        innerError.put("request-id", requestId);
        innerError.put("client-request-id", clientRequestId);
        return innerError;
    }

    /** A plausible Graph error for a status, used by injected faults that bring no body of their own. */
    HttpReply defaultError(int status) {
        return switch (status) {
            case 400 -> error(status, "invalidRequest", "Invalid request");
            case 401 -> error(status, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
            case 403 -> error(status, "accessDenied", "Access denied");
            case 404 -> error(status, "itemNotFound", "Item not found");
            case 409 -> error(status, "resourceModified", "The resource has changed since the caller last read it");
            case 423 -> error(status, "resourceLocked", "The resource you are attempting to access is locked");
            case 429 -> error(status, "activityLimitReached", "The request has been throttled");
            case 500 -> error(status, "generalException", "General exception while processing");
            case 502 -> error(status, "badGateway", "Bad gateway");
            case 503 -> error(status, "serviceNotAvailable", "Service unavailable");
            case 504 -> error(status, "UnknownError", "");
            default -> error(status, status >= 500 ? "generalException" : "invalidRequest",
                    status >= 500 ? "General exception while processing" : "Invalid request");
        };
    }
}
