/**
 * The HTTP libraries the API server runs on, in one place. The build bundles this file on its own
 * (dist/api-vendor-HASH.cjs, scripts/bundle.mjs) and the CLI loads it only when a server starts:
 * they are over half of svc's code, which every other command would otherwise read and compile.
 * Third-party code only: svc's own modules (and their classes, which `instanceof` checks rely on)
 * must exist once, in the CLI bundle.
 */
export { default as Fastify } from 'fastify';
export { Ajv } from 'ajv';
