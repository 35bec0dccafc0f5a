package dev.ordergraph.platform.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Operation names come from clients, so the metrics keep at most {@code max} of them; requests with
 * any later name are still counted and timed, under the name {@code other}.
 */
final class OperationNameLimit implements MeterFilter {

    static final String OTHER = "other";

    private final int max;
    private final Set<String> kept = ConcurrentHashMap.newKeySet();

    OperationNameLimit(int max) {
        this.max = max;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith(OperationNameObservationConvention.REQUEST_METRIC)) {
            return id;
        }
        String name = id.getTag(OperationNameObservationConvention.OPERATION_NAME);
        if (name == null || kept.contains(name) || (kept.size() < max && kept.add(name))) {
            return id;
        }
        return id.replaceTags(Tags.of(id.getTagsAsIterable()).and(OperationNameObservationConvention.OPERATION_NAME, OTHER));
    }
}
