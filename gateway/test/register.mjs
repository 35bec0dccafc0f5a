// Lets Node's test runner import the gateway's TypeScript modules with the same loader the gateway
// uses for gateway.config.ts (Hive's importer), so tests run what runs in production.
import { register } from 'node:module';

register('@graphql-hive/importer/hooks', import.meta.url);
