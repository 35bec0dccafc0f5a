package dev.ordergraph.orders.changes.feed;

import dev.ordergraph.orders.changes.capture.CapturedChange;
import dev.ordergraph.orders.changes.capture.ChangeOrigin;
import dev.ordergraph.orders.changes.capture.ChangePosition;
import dev.ordergraph.orders.changes.capture.OrderImage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The replay window on disk. The feed appends each batch after handing it to subscribers and before
 * the engine commits its offset, and reads the window back once at start. So a client that resumes
 * with a cursor after a restart gets the changes the previous process published after it, and the
 * engine's redelivery of the last batch is recognised as a repeat.
 */
@Component
class ChangeLogStore {

    private final JdbcTemplate jdbc;

    ChangeLogStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The newest {@code limit} changes, oldest first. */
    List<SequencedChange> loadRecent(int limit) {
        List<SequencedChange> events = new ArrayList<>(jdbc.query("""
                select sequence, tx_id, lsn, ordinal, action, before_id, before_date, before_state, before_user_id,
                       after_id, after_date, after_state, after_user_id, committed_at,
                       ends_transaction, origin_actor_id, origin_client_mutation_id
                from order_change_log order by sequence desc limit ?""", (rs, i) -> read(rs), limit));
        return events.reversed();
    }

    void append(List<SequencedChange> events) {
        jdbc.batchUpdate("""
                insert into order_change_log (sequence, tx_id, lsn, ordinal, action, before_id, before_date, before_state,
                    before_user_id, after_id, after_date, after_state, after_user_id, committed_at,
                    ends_transaction, origin_actor_id, origin_client_mutation_id)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""", events, 1000, (ps, e) -> {
            CapturedChange change = e.change();
            ps.setLong(1, e.sequence());
            ps.setLong(2, change.position().txId());
            ps.setLong(3, change.position().lsn());
            ps.setInt(4, change.position().ordinal());
            ps.setString(5, change.action().name()); // for people reading the table; the row images decide
            write(ps, 6, change.before());
            write(ps, 10, change.after());
            ps.setTimestamp(14, Timestamp.from(change.committedAt()));
            ps.setBoolean(15, change.endsTransaction());
            ps.setObject(16, change.origin().actorId(), Types.BIGINT);
            ps.setString(17, change.origin().clientMutationId());
        });
    }

    /** Forgets changes up to and including {@code sequence}. */
    void trimThrough(long sequence) {
        jdbc.update("delete from order_change_log where sequence <= ?", sequence);
    }

    private static void write(PreparedStatement ps, int first, OrderImage row) throws SQLException {
        if (row == null) {
            ps.setNull(first, Types.BIGINT);
            ps.setNull(first + 1, Types.DATE);
            ps.setNull(first + 2, Types.VARCHAR);
            ps.setNull(first + 3, Types.BIGINT);
        } else {
            ps.setLong(first, row.id());
            ps.setDate(first + 1, Date.valueOf(row.date()));
            ps.setString(first + 2, row.state());
            ps.setLong(first + 3, row.userId());
        }
    }

    private static SequencedChange read(ResultSet rs) throws SQLException {
        Long actor = rs.getObject(16, Long.class);
        ChangeOrigin origin = actor == null ? ChangeOrigin.OUTSIDE : new ChangeOrigin(actor, rs.getString(17));
        return new SequencedChange(rs.getLong(1), new CapturedChange(row(rs, 6), row(rs, 10),
                new ChangePosition(rs.getLong(2), rs.getLong(3), rs.getInt(4)), rs.getTimestamp(14).toInstant(),
                origin, rs.getBoolean(15)));
    }

    private static OrderImage row(ResultSet rs, int first) throws SQLException {
        long id = rs.getLong(first);
        if (rs.wasNull()) {
            return null;
        }
        return new OrderImage(id, rs.getDate(first + 1).toLocalDate(), rs.getString(first + 2), rs.getLong(first + 3));
    }
}
