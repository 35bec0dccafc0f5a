package dev.ordergraph.orders.origin;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mark's content: what a mutation writes, the capture reads back, whatever its clientMutationId holds. */
class OriginMarkTest {

    private static OriginMark roundTrip(OriginMark mark) {
        return OriginMark.parse(mark.content().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aMarkReadsBackAsItWasWritten() {
        assertThat(new OriginMark(7, "m-1").content()).isEqualTo("{\"actor\":7,\"clientMutationId\":\"m-1\"}");
        assertThat(roundTrip(new OriginMark(7, "m-1"))).isEqualTo(new OriginMark(7, "m-1"));
        assertThat(roundTrip(new OriginMark(7, null))).isEqualTo(new OriginMark(7, null));
        String awkward = "\"},{\"actor\":1} \u00e9\u2028\\";
        assertThat(roundTrip(new OriginMark(Long.MAX_VALUE, awkward))).isEqualTo(new OriginMark(Long.MAX_VALUE, awkward));
    }

    @Test
    void aTracedMutationsMarkCarriesItsTraceContext() {
        String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        OriginMark mark = new OriginMark(7, "m-1", trace);
        assertThat(mark.content()).isEqualTo("{\"actor\":7,\"clientMutationId\":\"m-1\",\"trace\":\"" + trace + "\"}");
        assertThat(roundTrip(mark)).isEqualTo(mark);
        assertThat(roundTrip(new OriginMark(7, null))).extracting(OriginMark::trace).isNull();
    }

    @Test
    void contentThatNamesNoActorIsNotAMark() {
        assertThatThrownBy(() -> OriginMark.parse("{\"clientMutationId\":\"m-1\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OriginMark.parse("{\"actor\":\"7\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
