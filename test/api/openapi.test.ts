import SwaggerParser from '@apidevtools/swagger-parser';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/api/test-database';
import { startTestApp } from '../support/api/test-app';

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every route Express serves, less the docs themselves. */
function servedRoutes(app: NestExpressApplication): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } };
  return (
    express.router.stack
      .flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((m) => `${m} ${layer.route!.path}`) : []))
      // Middleware mounted for every path shows up as catch-all routes.
      .filter((r) => !r.includes('/api/docs') && !r.includes('{*path}') && !r.includes('/*path'))
      .map((r) => r.replace(/:(\w+)/g, '{$1}'))
      .sort()
  );
}

describe('OpenAPI document', () => {
  let db: TestDatabase;
  let app: NestExpressApplication;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    app = await startTestApp({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('is valid OpenAPI 3 and lists every route', async () => {
    const res = await request(app.getHttpServer()).get('/api/docs-json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    await SwaggerParser.validate(structuredClone(res.body));
    const documented = Object.entries(res.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
      .sort();
    const served = servedRoutes(app);
    expect(served.length).toBeGreaterThanOrEqual(15);
    expect(documented).toEqual(served);
  });

  it('serves the docs page without a token', async () => {
    const res = await request(app.getHttpServer()).get('/api/docs/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger');
  });
});
