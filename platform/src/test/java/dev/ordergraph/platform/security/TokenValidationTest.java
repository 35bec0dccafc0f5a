package dev.ordergraph.platform.security;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.ordergraph.platform.testing.Tokens;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenValidationTest {

    @Test
    void aTokenWithoutExpIsRefusedUnlessExpIsNotRequired() {
        String forever = Tokens.token(7, false, claims -> claims.expirationTime(null));

        assertThatThrownBy(() -> decoder(new AuthProperties(null, null, null, true)).decode(forever))
                .isInstanceOf(JwtValidationException.class);
        assertThat(decoder(new AuthProperties(null, null, null, false)).decode(forever).getSubject()).isEqualTo("7");
    }

    @Test
    void anExpiredTokenIsRefusedEitherWay() {
        String expired = Tokens.token(7, false, claims -> claims.expirationTime(Date.from(Instant.now().minusSeconds(3600))));

        assertThatThrownBy(() -> decoder(new AuthProperties(null, null, null, false)).decode(expired))
                .isInstanceOf(JwtValidationException.class);
    }

    @Test
    void theAudienceIsCheckedWhenOneIsSet() {
        String forOrders = Tokens.token(7, false, claims -> claims.audience(List.of("ordergraph", "other")));
        String forAnother = Tokens.token(7, false, claims -> claims.audience("another-api"));
        String forNobody = Tokens.token(7, false, claims -> claims);
        JwtDecoder checking = decoder(new AuthProperties(null, null, "ordergraph", true));

        assertThat(checking.decode(forOrders).getSubject()).isEqualTo("7");
        assertThatThrownBy(() -> checking.decode(forAnother)).isInstanceOf(JwtValidationException.class);
        assertThatThrownBy(() -> checking.decode(forNobody)).isInstanceOf(JwtValidationException.class);
        assertThat(decoder(AuthProperties.withSecret(null)).decode(forAnother).getSubject()).isEqualTo("7"); // unset: not checked
    }

    @Test
    void aSubjectThatIsNoUserIdIsRefused() {
        String token = Tokens.token(AuthProperties.DEV_SECRET, new JWTClaimsSet.Builder().subject("abc")
                .expirationTime(Date.from(Instant.now().plusSeconds(60))).build());

        assertThatThrownBy(() -> decoder(AuthProperties.withSecret(null)).decode(token)).isInstanceOf(JwtValidationException.class);
    }

    private static JwtDecoder decoder(AuthProperties properties) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(
                        AuthProperties.DEV_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        decoder.setJwtValidator(TokenValidation.of(properties));
        return decoder;
    }
}
