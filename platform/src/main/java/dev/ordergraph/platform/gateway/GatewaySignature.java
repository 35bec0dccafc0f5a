package dev.ordergraph.platform.gateway;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The signature Hive Gateway's {@code hmacSignature} puts on every request it sends a subgraph, in
 * {@code extensions["hmac-signature"]}: base64 of HMAC-SHA256(secret, canonical), where canonical is
 * {@code {query, variables}} written as the gateway writes it ({@link CanonicalJson}; {@code variables} left
 * out when {@code null} or empty). The same as {@code @graphql-mesh/hmac-upstream-signature}'s own verifier
 * ({@code useHmacSignatureValidation} with its {@code defaultParamsSerializer}), so a subgraph here accepts
 * exactly what a Yoga subgraph would.
 */
public final class GatewaySignature {

    /** The request extension that carries the signature. */
    public static final String EXTENSION = "hmac-signature";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    public GatewaySignature(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("a signature needs a secret");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The signature a gateway sharing {@code secret} puts on a request with this query and these variables. */
    public static String sign(String secret, String query, Map<String, ?> variables) {
        return new GatewaySignature(secret).sign(query, variables);
    }

    public String sign(String query, Map<String, ?> variables) {
        return Base64.getEncoder().encodeToString(mac(canonical(query, variables)));
    }

    /** Whether {@code signature} (the extension's value, as received) signs this query and these variables; in constant time. */
    public boolean verifies(String query, Map<String, ?> variables, Object signature) {
        if (!(signature instanceof String encoded)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(canonical(query, variables)), given);
    }

    /** What is signed: {@code {"query":…,"variables":…}} with every key sorted, as the gateway serializes it. */
    public static String canonical(String query, Map<String, ?> variables) {
        Map<String, Object> params = new LinkedHashMap<>();
        if (query != null) {
            params.put("query", query);
        }
        if (variables != null && !variables.isEmpty()) {
            params.put("variables", variables);
        }
        return CanonicalJson.write(params);
    }

    private byte[] mac(String canonical) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
