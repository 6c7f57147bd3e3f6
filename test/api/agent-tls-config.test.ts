import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLabPki, type LabPki } from '../../lab/tls';
import { buildConfig } from '../../src/config/livemig-config';
import { Environment } from '../../src/config/environment';
import { auth, OPERATOR, sampleHost, startTestApp } from '../support/api/test-app';
import { createTestDatabase, type TestDatabase } from '../support/api/test-database';

// With LIVEMIG_AGENT_TLS_CA set the agent token must never travel in clear text: plain http endpoints are refused.
describe('controller with the agent channel over TLS', () => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  let pki: LabPki;
  const dir = mkdtempSync(join(tmpdir(), 'livemig-tls-config-'));
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    pki = await makeLabPki(dir, { agents: {} });
    db = await createTestDatabase('sqlite');
    app = await startTestApp({
      databaseUrl: db.url,
      env: { LIVEMIG_AGENT_TLS_CA: pki.ca.cert, LIVEMIG_AGENT_TLS_CERT: pki.controller.cert, LIVEMIG_AGENT_TLS_KEY: pki.controller.key },
    });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a host with a plain http agentEndpoint: 400 saying https; https is accepted', async () => {
    const plain = await http()
      .post('/hosts')
      .set(auth(OPERATOR))
      .send(sampleHost('tls-a', { agentEndpoint: 'http://192.0.2.11:7070', agentToken: 'agent-secret-0123456789' }));
    expect(plain.status).toBe(400);
    expect(JSON.stringify(plain.body.details)).toMatch(/agentEndpoint must be https/);
    const secure = await http()
      .post('/hosts')
      .set(auth(OPERATOR))
      .send(sampleHost('tls-b', { agentEndpoint: 'https://192.0.2.12:7070', agentToken: 'agent-secret-0123456789' }));
    expect(secure.status).toBe(201);
  });

  it('the configuration refuses a certificate without its key and files that are not PEM', () => {
    const env = (extra: Record<string, string>) => Object.assign(new Environment(), extra);
    expect(() => buildConfig(env({ LIVEMIG_AGENT_TLS_CA: pki.ca.cert, LIVEMIG_AGENT_TLS_CERT: pki.controller.cert }))).toThrow(
      /go together/,
    );
    expect(() => buildConfig(env({ LIVEMIG_AGENT_TLS_CERT: pki.controller.cert, LIVEMIG_AGENT_TLS_KEY: pki.controller.key }))).toThrow(
      /need LIVEMIG_AGENT_TLS_CA/,
    );
    expect(() => buildConfig(env({ LIVEMIG_AGENT_TLS_CA: join(dir, 'ca.srl') }))).toThrow(/LIVEMIG_AGENT_TLS_CA cannot be read/);
    expect(buildConfig(env({ LIVEMIG_AGENT_TLS_CA: pki.ca.cert })).agentTls).toMatchObject({
      ca: expect.stringContaining('BEGIN CERTIFICATE'),
    });
  });
});
