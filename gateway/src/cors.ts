// CORS: an allow-list, never `*`. An entry is an exact origin (`https://app.example.com`) or
// `scheme://host:*` for any port of that host (including none).
import type { CORSOptions } from 'graphql-yoga'; // Hive Gateway's `cors` option is Yoga's

type OriginRule = { exact: string } | { protocol: string; hostname: string };

export function parseOriginRule(entry: string): OriginRule {
  if (entry === '*' || (entry.includes('*') && !entry.endsWith(':*'))) {
    throw new Error(`CORS_ORIGINS: "${entry}" is not allowed; list origins, or scheme://host:* for any port`);
  }
  if (entry.endsWith(':*')) {
    const url = new URL(entry.slice(0, -2));
    return { protocol: url.protocol, hostname: url.hostname };
  }
  return { exact: new URL(entry).origin };
}

/** Whether `origin` matches one of `entries`. */
export function originMatcher(entries: string[]): (origin: string) => boolean {
  const rules = entries.map(parseOriginRule);
  return (origin) => {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    return rules.some((rule) =>
      'exact' in rule ? rule.exact === url.origin : rule.protocol === url.protocol && rule.hostname === url.hostname,
    );
  };
}

/** The gateway's `cors` option: headers only for allowed origins (the browser blocks the rest). */
export function corsFor(entries: string[]): (request: Request) => CORSOptions {
  const allowed = originMatcher(entries);
  return (request) => {
    const origin = request.headers.get('origin');
    if (!origin || !allowed(origin)) return false;
    return {
      origin: [origin],
      credentials: true,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'Accept',
        'Apollo-Require-Preflight',
        'X-Apollo-Operation-Name',
        'Apollographql-Client-Name',
        'Apollographql-Client-Version',
        'X-Request-Id',
      ],
      maxAge: 600,
    };
  };
}
