import {
  createRemoteJwksSigningKeyProvider,
  useJWT,
  type GatewayPlugin,
  type GetSigningKeyFunction,
} from '@graphql-hive/gateway';
import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { VIEWER_SCOPE, bearerToken, clientAuthorization, scopeOf, verifiedClaims, type ViewerScope } from '../auth.ts';

/**
 * A coded GraphQL error, answered with status 200 like every other error the gateway relays: GraphQL
 * clients (Apollo, Spring's GraphQlClient) read a 200's errors but throw away a 401's body.
 */
export function unauthenticated(message: string) {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });
}

/**
 * A signing-key provider as jsonwebtoken uses it: Hive types its keys as strings (PEM or secret), but
 * jsonwebtoken takes KeyObjects as well, and the providers below hand out KeyObjects (parsed once).
 */
const asSigningKeyProvider = (provider: (kid?: string) => unknown) => provider as GetSigningKeyFunction;

/** A JWKS signing-key provider for an OpenID issuer, its `jwks_uri` read from the discovery document on first use. */
export function issuerSigningKeys(issuer: string) {
  let provider: Promise<(kid?: string) => Promise<unknown> | unknown> | undefined;
  const discover = async () => {
    const response = await fetch(new URL('.well-known/openid-configuration', issuer.endsWith('/') ? issuer : `${issuer}/`));
    if (!response.ok) throw new Error(`OpenID discovery of ${issuer} answered ${response.status}`);
    const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: string };
    if (!jwksUri) throw new Error(`OpenID discovery of ${issuer} names no jwks_uri`);
    return createRemoteJwksSigningKeyProvider({ jwksUri, cache: true, rateLimit: true });
  };
  return (kid?: string) => {
    provider ??= discover().catch((err) => {
      provider = undefined; // try again on the next token
      throw err;
    });
    return provider.then((keys) => keys(kid)).then(keyObjectOf);
  };
}

/** The issuer's keys as KeyObjects, parsed once each (jsonwebtoken would parse the PEM on every token); a handful at most. */
const publicKeys = new Map<string, KeyObject>();
function keyObjectOf(pem: unknown): unknown {
  if (typeof pem !== 'string') return pem;
  let key = publicKeys.get(pem);
  if (!key) {
    if (publicKeys.size >= 16) publicKeys.clear(); // keys rotated many times: start again
    key = createPublicKey(pem);
    publicKeys.set(pem, key);
  }
  return key;
}

/** A graphql-ws socket as Hive puts it on a WebSocket request's context. */
const isClosable = (socket: unknown): socket is { close(code: number, reason: string): void } =>
  typeof socket === 'object' && socket !== null && typeof (socket as { close?: unknown }).close === 'function';

/**
 * Verifies the client's token at the door, with Hive Gateway's JWT plugin (the same HS256 secret as
 * the services, or the issuer's JWKS), and puts the viewer's scope on the context as `viewerScope`.
 * A token that is present but bad (signature, expiry, an `aud` that does not name `audience` when it is
 * set, no `exp` while `requireExp`, a `sub` that is not a user id) is refused with `UNAUTHENTICATED`
 * before any subgraph is called; over WebSocket the connection is then closed with 4401, as graphql-ws
 * defines. A token must expire: a subscription lives no longer than its token (token-expiry.ts), and one
 * without `exp` would make a stolen token good forever. No token is left to the subgraphs, which decide
 * per field. The token itself is still forwarded: the subgraphs verify it again (defence in depth).
 */
export const useViewerScope = (auth: { secret: string; issuer?: string; audience?: string; requireExp: boolean }): GatewayPlugin<{ [VIEWER_SCOPE]: ViewerScope; socket?: unknown }> => {
  // The secret as a KeyObject, made once: given a string, jsonwebtoken first tries it as a public key
  // on every verification and builds the secret key from the exception, 1.5 ms of CPU per request
  // (6.4% of the gateway's CPU on a page of orders, profiled).
  const secretKey = createSecretKey(Buffer.from(auth.secret));
  const jwt = useJWT({
    signingKeyProviders: [asSigningKeyProvider(auth.issuer ? issuerSigningKeys(auth.issuer) : () => secretKey)],
    tokenVerification: {
      ...(auth.issuer ? { algorithms: ['RS256'], issuer: auth.issuer } : { algorithms: ['HS256'] }),
      ...(auth.audience ? { audience: auth.audience } : {}),
    },
    tokenLookupLocations: [
      ({ request, serverContext }) => {
        const authorization = clientAuthorization(serverContext, request);
        const token = authorization && bearerToken(authorization);
        return token ? { prefix: 'Bearer', token } : undefined;
      },
    ],
    // Refusals are ours (below), with the stable code; the plugin only verifies.
    reject: { missingToken: false, invalidToken: false },
    forward: { payload: false, token: false },
  });
  return {
    onPluginInit({ addPlugin }) {
      // A GatewayPlugin's onRequest is typed for the gateway's server context, Yoga's addPlugin for the
      // bare one; the gateway passes its own, so the plugin gets what it is typed for.
      addPlugin(jwt as Parameters<typeof addPlugin>[0]);
    },
    onContextBuilding() {
      // After every plugin has built its part of the context, the JWT plugin's `jwt` included.
      return ({ context, extendContext }) => {
        const authorization = clientAuthorization(context, context.request);
        if (!authorization) return;
        const payload = verifiedClaims(context);
        const scope = payload ? scopeOf(payload) : null;
        const expires = !auth.requireExp || typeof payload?.exp === 'number';
        if (scope && expires) {
          extendContext({ [VIEWER_SCOPE]: scope });
          return;
        }
        const socket: unknown = context.socket;
        if (isClosable(socket)) {
          // Late enough for the error to reach the client first.
          setTimeout(() => socket.close(4401, 'Unauthorized'), 100).unref?.();
        }
        throw unauthenticated(!payload
          ? 'The token is invalid or expired; sign in again.'
          : !scope ? "The token's 'sub' must be a user id, e.g. \"1\"."
          : 'The token has no expiry (exp); sign in again for one that expires.');
      };
    },
  };
};
