package dev.ordergraph.platform.security;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

import java.util.regex.Pattern;

/**
 * A token is valid here only if its {@code sub} names a user the services can read: a positive 64-bit
 * integer in decimal. Checked with the signature and expiry, so a correctly signed token with
 * {@code "sub": "abc"} is refused like a forged one ({@code UNAUTHENTICATED}) instead of failing later
 * in whatever field first reads the viewer. The gateway applies the same rule at its door.
 */
public final class UserIdSubjectValidator implements OAuth2TokenValidator<Jwt> {

    private static final Pattern USER_ID = Pattern.compile("[1-9][0-9]{0,18}");
    private static final OAuth2Error NOT_A_USER_ID = new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
            "The token's 'sub' must be a user id, e.g. \"1\".", null);

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        return isUserId(token.getSubject()) ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(NOT_A_USER_ID);
    }

    static boolean isUserId(String subject) {
        if (subject == null || !USER_ID.matcher(subject).matches()) {
            return false;
        }
        try {
            Long.parseLong(subject); // 19 digits may still exceed Long.MAX_VALUE
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
