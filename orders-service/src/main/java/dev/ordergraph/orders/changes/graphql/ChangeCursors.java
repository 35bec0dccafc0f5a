package dev.ordergraph.orders.changes.graphql;

import dev.ordergraph.orders.changes.CdcProperties;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.errors.RefusedConfiguration;
import dev.ordergraph.platform.security.AuthProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * The {@code cursor} of an {@code OrderChange}, where {@code after:} resumes: the change's log position
 * (transaction, WAL position, place in its record), encrypted, so it tells a viewer nothing about other
 * viewers' writes. A change's cursor is deterministic (the nonce is a MAC of the position, as in SIV), so
 * the same change has the same cursor on every replica that shares the secret; {@code changesCursor} is
 * sealed under a random nonce instead ({@link #fresh}). Authenticated, so a cursor that was not issued
 * here, or was altered, is {@code BAD_USER_INPUT} rather than a position. The same secret keys the
 * opaque transaction ids ({@link #transactionId}).
 */
@Component
public class ChangeCursors {

    private static final Logger log = LoggerFactory.getLogger(ChangeCursors.class);
    private static final int POSITION_BYTES = 20;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int CURSOR_BYTES = NONCE_BYTES + POSITION_BYTES + TAG_BITS / 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec encryption;
    /** Per thread: a Cipher and a Mac are not thread-safe, and looking them up per cursor costs more than using them. */
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(() -> instance(() -> Cipher.getInstance("AES/GCM/NoPadding")));
    private final ThreadLocal<Mac> macs;
    private final ThreadLocal<Mac> transactionMacs;
    /** The transaction id this thread made last: a transaction's changes, and a change fanned out, ask in runs. */
    private final ThreadLocal<Transaction> lastTransaction = new ThreadLocal<>();
    /**
     * The cursor this thread sealed last: a change fanned out to many subscribers is sealed once per
     * run of them, and GCM refuses to encrypt twice in a row with one nonce (a guard against nonce reuse
     * that a nonce derived from the position itself makes moot: same nonce, same plaintext).
     */
    private final ThreadLocal<Sealed> last = new ThreadLocal<>();

    private record Sealed(ChangePosition position, String cursor) {
    }

    private record Transaction(long txId, Instant committedAt, String id) {
    }

    public ChangeCursors(CdcProperties cdc, AuthProperties auth) {
        String secret = cdc.cursorSecret();
        if (secret == null || secret.isBlank()) {
            if (auth.usesIssuer()) {
                // With an issuer's JWKS there is no shared secret to derive one from, and the development secret is public.
                throw new RefusedConfiguration("ORDERGRAPH_CDC_CURSORSECRET is not set. With AUTH_JWT_ISSUER_URI there is no shared "
                        + "token secret to derive the change cursors' key from.", "Set ORDERGRAPH_CDC_CURSORSECRET, the same on every replica.");
            }
            // Replicas that sign tokens with one HS256 secret share it already.
            secret = auth.effectiveSecret();
            if (secret.equals(AuthProperties.DEV_SECRET)) {
                log.warn("Change cursors are encrypted with a key derived from the development secret: "
                        + "set ORDERGRAPH_CDC_CURSORSECRET (the same on every replica) in production");
            }
        }
        this.encryption = new SecretKeySpec(Arrays.copyOf(derive(secret, "change-cursor-encryption"), 16), "AES");
        SecretKeySpec nonces = new SecretKeySpec(derive(secret, "change-cursor-nonce"), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> instance(() -> {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(nonces);
            return mac;
        }));
        SecretKeySpec transactions = new SecretKeySpec(derive(secret, "change-transaction-id"), "HmacSHA256");
        this.transactionMacs = ThreadLocal.withInitial(() -> instance(() -> {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(transactions);
            return mac;
        }));
    }

    /**
     * The opaque id of the transaction {@code txId} that committed at {@code committedAt}: a MAC of both
     * (the xid alone wraps around), cut to 128 bits, so it is the same on every replica that shares the
     * secret and tells nothing of other transactions. It is never read back, so it needs no decryption.
     */
    public String transactionId(long txId, Instant committedAt) {
        Transaction previous = lastTransaction.get();
        if (previous != null && previous.txId() == txId && previous.committedAt().equals(committedAt)) {
            return previous.id();
        }
        byte[] plain = ByteBuffer.allocate(20).putLong(txId).putLong(committedAt.getEpochSecond()).putInt(committedAt.getNano()).array();
        byte[] mac = transactionMacs.get().doFinal(plain);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(mac, 16));
        lastTransaction.set(new Transaction(txId, committedAt, id));
        return id;
    }

    /** The cursor of the change at {@code position}: the same string for the same change, on every replica. */
    public String of(ChangePosition position) {
        Sealed previous = last.get();
        if (previous != null && previous.position().equals(position)) {
            return previous.cursor();
        }
        byte[] plain = plain(position);
        byte[] nonce = Arrays.copyOf(macs.get().doFinal(plain), NONCE_BYTES);
        nonce[0] &= 0x7F; // derived nonces have the top bit clear, random ones set: the two never meet
        String cursor = seal(plain, nonce);
        last.set(new Sealed(position, cursor));
        return cursor;
    }

    /**
     * A cursor of {@code position} under a random nonce: a different string each time, so a viewer who reads
     * {@code changesCursor} again and again cannot tell from it whether anybody wrote in between (a
     * deterministic cursor would stay put while nobody writes and move when anybody does). It resumes
     * like {@link #of}. The key is shared by every replica and any viewer can ask for this as often as
     * the gateway lets them, so mind the bound for random GCM nonces: about 2^32 seals of this kind per
     * key (the top bit keeps them apart from change cursors' nonces); rotate
     * {@code ORDERGRAPH_CDC_CURSORSECRET} well before that (cursors then sealed under the old key are
     * {@code BAD_USER_INPUT}).
     */
    public String fresh(ChangePosition position) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        nonce[0] |= (byte) 0x80;
        return seal(plain(position), nonce);
    }

    private static byte[] plain(ChangePosition position) {
        return ByteBuffer.allocate(POSITION_BYTES).putLong(position.txId()).putLong(position.lsn()).putInt(position.ordinal()).array();
    }

    private String seal(byte[] plain, byte[] nonce) {
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.ENCRYPT_MODE, encryption, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = ByteBuffer.allocate(CURSOR_BYTES).put(nonce).put(cipher.doFinal(plain)).array();
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** The position in {@code cursor}, {@code null} without one; {@code BAD_USER_INPUT} unless this service issued it. */
    public ChangePosition parse(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            byte[] sealed = cursor.length() > 100 ? new byte[0] : Base64.getUrlDecoder().decode(cursor);
            if (sealed.length != CURSOR_BYTES) {
                throw notAChangeCursor();
            }
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.DECRYPT_MODE, encryption, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            ByteBuffer plain = ByteBuffer.wrap(cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES));
            return new ChangePosition(plain.getLong(), plain.getLong(), plain.getInt());
        } catch (IllegalArgumentException | AEADBadTagException e) {
            throw notAChangeCursor();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    private static ApiException notAChangeCursor() {
        return ApiException.badInput("'after' is not a cursor of this change stream.");
    }

    private static byte[] derive(String secret, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    private interface Creation<T> {
        T create() throws GeneralSecurityException;
    }

    private static <T> T instance(Creation<T> creation) {
        try {
            return creation.create();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM and HMAC-SHA256 are part of every JDK", e);
        }
    }
}
