package dev.ordergraph.platform.testing;

import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** GraphQL requests as Spring GraphQL hands them to interceptors, for unit tests of interceptors. */
public final class WebRequests {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 50000);

    private WebRequests() {
    }

    /** A request over HTTP with this body ({@code query}, {@code variables}, {@code extensions}). */
    public static WebGraphQlRequest http(Map<String, Object> body) {
        return new WebGraphQlRequest(URI.create("http://localhost/graphql"), new HttpHeaders(), new LinkedMultiValueMap<>(),
                CLIENT, Map.of(), body, "1", Locale.ROOT);
    }

    /** A {@code subscribe} message's payload on the WebSocket {@code session}. */
    public static WebSocketGraphQlRequest webSocket(Map<String, Object> body, WebSocketSessionInfo session) {
        return new WebSocketGraphQlRequest(URI.create("ws://localhost/graphql"), new HttpHeaders(), new LinkedMultiValueMap<>(),
                CLIENT, Map.of(), body, "1", Locale.ROOT, session);
    }

    public static WebSocketSessionInfo session() {
        return new Session();
    }

    private static final class Session implements WebSocketSessionInfo {
        private final Map<String, Object> attributes = new ConcurrentHashMap<>();

        @Override
        public String getId() {
            return "session";
        }

        @Override
        public Map<String, Object> getAttributes() {
            return attributes;
        }

        @Override
        public URI getUri() {
            return URI.create("ws://localhost/graphql");
        }

        @Override
        public HttpHeaders getHeaders() {
            return new HttpHeaders();
        }

        @Override
        public Mono<Principal> getPrincipal() {
            return Mono.empty();
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            return CLIENT;
        }
    }
}
