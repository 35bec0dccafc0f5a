package dev.ordergraph.platform.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;

/**
 * Identity for a subgraph: Spring Security's OAuth2 resource server checks bearer tokens (HS256 secret
 * or an issuer's JWKS). {@code /graphql} itself admits anonymous requests: which fields need a viewer
 * is decided per field, so an anonymous {@code user(id)} still works while {@code orders} answers
 * {@code UNAUTHENTICATED}. A token that is present but invalid is always refused.
 * <p>
 * Health and metrics live on the management port ({@code management.server.port}), which only operators and
 * probes reach; the public port serves {@code /graphql} and nothing of {@code /actuator}.
 */
@AutoConfiguration
@EnableConfigurationProperties(AuthProperties.class)
public class SecurityAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityAutoConfiguration.class);

    @Bean
    SecurityFilterChain graphQlSecurity(HttpSecurity http) throws Exception {
        GraphQlAuthenticationEntryPoint entryPoint = new GraphQlAuthenticationEntryPoint();
        return http
                .csrf(csrf -> csrf.disable()) // bearer tokens only, no cookies: CSRF does not apply
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth
                        // Matches on the management port only, once it differs from the public one.
                        .requestMatchers(EndpointRequest.toAnyEndpoint()).permitAll()
                        .requestMatchers("/graphql", "/graphql/**", "/error").permitAll()
                        .requestMatchers(HttpMethod.OPTIONS, "/**").permitAll()
                        .anyRequest().denyAll())
                .oauth2ResourceServer(rs -> rs.jwt(jwt -> {}).authenticationEntryPoint(entryPoint))
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint))
                .build();
    }

    @Bean
    JwtDecoder jwtDecoder(AuthProperties properties, Environment environment) {
        if (properties.usesIssuer()) {
            NimbusJwtDecoder decoder = JwtDecoders.fromIssuerLocation(properties.jwtIssuerUri());
            decoder.setJwtValidator(TokenValidation.of(properties));
            return decoder;
        }
        String secret = properties.effectiveSecret();
        if (secret.equals(AuthProperties.DEV_SECRET)) {
            if (environment.acceptsProfiles(Profiles.of("prod"))) {
                throw new IllegalStateException("The prod profile refuses the development JWT secret: set AUTH_JWT_SECRET or AUTH_JWT_ISSUER_URI.");
            }
            log.warn("Using the development JWT secret; set AUTH_JWT_SECRET or AUTH_JWT_ISSUER_URI outside development.");
        }
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < 32) {
            throw new IllegalStateException("AUTH_JWT_SECRET must be at least 32 bytes for HS256.");
        }
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(key, "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        decoder.setJwtValidator(TokenValidation.of(properties));
        return decoder;
    }

    @Bean
    ViewerInterceptor viewerInterceptor(JwtDecoder jwtDecoder) {
        return new ViewerInterceptor(jwtDecoder);
    }
}
