package dev.ordergraph.users.user;

import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.users.generated.DgsConstants;
import dev.ordergraph.users.generated.types.User;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.OffsetDateTime;
import java.util.Optional;

/** The SQL of user mutations, run in the transaction the mutation runner gives. */
final class UserWrites {

    private static final String COLUMNS = "id, username, email, date_joined";
    private static final RowMapper<User> USER = (rs, i) -> User.newBuilder()
            .id(GlobalId.encode(DgsConstants.USER.TYPE_NAME, rs.getLong("id")))
            .username(rs.getString("username"))
            .email(rs.getString("email"))
            .dateJoined(rs.getObject("date_joined", OffsetDateTime.class))
            .build();

    private UserWrites() {
    }

    static User insert(JdbcClient jdbc, NewUser user) {
        return jdbc.sql("insert into users (username, email) values (:username, :email) returning " + COLUMNS)
                .param("username", user.username())
                .param("email", user.email())
                .query(USER)
                .single();
    }

    /** Changes only what {@code changes} gives; empty when there is no such user. */
    static Optional<User> update(JdbcClient jdbc, long id, UserChanges changes) {
        return jdbc.sql("update users set username = coalesce(:username, username), email = coalesce(:email, email)"
                        + " where id = :id returning " + COLUMNS)
                .param("username", changes.username())
                .param("email", changes.email())
                .param("id", id)
                .query(USER)
                .optional();
    }
}
