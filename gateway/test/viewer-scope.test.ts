import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLError } from 'graphql';
import { issuerSigningKeys } from '../src/plugins/viewer-scope.ts';

test("an issuer's signing key is read from its discovery document and JWKS, and parsed once", async () => {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' };
  let jwksReads = 0;
  const server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    if (request.url === '/.well-known/openid-configuration') {
      response.end(JSON.stringify({ jwks_uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks` }));
    } else {
      jwksReads++;
      response.end(JSON.stringify({ keys: [jwk] }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const keys = issuerSigningKeys(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const first = (await keys('k1')) as KeyObject;
    assert.ok(first instanceof KeyObject);
    assert.ok(first.equals(publicKey));
    assert.equal(await keys('k1'), first, 'the same KeyObject again, not a new parse');
    assert.equal(jwksReads, 1);
  } finally {
    server.close();
  }
});

test('a verified token without exp is refused with UNAUTHENTICATED unless AUTH_JWT_REQUIRE_EXP=false', async () => {
  const { useViewerScope } = await import('../src/plugins/viewer-scope.ts');
  const secret = 'a-secret-of-at-least-thirty-two-bytes!!';
  const scopeWith = (requireExp: boolean, payload: Record<string, unknown>) => {
    type After = (payload: { context: object; extendContext(extension: { viewerScope?: string }): void }) => void;
    const after = (useViewerScope({ secret, requireExp }).onContextBuilding as unknown as () => After)();
    const request = new Request('http://gw/graphql', { headers: { authorization: 'Bearer x.y.z' } });
    let extended: { viewerScope?: string } | undefined;
    after({ context: { request, jwt: { payload } }, extendContext: (e) => (extended = e) });
    return extended?.viewerScope;
  };
  assert.throws(() => scopeWith(true, { sub: '1' }), (e: GraphQLError) => e.extensions.code === 'UNAUTHENTICATED' && /no expiry/.test(e.message));
  assert.equal(scopeWith(true, { sub: '1', exp: 2_000_000_000 }), 'user:1');
  assert.equal(scopeWith(false, { sub: '1' }), 'user:1');
  assert.throws(() => scopeWith(true, { sub: 'abc', exp: 2_000_000_000 }), (e: GraphQLError) => /user id/.test(e.message));
});
