package dev.workbookrelay.nango;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Nango's webhook signature, {@code X-Nango-Hmac-Sha256}: the hex HMAC-SHA256 of the raw body, keyed with the
 * environment's webhook signing key (not the secret key). Compared in constant time.
 */
public final class WebhookSignature {

    /** The header Nango sends it in. */
    public static final String HEADER = "X-Nango-Hmac-Sha256";

    private final byte[] signingKey;

    public WebhookSignature(String signingKey) {
        if (signingKey == null || signingKey.isBlank()) {
            throw new IllegalArgumentException("the webhook signing key is not set");
        }
        this.signingKey = signingKey.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code header} is the signature of {@code body}; false when missing or not hex. */
    public boolean matches(byte[] body, String header) {
        if (header == null) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.trim().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(sign(body), given);
    }

    /** The signature of {@code body}, as bytes. */
    public byte[] sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
