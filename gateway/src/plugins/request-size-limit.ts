import type { GatewayPlugin } from '@graphql-hive/gateway';

/** How much of a refused body is still read (and thrown away) so that its sender can read the 413. */
const DRAIN_BYTES = 16 * 1024 * 1024;

/**
 * Reads the rest of a refused body in the background, keeping none of it: a client that is still
 * sending when the 413 comes would otherwise see its connection reset instead of the answer. Past
 * `DRAIN_BYTES` the stream is cancelled, which closes the connection.
 */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number) {
  let drained = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      drained += value.byteLength;
      if (drained > limit) break;
    }
  } catch {
    return; // the client went away
  }
  await reader.cancel().catch(() => {});
}

/**
 * The body's bytes, or `null` as soon as there are more than `maxBytes`: nothing past the limit is
 * kept (the rest is drained in the background, up to `drainBytes`).
 */
export async function readAtMost(body: ReadableStream<Uint8Array>, maxBytes: number, drainBytes = DRAIN_BYTES): Promise<Uint8Array<ArrayBuffer> | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      void drain(reader, drainBytes);
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function tooLarge(fetchAPI: { Response: typeof Response }, maxBytes: number, length?: number) {
  const body = {
    errors: [{
      message: length == null
        ? `The request body is larger than ${maxBytes} bytes, the most accepted.`
        : `The request body is ${length} bytes; at most ${maxBytes} are accepted.`,
      extensions: { code: 'REQUEST_TOO_LARGE' },
    }],
  };
  return new fetchAPI.Response(JSON.stringify(body), { status: 413, headers: { 'content-type': 'application/json' } });
}

/**
 * Refuses a request whose body is larger than `maxBytes`: the token limit does not catch a single 1 MB
 * string, and no operation of this API needs such a body. A declared `Content-Length` is refused before
 * anything is read (Node's parser holds a body to its declared length); a body without one (chunked) is
 * read up to the limit and refused at the first byte past it, so neither kind reaches the subgraphs.
 */
export const useRequestSizeLimit = (maxBytes: number): GatewayPlugin => ({
  onRequest({ request, endResponse, fetchAPI, setRequest }) {
    const declared = request.headers.get('content-length');
    if (declared != null) {
      const length = Number(declared);
      if (length > maxBytes) endResponse(tooLarge(fetchAPI, maxBytes, length));
      return;
    }
    if (!request.body) return;
    return readAtMost(request.body, maxBytes).then((bytes) => {
      if (bytes === null) {
        endResponse(tooLarge(fetchAPI, maxBytes));
        return;
      }
      setRequest(new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, body: bytes }));
    });
  },
});
