package dev.ordergraph.orders.user;

import dev.ordergraph.orders.generated.DgsConstants;
import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.errors.ErrorCode;
import dev.ordergraph.platform.gateway.GatewayProperties;
import dev.ordergraph.platform.gateway.GatewaySignature;
import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.platform.tracing.TraceParent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a user exists, asked of the users subgraph, which owns users (this service never reads their
 * database). Asked the way a gateway asks, through federation's {@code _entities}, and signed like a
 * gateway's request when {@code GATEWAY_HMAC_SECRET} is set, so the users subgraph needs no door of its own.
 * When it cannot answer in time, the caller is told {@code SERVICE_UNAVAILABLE}: writing an order for a user
 * nobody checked would be worse than asking the client to retry.
 */
@Component
public class UserDirectory {

    static final String QUERY = "query($r:[_Any!]!){_entities(representations:$r){... on User{id}}}";
    private static final Logger log = LoggerFactory.getLogger(UserDirectory.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String UNAVAILABLE = "The users service cannot confirm the user right now; nothing was saved. Retry shortly.";

    private final UsersProperties properties;
    private final GatewaySignature signature;
    private final HttpClient http;

    public UserDirectory(UsersProperties properties, GatewayProperties gateway) {
        this.properties = properties;
        this.signature = gateway.hasSecret() ? new GatewaySignature(gateway.hmacSecret()) : null;
        this.http = HttpClient.newBuilder().connectTimeout(properties.timeout()).build();
    }

    /** Whether the user with this database id exists; {@code SERVICE_UNAVAILABLE} when the users subgraph does not say. */
    public boolean exists(long userId) {
        String userGlobalId = GlobalId.encode(DgsConstants.USER.TYPE_NAME, userId);
        Map<String, Object> variables = Map.of("r", List.of(Map.of("__typename", DgsConstants.USER.TYPE_NAME, "id", userGlobalId)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", QUERY);
        body.put("variables", variables);
        if (signature != null) {
            body.put("extensions", Map.of(GatewaySignature.EXTENSION, signature.sign(QUERY, variables)));
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(properties.url())
                .timeout(properties.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        String trace = TraceParent.current(); // the users service's spans join the mutation's trace
        if (trace != null) {
            builder.header(TraceParent.HEADER, trace);
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode answer = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
            JsonNode entities = answer == null ? null : answer.path("data").path("_entities");
            if (entities == null || answer.has("errors") || !entities.isArray() || entities.size() != 1) {
                // Refused (a signature made with another secret), failed (its database unreachable: the entity is
                // null then, with an error), or not GraphQL at all: none of them says the user does not exist.
                log.warn("The users service did not say whether user {} exists: HTTP {}, {}", userId, response.statusCode(), abbreviate(response.body()));
                throw unavailable();
            }
            return !entities.get(0).isNull();
        } catch (IOException | JacksonException e) {
            log.warn("The users service could not be asked whether user {} exists at {}: {}", userId, properties.url(), e.toString());
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
    }

    private static ApiException unavailable() {
        return new ApiException(ErrorCode.SERVICE_UNAVAILABLE, UNAVAILABLE);
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
