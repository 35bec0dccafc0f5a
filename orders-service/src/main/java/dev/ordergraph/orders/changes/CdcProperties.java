package dev.ordergraph.orders.changes;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * Change data capture of the {@code orders} table.
 *
 * @param enabled           whether this instance reads the replication slot (one reader per slot:
 *                          with several replicas, exactly one runs it); false without Kafka, nothing is
 *                          captured (slice tests), false with Kafka, the replica only reads the topic
 * @param slotName          logical replication slot, created on first start and kept across restarts
 *                          so that changes made while the service is down are read when it returns
 * @param publicationName   publication holding only {@code orders}, created on first start
 * @param pollInterval      how long the WAL reader pauses when nothing came, and how long a batch
 *                          gathers under load; Debezium's 500 ms default costs 300-600 ms of
 *                          commit-to-client latency
 * @param heartbeatInterval how often the confirmed position advances while {@code orders} is idle,
 *                          so the slot does not hold back WAL written for other tables and databases
 * @param offsetTable       table in the orders database where the engine keeps its position
 * @param replayWindow      how many recent changes are held for {@code after:} resumes; older
 *                          cursors get {@code CURSOR_EXPIRED}
 * @param maxLag            how many changes a subscriber may fall behind the newest before it is cut
 *                          off as {@code SLOW_CONSUMER}; at most the replay window, which it reads from
 * @param restartDelay      wait before restarting a failed engine
 * @param reconnectDelay    wait before the engine reconnects after losing its replication connection
 *                          (a retriable error); Debezium's own default is 10 s of no changes
 * @param batchMaxChanges   most changes in one {@code orderChangeBatches} message
 * @param batchMaxBytes     a batch closes once its changes' estimated JSON size reaches this (one
 *                          change always fits), so no message outgrows what gateways and browsers
 *                          take in one frame
 * @param cursorSecret      the key change cursors are encrypted with, the same on every replica
 *                          ({@code ORDERGRAPH_CDC_CURSORSECRET}); without it, one derived from the HS256 token
 *                          secret (see {@code ChangeCursors}); required with an issuer ({@code AUTH_JWT_ISSUER_URI})
 */
@ConfigurationProperties("ordergraph.cdc")
public record CdcProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("ordergraph_orders") String slotName,
        @DefaultValue("ordergraph_orders") String publicationName,
        @DefaultValue("1ms") Duration pollInterval,
        @DefaultValue("10s") Duration heartbeatInterval,
        @DefaultValue("ordergraph_cdc_offsets") String offsetTable,
        @DefaultValue("20000") int replayWindow,
        @DefaultValue("20000") int maxLag,
        @DefaultValue("2s") Duration restartDelay,
        @DefaultValue("200ms") Duration reconnectDelay,
        @DefaultValue("1000") int batchMaxChanges,
        @DefaultValue("512KB") DataSize batchMaxBytes,
        String cursorSecret) {
}
