package dev.ordergraph.client;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class TokenClaimsTest {

    @Test
    void readsExpAndIatOfAJwt() {
        String token = Jwts.withClaims("{\"sub\":\"7\",\"iat\":1777800000,\"exp\":1777800300,\"roles\":[\"user\"]}");

        assertThat(TokenClaims.expiry(token)).hasValue(1777800300L);
        assertThat(TokenClaims.issuedAt(token)).hasValue(1777800000L);
    }

    @Test
    void readsClaimsWrittenWithSpacesAndPaddedBase64() {
        String claims = Base64.getUrlEncoder().encodeToString("{ \"exp\" : 1777800300 }".getBytes()); // with '='
        assertThat(claims).endsWith("=");

        assertThat(TokenClaims.expiry("eyJhbGciOiJIUzI1NiJ9." + claims + ".c2ln")).hasValue(1777800300L);
    }

    @Test
    void aTokenWithoutTheClaimHasNone() {
        String token = Jwts.withClaims("{\"sub\":\"7\",\"iat\":1777800000}");

        assertThat(TokenClaims.expiry(token)).isEmpty();
        assertThat(TokenClaims.issuedAt(token)).hasValue(1777800000L);
    }

    @Test
    void onlyTheClaimOfThatNameCounts() {
        String token = Jwts.withClaims("{\"sub\":\"7\",\"session_exp\":1777800000,\"note\":\"exp\"}");

        assertThat(TokenClaims.expiry(token)).isEmpty();
    }

    @Test
    void whatIsNotAJwtHasNoClaims() {
        assertThat(TokenClaims.expiry("an-opaque-access-token")).isEmpty();
        assertThat(TokenClaims.expiry("two.parts")).isEmpty();
        assertThat(TokenClaims.expiry("a.b.c.d")).isEmpty();
        assertThat(TokenClaims.expiry("eyJhbGciOiJIUzI1NiJ9.not*base64url!.c2ln")).isEmpty();
        assertThat(TokenClaims.expiry("")).isEmpty();
    }

    @Test
    void anExpBeyondALongIsNone() {
        assertThat(TokenClaims.expiry(Jwts.withClaims("{\"exp\":99999999999999999999}"))).isEmpty();
    }
}
