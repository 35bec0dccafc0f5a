// Computes the vectors GatewaySignatureTest checks, with the gateway's own code: the canonical form is
// @graphql-mesh/hmac-upstream-signature's defaultParamsSerializer (json-stable-stringify of
// {query, variables}), the signature Node's HMAC-SHA256 of it, in base64 (what the gateway's
// hmacSignature puts in extensions["hmac-signature"]). The body is what the gateway sends: JSON.stringify.
//   node platform/src/test/resources/gateway-signature/vectors.mjs > platform/src/test/resources/gateway-signature/vectors.json
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const gateway = fileURLToPath(new URL('../../../../../gateway/', import.meta.url));
const require = createRequire(gateway);
const { defaultParamsSerializer } = await import(require.resolve('@graphql-mesh/hmac-upstream-signature'));

const secret = 'vector-secret-0123456789abcdef-é';
const query = 'query Q($input: OrderFilter, $first: Int) { orders(first: $first, filter: $input) { edges { node { id } } } }';
const cases = {
  'no variables': { query: '{ me { id } }' },
  'empty variables are left out': { query: '{ me { id } }', variables: {} },
  'null variables are left out': { query: '{ me { id } }', variables: null },
  'nested objects, keys sorted at every level': {
    query,
    variables: { z: 1, a: { y: { d: 1, c: [{ b: 2, a: 1 }] }, x: null }, M: true, _: false, 10: 'ten', 9: 'nine', é: 'e-acute', B: [] },
  },
  'unicode, raw': { query: 'mutation { createUser(input: { username: "zoë" }) { errors { field } } }', variables: { s: 'zoë 漢字 😀 \u2028\u2029 \u007f \u00ad \ufeff', '😀': 'key' } },
  'control characters and escapes': { query: 'query {\n\tme { id }\r\n}', variables: { s: '\u0000\u0001\u0007\b\t\n\u000b\f\r\u000e\u001f "quoted" back\\slash /slash' } },
  'lone surrogates': { query, variables: { high: 'a\ud800b', low: '\udc00', pair: '\ud83d\ude00', reversed: '\ude00\ud83d' } },
  numbers: {
    query,
    variables: {
      int: 42, negative: -17, zero: 0, negativeZero: -0, half: 1.5, tiny: 0.000001, tinier: 1e-7, third: 1 / 3, sum: 0.1 + 0.2,
      e20: 1e20, e21: 1e21, e22: 123e20, maxSafe: Number.MAX_SAFE_INTEGER, aboveSafe: 2 ** 53 + 2, big: 12345678901234567890,
      huge: 1.7976931348623157e308, smallest: 5e-324, subnormal: 1.5e-323, negativeExp: -2.5e-8, list: [1, 2.25, -3e30],
    },
  },
  'booleans, null, arrays': { query, variables: { t: true, f: false, n: null, arr: [null, true, 'x', [[]], {}, { b: null, a: [1] }] } },
};

// Bodies not printed by JavaScript (a Java client calling a subgraph directly): the canonical form is
// what the verifier computes from JSON.parse of the same text, so numbers are read as JavaScript reads them.
const foreignBodies = {
  'numbers printed otherwise': '{"query":"q","variables":{"a":1.0,"b":1E21,"c":12345678901234567890,"d":0.10,"e":-0.0,'
    + '"f":100e-2,"g":123456789012345678901234567890,"h":0.1e1,"i":5e-325,"j":1.00000000000000011102230246251565404236316680908203125,'
    + '"k":9007199254740993,"l":-1.5E-7,"m":4.9E-324}}',
};

const vector = (name, body, params) => {
  const canonical = defaultParamsSerializer(params);
  return { name, body, canonical, signature: createHmac('sha256', secret).update(canonical, 'utf8').digest('base64') };
};
const vectors = [
  ...Object.entries(cases).map(([name, params]) => vector(name, JSON.stringify(params), params)),
  ...Object.entries(foreignBodies).map(([name, body]) => vector(name, body, JSON.parse(body))),
];
process.stdout.write(JSON.stringify({ secret, vectors }, null, 2) + '\n');
