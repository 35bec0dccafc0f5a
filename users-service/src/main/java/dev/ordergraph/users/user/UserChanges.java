package dev.ordergraph.users.user;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A partial update of a user: {@code null} keeps the current value; given values meet the same rules as {@link NewUser}. */
record UserChanges(
        @Pattern(regexp = UserRules.USERNAME, message = UserRules.USERNAME_MESSAGE) String username,
        @Size(min = 3, max = 254) @Email(regexp = UserRules.EMAIL_SHAPE, message = UserRules.EMAIL_MESSAGE) String email) {
}
