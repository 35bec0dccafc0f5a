package dev.ordergraph.orders.changes;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Remembers the last change position published, across restarts. Written after each batch and
 * before the engine's own offset is committed, so after a restart every change after it is either
 * redelivered by the engine or new: the feed knows which resume cursors it can still honour.
 */
@Component
class FeedPositionStore {

    private final JdbcTemplate jdbc;

    FeedPositionStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    ChangePosition load(String feed) {
        List<ChangePosition> rows = jdbc.query("select tx_id, lsn from cdc_feed_position where feed = ?",
                (rs, i) -> new ChangePosition(rs.getLong(1), rs.getLong(2)), feed);
        return rows.isEmpty() ? null : rows.getFirst();
    }

    void save(String feed, ChangePosition position) {
        jdbc.update("""
                insert into cdc_feed_position (feed, tx_id, lsn, updated_at) values (?, ?, ?, now())
                on conflict (feed) do update set tx_id = excluded.tx_id, lsn = excluded.lsn, updated_at = now()""",
                feed, position.txId(), position.lsn());
    }
}
