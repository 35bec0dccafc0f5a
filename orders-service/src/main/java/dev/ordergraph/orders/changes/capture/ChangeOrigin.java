package dev.ordergraph.orders.changes.capture;

/**
 * Who made a change's transaction: a mutation of this API, marked in the transaction itself (see
 * {@code origin.OriginMark}), or anything else (psql, {@code COPY}, a batch job, another service).
 *
 * @param actorId          the user whose mutation made the change; {@code null} for a change from outside
 * @param clientMutationId that mutation field's {@code clientMutationId}, {@code null} when it had none
 */
public record ChangeOrigin(Long actorId, String clientMutationId) {

    /** Not made through this API. */
    public static final ChangeOrigin OUTSIDE = new ChangeOrigin(null, null);

    public ChangeOrigin {
        if (actorId == null && clientMutationId != null) {
            throw new IllegalArgumentException("Only a change made through the API has a clientMutationId");
        }
    }

    /** Made by a mutation of this API. */
    public boolean api() {
        return actorId != null;
    }
}
