package dev.ordergraph.orders.changes.graphql;

import dev.ordergraph.orders.changes.CdcProperties;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.errors.ErrorCode;
import dev.ordergraph.platform.security.AuthProperties;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeCursorsTest {

    private static final ChangePosition POSITION = new ChangePosition(4_000_000_123L, 0x1_2345_6789L, 3);

    @Test
    void aCursorRevealsNoPositionAndIsTheSameWhereverTheSecretIsShared() {
        String cursor = ChangeViewTest.cursors("shared").of(POSITION);

        assertThat(ChangeViewTest.cursors("shared").of(POSITION)).isEqualTo(cursor); // another replica
        assertThat(ChangeViewTest.cursors("shared").parse(cursor)).isEqualTo(POSITION);
        assertThat(ChangeViewTest.cursors("shared").of(new ChangePosition(4_000_000_123L, 0x1_2345_6789L, 4))).isNotEqualTo(cursor);
    }

    @Test
    void aChangeSealedAgainAfterOthersOrOnAnotherThreadHasTheSameCursor() throws Exception {
        ChangeCursors cursors = ChangeViewTest.cursors("shared");
        ChangePosition other = new ChangePosition(1, 2, 0);
        String first = cursors.of(POSITION);

        assertThat(cursors.of(POSITION)).isEqualTo(first); // twice in a row: one change fanned out to many subscribers
        assertThat(cursors.parse(cursors.of(other))).isEqualTo(other);
        assertThat(cursors.of(POSITION)).isEqualTo(first); // sealed anew
        var elsewhere = new java.util.concurrent.atomic.AtomicReference<String>();
        Thread thread = Thread.ofVirtual().start(() -> elsewhere.set(cursors.of(POSITION)));
        thread.join();
        assertThat(elsewhere.get()).isEqualTo(first);
    }

    @Test
    void neitherKindOfCursorHoldsThePositionInClear() {
        ChangeCursors cursors = ChangeViewTest.cursors("shared");
        for (String cursor : new String[]{cursors.of(POSITION), cursors.fresh(POSITION)}) {
            byte[] sealed = Base64.getUrlDecoder().decode(cursor);

            // The position as it is encoded before sealing, whole and field by field: none of it is in the cursor.
            assertThat(sealed).hasSize(12 + CLEAR.length + 16); // nonce, ciphertext, tag
            for (byte[] clear : new byte[][]{CLEAR, Arrays.copyOfRange(CLEAR, 0, 8), Arrays.copyOfRange(CLEAR, 8, 16),
                    Arrays.copyOfRange(CLEAR, 4, 12), Arrays.copyOfRange(CLEAR, 12, 20)}) {
                assertThat(indexOf(sealed, clear)).as(HexFormat.of().formatHex(clear)).isEqualTo(-1);
            }
            assertThat(Arrays.copyOfRange(sealed, 12, 12 + CLEAR.length)).isNotEqualTo(CLEAR);
            assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("4000000123");
        }
    }

    @Test
    void withAnIssuerCursorsNeedASecretOfTheirOwn() {
        AuthProperties issuer = new AuthProperties(null, "https://id.example.com", null, true);

        assertThatThrownBy(() -> new ChangeCursors(cdc(null), issuer))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ORDERGRAPH_CDC_CURSORSECRET");
        assertThatThrownBy(() -> new ChangeCursors(cdc(" "), issuer)).isInstanceOf(IllegalStateException.class);
        assertThat(new ChangeCursors(cdc("own-secret"), issuer).parse(new ChangeCursors(cdc("own-secret"), issuer).of(POSITION)))
                .isEqualTo(POSITION);
        // HS256: derived from the token secret, as before.
        assertThat(new ChangeCursors(cdc(null), AuthProperties.withSecret(null)).of(POSITION)).isNotBlank();
    }

    /** The position as ChangeCursors encodes it before sealing: transaction id, log position, ordinal. */
    private static final byte[] CLEAR = ByteBuffer.allocate(20)
            .putLong(POSITION.txId()).putLong(POSITION.lsn()).putInt(POSITION.ordinal()).array();

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    private static CdcProperties cdc(String cursorSecret) {
        return new CdcProperties(true, "s", "p", Duration.ofMillis(10), Duration.ofSeconds(10), "t", 100, 100,
                Duration.ofSeconds(2), Duration.ofMillis(200), 1000, DataSize.ofKilobytes(512), cursorSecret);
    }

    @Test
    void aCursorNotIssuedWithThisSecretOrAlteredIsBadUserInput() {
        String cursor = ChangeViewTest.cursors("shared").of(POSITION);
        char last = cursor.charAt(cursor.length() - 2);
        String altered = cursor.substring(0, cursor.length() - 2) + (last == 'A' ? 'B' : 'A') + cursor.charAt(cursor.length() - 1);

        for (String bad : new String[]{altered, "dXNlcnN8MQ", "not base64 at all!", "x".repeat(500)}) {
            assertThatThrownBy(() -> ChangeViewTest.cursors("shared").parse(bad)).as(bad)
                    .isInstanceOf(ApiException.class).extracting(e -> ((ApiException) e).code()).isEqualTo(ErrorCode.BAD_USER_INPUT);
        }
        assertThatThrownBy(() -> ChangeViewTest.cursors("another").parse(cursor)).isInstanceOf(ApiException.class);
    }

    @Test
    void aFreshCursorDiffersOnEveryReadOfTheSamePositionAndResumesThereOnAnyReplica() {
        ChangeCursors cursors = ChangeViewTest.cursors("shared");
        String first = cursors.fresh(POSITION);
        String second = cursors.fresh(POSITION);

        assertThat(first).isNotEqualTo(second).isNotEqualTo(cursors.of(POSITION)).hasSameSizeAs(cursors.of(POSITION));
        assertThat(ChangeViewTest.cursors("shared").parse(first)).isEqualTo(POSITION); // another replica
        assertThat(cursors.parse(second)).isEqualTo(POSITION);
    }
}
