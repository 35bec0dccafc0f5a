package dev.ordergraph.orders.changes.graphql;

import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.errors.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeCursorsTest {

    private static final ChangePosition POSITION = new ChangePosition(4_000_000_123L, 0x1_2345_6789L, 3);

    @Test
    void aCursorRevealsNoPositionAndIsTheSameWhereverTheSecretIsShared() {
        String cursor = ChangeViewTest.cursors("shared").of(POSITION);

        assertThat(ChangeViewTest.cursors("shared").of(POSITION)).isEqualTo(cursor); // another replica
        assertThat(ChangeViewTest.cursors("shared").parse(cursor)).isEqualTo(POSITION);
        assertThat(new String(Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("4000000123", "changes");
        assertThat(ChangeViewTest.cursors("shared").of(new ChangePosition(4_000_000_123L, 0x1_2345_6789L, 4))).isNotEqualTo(cursor);
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
