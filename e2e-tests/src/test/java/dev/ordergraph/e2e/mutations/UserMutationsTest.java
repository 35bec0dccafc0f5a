package dev.ordergraph.e2e.mutations;

import dev.ordergraph.e2e.GatewayTest;
import dev.ordergraph.e2e.support.GraphQlClient;
import dev.ordergraph.e2e.support.GraphQlClient.Response;
import dev.ordergraph.e2e.support.TestData;
import dev.ordergraph.e2e.support.Tokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static dev.ordergraph.e2e.mutations.Mutations.CREATE_USER;
import static dev.ordergraph.e2e.mutations.Mutations.UPDATE_USER;
import static dev.ordergraph.e2e.mutations.Mutations.fieldErrors;
import static dev.ordergraph.e2e.mutations.Mutations.freshName;
import static dev.ordergraph.e2e.mutations.Mutations.userColumn;
import static dev.ordergraph.e2e.mutations.Mutations.usersNamed;
import static org.assertj.core.api.Assertions.assertThat;

/** createUser and updateUser through the gateway: rules as field errors, nothing written on error. */
class UserMutationsTest extends GatewayTest {

    private final long staffId = TestData.user("userstaff");
    private final GraphQlClient staff = gateway(Tokens.staff(staffId));

    @Test
    void createUserSavesTheUserAndEchoesTheClientMutationId() {
        String name = freshName("new");

        Response response = staff.execute(CREATE_USER, input("username", name, "email", name + "@example.com", "clientMutationId", "req-1"));

        JsonNode payload = response.data().path("createUser");
        assertThat(payload.path("errors").size()).as(response.toString()).isZero();
        assertThat(payload.path("clientMutationId").asString()).isEqualTo("req-1");
        assertThat(payload.path("user").path("username").asString()).isEqualTo(name);
        assertThat(payload.path("user").path("email").asString()).isEqualTo(name + "@example.com");
        assertThat(usersNamed(name)).isEqualTo(1);
    }

    @Test
    void everyBrokenRuleIsAFieldErrorWithEveryMessageAndNothingIsWritten() {
        for (String badName : List.of("ab", "has space", "x".repeat(31), "dash-ed", "ünïcode")) {
            Response response = staff.execute(CREATE_USER, input("username", badName, "email", freshName("ok") + "@example.com", "clientMutationId", "c"));

            JsonNode payload = response.data().path("createUser");
            assertThat(fieldErrors(payload)).as(response.toString()).containsOnlyKeys("username");
            assertThat(payload.path("user").isNull()).isTrue();
            assertThat(payload.path("clientMutationId").asString()).isEqualTo("c");
            assertThat(usersNamed(badName)).isZero();
        }
        for (String badEmail : List.of("no-at-sign", "a@b", "two@@example.com", "")) {
            String name = freshName("mail");
            Response response = staff.execute(CREATE_USER, input("username", name, "email", badEmail));

            assertThat(fieldErrors(response.data().path("createUser"))).as(badEmail + " " + response).containsOnlyKeys("email");
            assertThat(usersNamed(name)).isZero();
        }

        Response both = staff.execute(CREATE_USER, input("username", "a", "email", "b"));
        Map<String, List<String>> errors = fieldErrors(both.data().path("createUser"));
        assertThat(errors).containsOnlyKeys("username", "email");
        assertThat(errors.get("email")).as("every message of the field").hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aTakenUsernameOrEmailIsAFieldError() {
        long existing = TestData.user("taken");
        String takenName = TestData.username(existing);

        Response sameName = staff.execute(CREATE_USER, input("username", takenName, "email", freshName("x") + "@example.com"));
        Response sameEmail = staff.execute(CREATE_USER, input("username", freshName("y"), "email", takenName + "@example.test"));

        assertThat(fieldErrors(sameName.data().path("createUser"))).as(sameName.toString()).containsOnlyKeys("username");
        assertThat(fieldErrors(sameEmail.data().path("createUser"))).as(sameEmail.toString()).containsOnlyKeys("email");
        assertThat(sameName.errors().size()).isZero();
    }

    /** As Django's ModelForm reports them: every problem of every field in one answer, uniqueness included. */
    @Test
    void aTakenUsernameAndAnInvalidEmailAreReportedTogether() {
        long existing = TestData.user("takentoo");
        long other = TestData.user("takenmail");
        String takenName = TestData.username(existing);

        Response created = staff.execute(CREATE_USER, input("username", takenName, "email", "not-an-address"));
        Response bothTaken = staff.execute(CREATE_USER, input("username", takenName, "email", TestData.username(other) + "@example.test"));
        Response updated = staff.execute(UPDATE_USER, input("id", TestData.globalId("User", other), "username", takenName, "email", "a@b"));

        Map<String, List<String>> createErrors = fieldErrors(created.data().path("createUser"));
        assertThat(createErrors).as(created.toString()).containsOnlyKeys("username", "email");
        assertThat(createErrors.get("username")).anyMatch(m -> m.contains("taken"));
        assertThat(fieldErrors(bothTaken.data().path("createUser"))).as(bothTaken.toString()).containsOnlyKeys("username", "email");
        assertThat(fieldErrors(updated.data().path("updateUser"))).as(updated.toString()).containsOnlyKeys("username", "email");
        assertThat(TestData.username(other)).as("nothing written").isNotEqualTo(takenName);

        String own = TestData.username(other);
        Response keepsItsOwn = staff.execute(UPDATE_USER, input("id", TestData.globalId("User", other), "username", own, "email", own + "@example.test"));
        assertThat(fieldErrors(keepsItsOwn.data().path("updateUser"))).as("a user's own values are not taken: " + keepsItsOwn).isEmpty();
    }

    @Test
    void racingRequestsForOneUsernameCreateOneUserAndTellTheOthersItIsTaken() throws Exception {
        String name = freshName("race");
        int racers = 8;
        try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
            List<CompletableFuture<Response>> responses = IntStream.range(0, racers)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() ->
                            staff.execute(CREATE_USER, input("username", name, "email", name + i + "@example.com")), pool))
                    .toList();

