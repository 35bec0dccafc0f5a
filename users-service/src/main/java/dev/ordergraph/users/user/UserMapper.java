package dev.ordergraph.users.user;

import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.users.generated.DgsConstants;
import dev.ordergraph.users.generated.types.User;
import org.springframework.jdbc.core.RowMapper;

import java.time.OffsetDateTime;

/** Rows to GraphQL types; the only place that knows both. */
final class UserMapper {

    /** The columns {@link #ROW} reads. */
    static final String COLUMNS = "id, username, email, date_joined";

    /** A {@code users} row selected with {@link #COLUMNS}. */
    static final RowMapper<User> ROW = (rs, i) -> User.newBuilder()
            .id(GlobalId.encode(DgsConstants.USER.TYPE_NAME, rs.getLong("id")))
            .username(rs.getString("username"))
            .email(rs.getString("email"))
            .dateJoined(rs.getObject("date_joined", OffsetDateTime.class))
            .build();

    private UserMapper() {
    }

    static User toGraphQl(UserEntity row) {
        return User.newBuilder()
                .id(GlobalId.encode(DgsConstants.USER.TYPE_NAME, row.getId()))
                .username(row.getUsername())
                .email(row.getEmail())
                .dateJoined(row.getDateJoined())
                .build();
    }
}
