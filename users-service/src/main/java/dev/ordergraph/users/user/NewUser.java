package dev.ordergraph.users.user;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The rules a new user's fields must meet; the database's unique constraints add "not taken". */
record NewUser(
        @NotNull @Pattern(regexp = UserRules.USERNAME, message = UserRules.USERNAME_MESSAGE) String username,
        @NotNull @Size(min = 3, max = 254) @Email(regexp = UserRules.EMAIL_SHAPE, message = UserRules.EMAIL_MESSAGE) String email) {
}
