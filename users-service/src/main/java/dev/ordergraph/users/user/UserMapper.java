package dev.ordergraph.users.user;

import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.users.generated.DgsConstants;
import dev.ordergraph.users.generated.types.User;

/** Rows to GraphQL types; the only place that knows both. */
final class UserMapper {

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
