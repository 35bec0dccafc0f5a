package dev.ordergraph.platform.security;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;

import java.util.ArrayList;
import java.util.List;

/**
 * What makes a signed token valid here, the same in HS256 and issuer mode: Spring Security's defaults (not
 * expired, not used before {@code nbf}, with 60 s of clock skew; a JWT {@code typ}); an {@code exp} at all
 * unless {@code AUTH_JWT_REQUIRE_EXP=false}; the issuer in issuer mode; the audience when
 * {@code AUTH_JWT_AUDIENCE} is set; a {@code sub} that is a user id. A token failing any of them is refused
 * like a forged one.
 */
final class TokenValidation {

    private TokenValidation() {
    }

    static OAuth2TokenValidator<Jwt> of(AuthProperties properties) {
        JwtTimestampValidator timestamps = new JwtTimestampValidator();
        timestamps.setAllowEmptyExpiryClaim(!properties.requireExp());
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>(List.of(timestamps));
        if (properties.usesIssuer()) {
            validators.add(new JwtIssuerValidator(properties.jwtIssuerUri()));
        }
        if (properties.checksAudience()) {
            validators.add(new JwtAudienceValidator(properties.jwtAudience()));
        }
        validators.add(new UserIdSubjectValidator());
        return JwtValidators.createDefaultWithValidators(validators); // plus the defaults: typ, certificate binding
    }
}
