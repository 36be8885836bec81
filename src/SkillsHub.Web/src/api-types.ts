// The API's JSON shapes, generated at build time from the OpenAPI document (openapi.json, the server's
// /openapi/v1.json committed beside package.json; `npm run api-types` writes src/generated/api-schema.d.ts).
// Pages name these instead of hand-written copies, so a changed C# record that breaks a page fails `tsc`.
import type { components, paths } from './generated/api-schema';

export type Schemas = components['schemas'];

/** The JSON a GET of an API route answers with (200), e.g. Read<'/api/competitions/{code}/results'>. */
export type Read<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer T } } } } } ? T : never;

/** The JSON body a POST or PUT of an API route takes. */
export type Body<P extends keyof paths, M extends 'post' | 'put' = 'post'> =
  paths[P] extends Record<M, { requestBody?: { content: { 'application/json': infer T } } }> ? T : never;
