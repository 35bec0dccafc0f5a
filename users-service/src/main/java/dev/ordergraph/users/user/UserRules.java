package dev.ordergraph.users.user;

import dev.ordergraph.platform.mutation.UniqueField;

import java.util.List;

/** The rules on users' fields, in one place for creating and updating. */
final class UserRules {

    static final String USERNAME = "[A-Za-z0-9_]{3,30}";
    static final String USERNAME_MESSAGE = "must be 3 to 30 letters, digits or underscores";
    /** Bean Validation's {@code @Email} accepts {@code a@b}; people mean an address with a domain. */
    static final String EMAIL_SHAPE = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+";
    static final String EMAIL_MESSAGE = "must be a valid email address, e.g. name@example.com";

    /** The unique constraints of the users table (V1 migration), as field errors. */
    static final List<UniqueField> UNIQUE = List.of(
            new UniqueField("users_username_key", "users", "username", "username", "is taken; choose another username"),
            new UniqueField("users_email_key", "users", "email", "email", "is already used by another user"));

    private UserRules() {
    }
}
