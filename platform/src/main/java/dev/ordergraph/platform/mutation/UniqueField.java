package dev.ordergraph.platform.mutation;

/**
 * A unique constraint of the database that guards an input field: a value another row already holds is
 * a field error reported with the input's other problems ({@link InputProblems#unique}), and the
 * constraint's violation (two requests racing past that check) becomes the same field error instead of
 * a 500 ({@link MutationRunner}).
 *
 * @param constraint the constraint's name, as PostgreSQL reports it when violated
 * @param table      the table, and {@code column} the column, it covers (names from code, never from input)
 * @param field      the input field it guards
 * @param message    what the client is told
 */
public record UniqueField(String constraint, String table, String column, String field, String message) {
}
