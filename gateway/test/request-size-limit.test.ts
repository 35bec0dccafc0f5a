import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readAtMost } from '../src/plugins/request-size-limit.ts';

function chunked(...chunks: string[]) {
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(new TextEncoder().encode(next));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
}

test('a body within the limit is read whole', async () => {
  const { stream } = chunked('{"query":', '"{ a }"}');
  const bytes = await readAtMost(stream, 100);
  assert.equal(new TextDecoder().decode(bytes!), '{"query":"{ a }"}');
});

test('a body past the limit is refused at the chunk that crosses it; the rest is drained, up to a bound', async () => {
  const small = chunked('x'.repeat(60), 'y'.repeat(60), 'z'.repeat(60));
  assert.equal(await readAtMost(small.stream, 100, 1000), null);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(!small.cancelled(), 'a sender that stops within the bound keeps its connection');

  const endless = chunked(...Array.from({ length: 100 }, () => 'x'.repeat(60)));
  assert.equal(await readAtMost(endless.stream, 100, 1000), null);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(endless.cancelled(), 'past the bound the stream is cancelled');
});
