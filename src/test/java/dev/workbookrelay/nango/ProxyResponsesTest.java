package dev.workbookrelay.nango;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Nango's own refusals and Graph's pass-through errors are told apart, and links map onto the proxy. */
class ProxyResponsesTest {

    final ProxyResponses responses = new ProxyResponses(new ObjectMapper(), text -> text);

    @Test
    void nangosUnknownConnectionIsANangoError() {
        NangoProxyException e = assertThrows(NangoProxyException.class, () -> responses.read(400,
                utf8("{\"error\":{\"code\":\"server_error\",\"message\":\"Failed to get connection\"}}"), h -> null));
        assertEquals("Nango 400 server_error: Failed to get connection", e.reason());
    }

    @Test
    void nangosMissingAuthHeaderIsAnAuthenticationFailure() {
        NangoProxyException e = assertThrows(NangoProxyException.class, () -> responses.read(401, utf8(
                "{\"error\":{\"message\":\"Authentication failed. The request is missing the Authorization header.\","
                        + "\"payload\":{},\"code\":\"missing_auth_header\"}}"), h -> null));
        assertTrue(e.isAuthenticationFailure());
    }

    @Test
    void graphErrorsKeepRetryAfterAndLocation() {
        GraphApiException e = assertThrows(GraphApiException.class, () -> responses.read(410, utf8(
                "{\"error\":{\"code\":\"resyncRequired\",\"message\":\"Resync required.\",\"innerError\":{}}}"),
                h -> switch (h) {
                    case "Location" -> "https://graph.microsoft.com/v1.0/me/drive/root/delta";
                    case "Retry-After" -> "2.128";
                    default -> null;
                }));
        assertTrue(e.isGone());
        assertEquals("2.128", e.retryAfter());
        assertEquals("https://graph.microsoft.com/v1.0/me/drive/root/delta", e.location());
    }

    @Test
    void aTruncatedSuccessBodyIsAnErrorNotACrash() {
        GraphApiException e = assertThrows(GraphApiException.class,
                () -> responses.read(200, utf8("{\"value\":[{\"id\":"), h -> null));
        assertEquals("invalidResponse", e.code());
    }

    @Test
    void absoluteGraphLinksAreSentThroughTheProxyWithIllegalCharactersEncoded() {
        NangoProxyEndpoint nango = new NangoProxyEndpoint("https://api.nango.dev/", "key-6f1c");
        assertEquals("https://api.nango.dev/proxy/v1.0/me/drive/root/delta?token=abc",
                nango.url("https://graph.microsoft.com/v1.0/me/drive/root/delta?token=abc"));
        assertEquals("https://api.nango.dev/proxy/v1.0/me/drive/root/search(query='contoso%20project')&skipToken=1",
                nango.url("https://graph.microsoft.com/v1.0/me/drive/root/search(query='contoso project')&skipToken=1"));
        assertEquals("https://api.nango.dev/proxy/v1.0/drives/b!x/items/1/workbook/worksheets/%7BAB%7D",
                nango.url("/v1.0/drives/b!x/items/1/workbook/worksheets/{AB}"));
        assertEquals("https://api.nango.dev/proxy/v1.0/me/drive?x=%2C", nango.url("/v1.0/me/drive?x=%2C"));
        assertTrue(!nango.toString().contains("key-6f1c"), "the key never shows in toString");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
