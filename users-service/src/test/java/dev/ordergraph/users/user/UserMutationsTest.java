package dev.ordergraph.users.user;

import com.netflix.graphql.dgs.DgsQueryExecutor;
import dev.ordergraph.platform.relay.GlobalId;
import dev.ordergraph.platform.testing.GraphQl;
import dev.ordergraph.users.UsersSliceTest;
import graphql.ExecutionResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static dev.ordergraph.platform.testing.GraphQl.errorCodes;
import static dev.ordergraph.platform.testing.GraphQl.fieldErrors;
import static dev.ordergraph.platform.testing.GraphQl.input;
import static dev.ordergraph.users.user.UserDocuments.CREATE_USER;
import static dev.ordergraph.users.user.UserDocuments.UPDATE_USER;
import static org.assertj.core.api.Assertions.assertThat;

/** createUser and updateUser: rules as field errors, nothing written on error, only the user and staff may write. */
@UsersSliceTest
class UserMutationsTest {

    @Autowired
    DgsQueryExecutor executor;
    @Autowired
    JdbcClient jdbc;

    private GraphQl graphQl;
    private long staff;

    @BeforeEach
    void oneStaffMember() {
        graphQl = new GraphQl(executor);
        jdbc.sql("truncate users restart identity").update();
        staff = insert("staffer");
    }

    @Test
    void createUserSavesTheUserAndEchoesTheClientMutationId() {
        Map<String, Object> payload = asStaff(CREATE_USER, "createUser", input("username", "newbie", "email", "newbie@example.com", "clientMutationId", "req-1"));

        assertThat(payload.get("errors")).isEqualTo(List.of());
        assertThat(payload.get("clientMutationId")).isEqualTo("req-1");
        assertThat(payload.get("user")).asString().contains("username=newbie", "email=newbie@example.com");
        assertThat(usersNamed("newbie")).isEqualTo(1);
    }

    @Test
    void everyBrokenRuleIsAFieldErrorWithEveryMessageAndNothingIsWritten() {
        for (String badName : List.of("ab", "has space", "x".repeat(31), "dash-ed", "ünïcode")) {
            Map<String, Object> payload = asStaff(CREATE_USER, "createUser", input("username", badName, "email", "ok@example.com", "clientMutationId", "c"));

            assertThat(fieldErrors(payload)).as(badName).containsOnlyKeys("username");
            assertThat(payload.get("user")).isNull();
            assertThat(payload.get("clientMutationId")).isEqualTo("c");
            assertThat(usersNamed(badName)).isZero();
        }
        for (String badEmail : List.of("no-at-sign", "a@b", "two@@example.com", "")) {
            Map<String, Object> payload = asStaff(CREATE_USER, "createUser", input("username", "mailer", "email", badEmail));

            assertThat(fieldErrors(payload)).as(badEmail).containsOnlyKeys("email");
            assertThat(usersNamed("mailer")).isZero();
        }

        Map<String, List<String>> errors = fieldErrors(asStaff(CREATE_USER, "createUser", input("username", "a", "email", "b")));
        assertThat(errors).containsOnlyKeys("username", "email");
        assertThat(errors.get("email")).as("every message of the field").hasSizeGreaterThanOrEqualTo(2);
    }

    /** A megabyte of username is a field error like any other, and the answer does not echo it. */
    @Test
    void aOneMegabyteUsernameIsAFieldError() {
        ExecutionResult result = graphQl.execute(CREATE_USER, staff, true, input("username", "x".repeat(1 << 20), "email", "huge@example.com"));

        assertThat(fieldErrors(graphQl.payload(result, "createUser"))).containsOnlyKeys("username");
        assertThat(result.toSpecification().toString().length()).as("the answer does not echo the megabyte").isLessThan(2000);
    }

    @Test
    void aTakenUsernameOrEmailIsAFieldError() {
        insert("taken");

        assertThat(fieldErrors(asStaff(CREATE_USER, "createUser", input("username", "taken", "email", "x@example.com")))).containsOnlyKeys("username");
        assertThat(fieldErrors(asStaff(CREATE_USER, "createUser", input("username", "fresh", "email", "taken@example.test")))).containsOnlyKeys("email");
    }

    /** As Django's ModelForm reports them: every problem of every field in one answer, uniqueness included. */
    @Test
    void aTakenUsernameAndAnInvalidEmailAreReportedTogether() {
        insert("taken");
        long other = insert("takenmail");

        Map<String, List<String>> created = fieldErrors(asStaff(CREATE_USER, "createUser", input("username", "taken", "email", "not-an-address")));
        assertThat(created).containsOnlyKeys("username", "email");
        assertThat(created.get("username")).anyMatch(m -> m.contains("taken"));
        assertThat(fieldErrors(asStaff(CREATE_USER, "createUser", input("username", "taken", "email", "takenmail@example.test"))))
                .containsOnlyKeys("username", "email");
        assertThat(fieldErrors(asStaff(UPDATE_USER, "updateUser", input("id", GlobalId.encode("User", other), "username", "taken", "email", "a@b"))))
                .containsOnlyKeys("username", "email");
        assertThat(column(other, "username")).as("nothing written").isEqualTo("takenmail");

        Map<String, Object> keepsItsOwn = asStaff(UPDATE_USER, "updateUser",
                input("id", GlobalId.encode("User", other), "username", "takenmail", "email", "takenmail@example.test"));
        assertThat(fieldErrors(keepsItsOwn)).as("a user's own values are not taken").isEmpty();
    }

