package dev.ordergraph.orders.user;

import dev.ordergraph.platform.errors.ApiException;
import dev.ordergraph.platform.errors.ErrorCode;
import dev.ordergraph.platform.gateway.GatewayProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserDirectoryTest {

    private static final String SECRET = "directory-test-secret-0123456789abcdef";

    private final UsersStub users;

    UserDirectoryTest() throws Exception {
        users = new UsersStub(SECRET, Set.of(1L, 2L));
    }

    @AfterEach
    void stop() {
        users.close();
    }

    @Test
    void itAsksTheUsersSubgraphWithARequestSignedLikeTheGateways() {
        UserDirectory directory = directory(users.url(), SECRET);

        assertThat(directory.exists(1)).isTrue();
        assertThat(directory.exists(3)).isFalse();
        assertThat(users.requests()).isEqualTo(2);
    }

    @Test
    void anAnswerThatIsNoAnswerIsServiceUnavailable() {
        // Refused for its signature, failed, broken, too slow: none of them says whether the user exists.
        assertUnavailable(directory(users.url(), "not-the-gateways-secret"));
        users.mode(UsersStub.Mode.FAILING);
        assertUnavailable(directory(users.url(), SECRET));
        users.mode(UsersStub.Mode.BROKEN);
        assertUnavailable(directory(users.url(), SECRET));
        users.mode(UsersStub.Mode.SLOW);
        long started = System.nanoTime();
        assertUnavailable(directory(users.url(), SECRET));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aUsersSubgraphThatCannotBeReachedIsServiceUnavailable() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertUnavailable(directory(URI.create("http://127.0.0.1:" + closed + "/graphql"), SECRET));
    }

    private static void assertUnavailable(UserDirectory directory) {
        assertThatThrownBy(() -> directory.exists(1)).isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
    }

    private static UserDirectory directory(URI url, String secret) {
        return new UserDirectory(new UsersProperties(url, Duration.ofMillis(500)), new GatewayProperties(secret, false, 2000));
    }
}
