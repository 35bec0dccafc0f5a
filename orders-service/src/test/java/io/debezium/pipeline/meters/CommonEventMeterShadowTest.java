package io.debezium.pipeline.meters;

import io.debezium.data.Envelope;
import io.debezium.pipeline.source.spi.EventMetadataProvider;
import io.debezium.pipeline.spi.OffsetContext;
import io.debezium.spi.schema.DataCollectionId;
import io.debezium.util.Clock;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The service's copy of Debezium's CommonEventMeter: the one loaded, made for this Debezium, and lazy about LastEvent only. */
class CommonEventMeterShadowTest {

    @Test
    void isTheCopyLoadedAndWasMadeForThisDebeziumVersion() {
        assertThat(CommonEventMeter.class.getProtectionDomain().getCodeSource().getLocation().toString())
                .as("the service's own class, not Debezium's").doesNotContain("debezium");
        assertThat(io.debezium.connector.postgresql.Module.version())
                .as("Debezium changed: compare CommonEventMeter with the new version's, then update this test")
                .isEqualTo("3.6.1.Final");
    }

    @Test
    void countsEachEventAndFormatsTheLastOneOnlyWhenRead() {
        AtomicInteger formatted = new AtomicInteger();
        CommonEventMeter meter = new CommonEventMeter(Clock.SYSTEM, new EventMetadataProvider() {
            @Override
            public Instant getEventTimestamp(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
                return null;
            }

            @Override
            public Map<String, String> getEventSourcePosition(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
                return Map.of();
            }

            @Override
            public String getTransactionId(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
                return null;
            }

            @Override
            public String toSummaryString(DataCollectionId source, OffsetContext offset, Object key, Struct value) {
                formatted.incrementAndGet();
                return "key=" + key;
            }
        });
        assertThat(meter.getLastEvent()).isNull();
        assertThat(meter.getMilliSecondsSinceLastEvent()).isEqualTo(-1);
        meter.onEvent(null, null, "k1", null, Envelope.Operation.CREATE);
        meter.onEvent(null, null, "k2", null, Envelope.Operation.UPDATE);
        meter.onEvent(null, null, "k3", null, Envelope.Operation.UPDATE);
        meter.onEvent(null, null, "k4", null, Envelope.Operation.DELETE);
        meter.onFilteredEvent();
        meter.onErroneousEvent(Envelope.Operation.CREATE);
        assertThat(formatted).as("nothing formatted while events flow").hasValue(0);
        assertThat(meter.getLastEvent()).isEqualTo("key=k4");
        assertThat(formatted).hasValue(1);
        assertThat(meter.getTotalNumberOfEventsSeen()).isEqualTo(6);
        assertThat(meter.getTotalNumberOfCreateEventsSeen()).isEqualTo(2);
        assertThat(meter.getTotalNumberOfUpdateEventsSeen()).isEqualTo(2);
        assertThat(meter.getTotalNumberOfDeleteEventsSeen()).isEqualTo(1);
        assertThat(meter.getNumberOfEventsFiltered()).isEqualTo(1);
        assertThat(meter.getNumberOfErroneousEvents()).isEqualTo(1);
        assertThat(meter.getMilliSecondsSinceLastEvent()).isBetween(0L, 10_000L);
        meter.reset();
        assertThat(meter.getLastEvent()).isNull();
        assertThat(meter.getTotalNumberOfEventsSeen()).isZero();
    }
}
