package dev.workbookrelay.sandbox;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SharePoint side of a download: the short-lived pre-authenticated URLs ({@code …/_layouts/15/download.aspx
 * ?UniqueId=…&Translate=false&tempauth=…&ApiVersion=2.0}) Graph's {@code /content} redirects to, served by the
 * emulator outside {@code /proxy}. They need no header at all (the {@code tempauth} token is the credential), live an
 * hour like Graph's, and answer 401 to a token that is unknown or expired.
 */
final class DownloadUrls {

    static final String PATH_SUFFIX = "/_layouts/15/download.aspx";
    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** {@code {"typ":"JWT","alg":"none"}}: real tempauth tokens are unsigned JWTs with a proof in the payload. */
    private static final String TOKEN_HEADER = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0";
    private static final String SHAREPOINT_APP = "00000003-0000-0ff1-ce00-000000000000";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** What a token lets its holder download, and until when. */
    private record Grant(EmulatedDrive drive, String itemId, Instant expires) {
    }

    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    /** Where the URLs point: the running emulator once started. */
    private volatile String origin = "https://contoso-my.sharepoint.com";

    void origin(String origin) {
        this.origin = origin;
    }

    /** A fresh download URL for a file of the drive, on the drive's site path as SharePoint builds them. */
    String issue(EmulatedDrive drive, DriveEntry file) {
        Instant now = Instant.now();
        if (grants.size() % 1024 == 1023) {
            grants.values().removeIf(grant -> now.isAfter(grant.expires())); // now and then, not at every call
        }
        String token = token(now);
        grants.put(token, new Grant(drive, file.id(), now.plus(LIFETIME)));
        String site = URI.create(drive.webUrl).getRawPath().replaceFirst("/[^/]*$", ""); // minus the library
        return origin + site + PATH_SUFFIX + "?UniqueId=" + ItemIds.itemGuid(file.id()).toLowerCase(Locale.ROOT)
                + "&Translate=false&tempauth=" + token + "&ApiVersion=2.0";
    }

    /** Every URL handed out so far stops working, as they do after an hour. */
    void expireAll() {
        grants.replaceAll((token, grant) -> new Grant(grant.drive(), grant.itemId(), Instant.EPOCH));
    }

    static boolean isDownloadPath(String path) {
        return path.endsWith(PATH_SUFFIX);
    }

    /** The answer to a GET of a download URL: the file's bytes as they are now, or 401 / 404. */
    HttpReply serve(String method, String query) throws IOException {
        String token = null;
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith("tempauth=")) {
                token = UrlText.decode(pair.substring("tempauth=".length()), true);
            }
        }
        Grant grant = token == null ? null : grants.get(token);
        if (grant == null || Instant.now().isAfter(grant.expires())) {
            return unauthorized();
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return plain(405, "Method not allowed");
        }
        DriveEntry file = grant.drive().index.lookup(grant.itemId());
        if (file == null || file.folder()) {
            return plain(404, "File not found");
        }
        byte[] bytes = Files.readAllBytes(file.path());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", DriveItemJson.mimeType(file.name()));
        headers.put("content-disposition", "attachment; filename*=UTF-8''" + UrlText.encodeSegment(file.name()));
        headers.put("etag", "\"{" + ItemIds.itemGuid(file.id()) + "}," + file.eTagVersion() + "\"");
        headers.put("last-modified", HTTP_DATE.format(file.lastModified()));
        headers.put("cache-control", "private");
        headers.put("x-content-type-options", "nosniff");
        headers.put("sprequestguid", java.util.UUID.randomUUID().toString());
        return new HttpReply(200, headers, bytes);
    }

    /** SharePoint's refusal of a bad tempauth (the body of a bearer failure; its exact text is not documented). */
    private static HttpReply unauthorized() {
        HttpReply reply = plain(401, "{\"error_description\":\"Invalid JWT token. The token is expired.\"}");
        reply.headers().put("content-type", "application/json;charset=utf-8");
        reply.headers().put("www-authenticate", "Bearer realm=\"" + ItemIds.uuid("tenant") + "\",client_id=\""
                + SHAREPOINT_APP + "\",trusted_issuers=\"" + SHAREPOINT_APP + "@*\"");
        return reply;
    }

    private static HttpReply plain(int status, String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "text/plain; charset=utf-8");
        return new HttpReply(status, headers, text.getBytes(StandardCharsets.UTF_8));
    }

    /** An unsigned JWT shaped like SharePoint's tempauth: audience, validity and a random proof. */
    private static String token(Instant now) {
        byte[] proof = new byte[32];
        RANDOM.nextBytes(proof);
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String payload = "{\"aud\":\"" + SHAREPOINT_APP + "/contoso-my.sharepoint.com@" + ItemIds.uuid("tenant")
                + "\",\"iss\":\"" + SHAREPOINT_APP + "\",\"nbf\":\"" + now.getEpochSecond() + "\",\"exp\":\""
                + now.plus(LIFETIME).getEpochSecond() + "\",\"ver\":\"hashedprooftoken\"}";
        return TOKEN_HEADER + "." + base64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(proof);
    }
}
