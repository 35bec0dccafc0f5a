package dev.ordergraph.users.user;

/** The mutation documents the slice tests send, each payload with its field errors and clientMutationId. */
final class UserDocuments {

    static final String CREATE_USER = """
            mutation($input: CreateUserInput!) {
              createUser(input: $input) { user { id username email } errors { field messages } clientMutationId }
            }""";
    static final String UPDATE_USER = """
            mutation($input: UpdateUserInput!) {
              updateUser(input: $input) { user { id username email } errors { field messages } clientMutationId }
            }""";
    /** Two createUser fields in one request: the seeds' "increase twice, second invalid" when the second is. */
    static final String TWO_USERS = """
            mutation($first: CreateUserInput!, $second: CreateUserInput!) {
              first: createUser(input: $first) { user { username } errors { field messages } clientMutationId }
              second: createUser(input: $second) { user { username } errors { field messages } clientMutationId }
            }""";

    private UserDocuments() {
    }
}
