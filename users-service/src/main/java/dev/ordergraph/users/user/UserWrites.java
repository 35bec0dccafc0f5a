package dev.ordergraph.users.user;

import dev.ordergraph.users.generated.types.User;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.Optional;

/** The SQL of user mutations, run in the transaction the mutation runner gives. */
final class UserWrites {

    private UserWrites() {
    }

    static User insert(JdbcClient jdbc, NewUser user) {
        return jdbc.sql("insert into users (username, email) values (:username, :email) returning " + UserMapper.COLUMNS)
                .param("username", user.username())
                .param("email", user.email())
                .query(UserMapper.ROW)
                .single();
    }

    /** Changes only what {@code changes} gives; empty when there is no such user. */
    static Optional<User> update(JdbcClient jdbc, long id, UserChanges changes) {
        return jdbc.sql("update users set username = coalesce(:username, username), email = coalesce(:email, email)"
                        + " where id = :id returning " + UserMapper.COLUMNS)
                .param("username", changes.username())
                .param("email", changes.email())
                .param("id", id)
                .query(UserMapper.ROW)
                .optional();
    }
}
