// Subscriptions through Hive Router's executor: each event carries only its own errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExecutionResult } from 'graphql';
import { GraphQLError } from 'graphql';
import { ownErrorsPerEvent } from '../src/unified-graph.ts';

/** Events as router-runtime 1.4.23 hands them: every result refers to one errors array, which it only appends to. */
async function* routerEvents(failing: boolean[]): AsyncGenerator<ExecutionResult> {
  const errors: GraphQLError[] = [];
  for (const [i, fails] of failing.entries()) {
    if (fails) errors.push(new GraphQLError(`event ${i} failed`));
    const result: { data: unknown; errors?: GraphQLError[] } = { data: { event: i } };
    if (errors.length > 0) result.errors = errors;
    yield result as ExecutionResult;
  }
}

test("an event's errors are its own: a failure is not repeated in the events after it", async () => {
  const events: ExecutionResult[] = [];
  for await (const event of ownErrorsPerEvent(routerEvents([false, true, false, true, true]))) events.push(event);
  assert.deepEqual(events.map((e) => e.data), [0, 1, 2, 3, 4].map((event) => ({ event })));
  assert.deepEqual(events.map((e) => e.errors?.map((error) => error.message)), [
    undefined, ['event 1 failed'], undefined, ['event 3 failed'], ['event 4 failed'],
  ]);
});

test("a subgraph's error, handed on as a plain object, keeps its message, path and code as a GraphQLError", async () => {
  async function* refused(): AsyncGenerator<ExecutionResult> {
    const plain = { message: 'Sign in: this needs a valid bearer token.', path: ['orderChanges'], extensions: { code: 'UNAUTHENTICATED' } };
    yield { errors: [plain] } as unknown as ExecutionResult;
  }
  const events: ExecutionResult[] = [];
  for await (const event of ownErrorsPerEvent(refused())) events.push(event);
  const [event] = events;
  const [error] = event.errors!;
  assert.ok(error instanceof GraphQLError, 'Yoga masks anything else as "Unexpected error."');
  assert.equal(error.message, 'Sign in: this needs a valid bearer token.');
  assert.deepEqual(error.path, ['orderChanges']);
  assert.equal(error.extensions.code, 'UNAUTHENTICATED');
});

test("an error on the root field drops the data the context still holds; an error deeper in keeps the event's data", async () => {
  async function* events(): AsyncGenerator<ExecutionResult> {
    const errors: unknown[] = [];
    const data = { orderChanges: { order: { id: '1', user: null } } };
    errors.push({ message: 'users-service is down', path: ['orderChanges', 'order', 'user'] });
    yield { data, errors } as unknown as ExecutionResult;
    errors.push({ message: 'fell behind', path: ['orderChanges'], extensions: { code: 'SLOW_CONSUMER' } });
    yield { data, errors } as unknown as ExecutionResult; // the router projects the previous event's data again
  }
  const seen: ExecutionResult[] = [];
  for await (const event of ownErrorsPerEvent(events())) seen.push(event);
  assert.deepEqual(seen[0].data, { orderChanges: { order: { id: '1', user: null } } });
  assert.equal(seen[1].data, undefined);
  assert.deepEqual(seen[1].errors?.map((e) => e.extensions.code), ['SLOW_CONSUMER']);
});

test('one result (a query or a mutation) passes as it is', () => {
  const errors = [new GraphQLError('refused')];
  const result = { data: null, errors };
  assert.equal(ownErrorsPerEvent(result), result);
  assert.equal(result.errors, errors);
  assert.equal(errors.length, 1);
});