            int created = 0;
            for (CompletableFuture<Response> future : responses) {
                Response response = future.get();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.errors().size()).as("no GraphQL error, no INTERNAL: " + response).isZero();
                JsonNode payload = response.data().path("createUser");
                if (payload.path("errors").isEmpty()) {
                    created++;
                } else {
                    assertThat(fieldErrors(payload)).containsOnlyKeys("username");
                }
            }
            assertThat(created).isEqualTo(1);
        }
        assertThat(usersNamed(name)).isEqualTo(1);
    }

    @Test
    void updateUserChangesOnlyTheGivenFields() {
        long id = TestData.user("partial");
        String name = TestData.username(id);
        GraphQlClient self = gateway(Tokens.viewer(id));

        Response response = self.execute(UPDATE_USER, input("id", TestData.globalId("User", id), "email", name + "@new.example.com"));

        assertThat(response.data().path("updateUser").path("errors").size()).as(response.toString()).isZero();
        assertThat(userColumn(id, "email")).isEqualTo(name + "@new.example.com");
        assertThat(userColumn(id, "username")).isEqualTo(name);

        Response cleared = self.execute(UPDATE_USER, input("id", TestData.globalId("User", id), "username", null));
        assertThat(fieldErrors(cleared.data().path("updateUser"))).as(cleared.toString()).containsOnlyKeys("username");
        assertThat(userColumn(id, "username")).isEqualTo(name);
    }

    @Test
    void onlyTheUserAndStaffMayChangeAUserAndOnlyStaffMayCreateOne() {
        long victim = TestData.user("victim");
        long other = TestData.user("other");
        GraphQlClient stranger = gateway(Tokens.viewer(other));

        Response update = stranger.execute(UPDATE_USER, input("id", TestData.globalId("User", victim), "username", freshName("hijack")));
        Response create = stranger.execute(CREATE_USER, input("username", freshName("nope"), "email", freshName("n") + "@example.com"));
        Response byStaff = staff.execute(UPDATE_USER, input("id", TestData.globalId("User", victim), "email", "v" + victim + "@staff.example.com"));

        assertThat(update.errorCodes()).as(update.toString()).containsExactly("FORBIDDEN");
        assertThat(create.errorCodes()).as(create.toString()).containsExactly("FORBIDDEN");
        assertThat(userColumn(victim, "username")).isEqualTo(TestData.username(victim));
        assertThat(byStaff.data().path("updateUser").path("errors").size()).as(byStaff.toString()).isZero();
        assertThat(userColumn(victim, "email")).isEqualTo("v" + victim + "@staff.example.com");
    }

    @Test
    void aGlobalIdOfAnotherTypeOrOfNoUserIsAFieldErrorOnId() {
        Response orderId = staff.execute(UPDATE_USER, input("id", TestData.globalId("Order", staffId), "username", freshName("t")));
        Response malformed = staff.execute(UPDATE_USER, input("id", "%%%", "username", freshName("t")));
        Response missing = staff.execute(UPDATE_USER, input("id", TestData.globalId("User", Long.MAX_VALUE / 2), "username", freshName("t")));

        for (Response response : List.of(orderId, malformed, missing)) {
            assertThat(fieldErrors(response.data().path("updateUser"))).as(response.toString()).containsOnlyKeys("id");
            assertThat(response.errors().size()).isZero();
        }
        assertThat(fieldErrors(orderId.data().path("updateUser")).get("id").getFirst()).contains("User").contains("Order");
    }

    static Map<String, Object> input(Object... keyValues) {
        Map<String, Object> input = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            input.put((String) keyValues[i], keyValues[i + 1]);
        }
        Map<String, Object> variables = new HashMap<>();
        variables.put("input", input);
        return variables;
    }
}
