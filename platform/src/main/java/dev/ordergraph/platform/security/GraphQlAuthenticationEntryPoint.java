package dev.ordergraph.platform.security;

import dev.ordergraph.platform.errors.ErrorCode;
import dev.ordergraph.platform.errors.GraphQlErrors;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

import java.io.IOException;

/**
 * A rejected bearer token (bad signature, expired, malformed) answers 401 with a GraphQL-shaped body,
 * so clients and the gateway see a normal {@code errors} entry with code {@code UNAUTHENTICATED}
 * instead of an empty 401.
 */
public class GraphQlAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private static final String BODY = GraphQlErrors.responseBody(ErrorCode.UNAUTHENTICATED, "Invalid bearer token: sign in again.");

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        response.setContentType("application/json");
        response.getWriter().write(BODY);
    }
}