    @Test
    void racingRequestsForOneUsernameCreateOneUserAndTellTheOthersItIsTaken() throws Exception {
        int racers = 8;
        try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
            List<CompletableFuture<ExecutionResult>> results = IntStream.range(0, racers)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() ->
                            graphQl.execute(CREATE_USER, staff, true, input("username", "racer", "email", "racer" + i + "@example.com")), pool))
                    .toList();

            int created = 0;
            for (CompletableFuture<ExecutionResult> future : results) {
                ExecutionResult result = future.get();
                assertThat(result.getErrors()).as("no GraphQL error, no INTERNAL").isEmpty();
                Map<String, Object> payload = graphQl.payload(result, "createUser");
                if (fieldErrors(payload).isEmpty()) {
                    created++;
                } else {
                    assertThat(fieldErrors(payload)).containsOnlyKeys("username");
                }
            }
            assertThat(created).isEqualTo(1);
        }
        assertThat(usersNamed("racer")).isEqualTo(1);
    }

    @Test
    void updateUserChangesOnlyTheGivenFields() {
        long id = insert("partial");

        Map<String, Object> payload = graphQl.payload(graphQl.execute(UPDATE_USER, id, false,
                input("id", GlobalId.encode("User", id), "email", "partial@new.example.com")), "updateUser");
        assertThat(payload.get("errors")).isEqualTo(List.of());
        assertThat(column(id, "email")).isEqualTo("partial@new.example.com");
        assertThat(column(id, "username")).isEqualTo("partial");

        Map<String, Object> cleared = graphQl.payload(graphQl.execute(UPDATE_USER, id, false,
                input("id", GlobalId.encode("User", id), "username", null)), "updateUser");
        assertThat(fieldErrors(cleared)).containsOnlyKeys("username");
        assertThat(column(id, "username")).isEqualTo("partial");
    }

    @Test
    void onlyTheUserAndStaffMayChangeAUserAndOnlyStaffMayCreateOne() {
        long victim = insert("victim");
        long other = insert("other");

        ExecutionResult update = graphQl.execute(UPDATE_USER, other, false, input("id", GlobalId.encode("User", victim), "username", "hijack"));
        ExecutionResult create = graphQl.execute(CREATE_USER, other, false, input("username", "nope", "email", "n@example.com"));
        Map<String, Object> byStaff = asStaff(UPDATE_USER, "updateUser", input("id", GlobalId.encode("User", victim), "email", "v@staff.example.com"));

        assertThat(errorCodes(update)).containsExactly("FORBIDDEN");
        assertThat(errorCodes(create)).containsExactly("FORBIDDEN");
        assertThat(column(victim, "username")).isEqualTo("victim");
        assertThat(usersNamed("nope")).isZero();
        assertThat(byStaff.get("errors")).isEqualTo(List.of());
        assertThat(column(victim, "email")).isEqualTo("v@staff.example.com");
    }

    @Test
    void aGlobalIdOfAnotherTypeOrOfNoUserIsAFieldErrorOnId() {
        Map<String, Object> orderId = asStaff(UPDATE_USER, "updateUser", input("id", GlobalId.encode("Order", staff), "username", "fresh1"));
        Map<String, Object> malformed = asStaff(UPDATE_USER, "updateUser", input("id", "%%%", "username", "fresh2"));
        Map<String, Object> missing = asStaff(UPDATE_USER, "updateUser", input("id", GlobalId.encode("User", Long.MAX_VALUE / 2), "username", "fresh3"));

        for (Map<String, Object> payload : List.of(orderId, malformed, missing)) {
            assertThat(fieldErrors(payload)).as(payload.toString()).containsOnlyKeys("id");
        }
        assertThat(fieldErrors(orderId).get("id").getFirst()).contains("User").contains("Order");
    }

    private Map<String, Object> asStaff(String mutation, String field, Map<String, Object> variables) {
        return graphQl.payload(graphQl.execute(mutation, staff, true, variables), field);
    }

    private long insert(String username) {
        return jdbc.sql("insert into users (username, email) values (:name, :name || '@example.test') returning id")
                .param("name", username).query(Long.class).single();
    }

    private long usersNamed(String username) {
        return jdbc.sql("select count(*) from users where username = :name").param("name", username).query(Long.class).single();
    }

    private String column(long id, String column) {
        return jdbc.sql("select " + column + " from users where id = :id").param("id", id).query(String.class).single();
    }
}
