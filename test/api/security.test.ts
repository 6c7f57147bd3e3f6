// Issue 16: each finding's attack against the real app, and the refusal.
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostsRepository } from '../../src/inventory/repositories/hosts.repository';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../support/api/test-database';
import { auth, OPERATOR, sampleHost, startTestApp } from '../support/api/test-app';

describe.each<DatabaseKind>(['sqlite', 'postgres'])('security on %s', (kind) => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());
  const createHost = (name: string, extra: Record<string, unknown> = {}) =>
    http().post('/hosts').set(auth(OPERATOR)).send(sampleHost(name, extra));

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    app = await startTestApp({ databaseUrl: db.url });
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  describe('finding 1: libvirt URIs that read files, open sockets or run programs', () => {
    it.each([
      'test:///etc/shadow',
      'test:///default',
      'qemu+unix:///system?socket=/var/run/postgresql/.s.PGSQL.5432',
      'qemu+ssh://compute-a/system?keyfile=/root/.ssh/id_rsa',
      'qemu+ssh://compute-a/system?command=/bin/sh',
      'qemu+ext://compute-a/system',
    ])('refuses %s with 400', async (libvirtUri) => {
      const res = await createHost('uri-x', { libvirtUri });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/libvirtUri/);
    });
  });

  describe('finding 2: agentEndpoint towards the controller or a metadata service', () => {
    it.each([
      'http://169.254.169.254/latest/meta-data/',
      'http://127.0.0.1:5432',
      'http://localhost:7070',
      'http://[::1]:7070',
      'http://[fd00:ec2::254]/',
      'http://[::ffff:127.0.0.1]:7070',
      'http://0.0.0.0:7070',
    ])('refuses %s with 400', async (agentEndpoint) => {
      const res = await createHost('ep-x', { agentEndpoint, agentToken: 'agent-secret-1' });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/agentEndpoint/);
    });

    it('needs the token again to move an endpoint (400 otherwise)', async () => {
      const host = (await createHost('ep-a', { agentEndpoint: 'http://192.0.2.11:7070', agentToken: 'agent-secret-1' })).body;
      const moved = await http().patch(`/hosts/${host.id}`).set(auth(OPERATOR)).send({ agentEndpoint: 'http://198.51.100.9:7070' });
      expect(moved.status).toBe(400);
      expect(moved.body.message).toMatch(/agentToken/);
      const withToken = await http()
        .patch(`/hosts/${host.id}`)
        .set(auth(OPERATOR))
        .send({ agentEndpoint: 'http://198.51.100.9:7070', agentToken: 'agent-secret-1' });
      expect(withToken.status).toBe(200);
      expect(withToken.body.agentEndpoint).toBe('http://198.51.100.9:7070');
    });
  });

  describe('finding 4: agent tokens at rest', () => {
    it('stores them sealed, and seals rows written in plain text', async () => {
      const host = (await createHost('seal-a', { agentEndpoint: 'http://192.0.2.12:7070', agentToken: 'agent-secret-seal' })).body;
      const dataSource = app.get(DataSource);
      const raw = async (): Promise<string> => {
        const rows: { agent_token: string }[] = await dataSource.query(
          `SELECT agent_token FROM hosts WHERE id = ${kind === 'postgres' ? '$1' : '?'}`,
          [host.id],
        );
        return rows[0].agent_token;
      };
      expect(await raw()).toMatch(/^enc:v1:/);
      expect(await raw()).not.toContain('agent-secret-seal');
      expect((await app.get(HostsRepository).getById(host.id)).agentToken).toBe('agent-secret-seal');

      // A row from before sealing.
      await dataSource.query(
        `UPDATE hosts SET agent_token = ${kind === 'postgres' ? '$1' : '?'} WHERE id = ${kind === 'postgres' ? '$2' : '?'}`,
        ['agent-plain-old', host.id],
      );
      expect((await app.get(HostsRepository).getById(host.id)).agentToken).toBe('agent-plain-old');
      expect(await app.get(HostsRepository).sealPlainAgentTokens()).toBe(1);
      expect(await raw()).toMatch(/^enc:v1:/);
      expect((await app.get(HostsRepository).getById(host.id)).agentToken).toBe('agent-plain-old');
    });
  });

  describe('finding 6: low', () => {
    it('answers 400, not 500, to a huge page', async () => {
      const res = await http().get('/hosts?page=1e300').set(auth(OPERATOR));
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/page/);
    });

    it('sets security headers', async () => {
      const res = await http().get('/health');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    });

    it('throttles failed authentication: 300 wrong tokens are not 300 × 401', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++)
        statuses.push(
          (
            await http()
              .get('/hosts')
              .set(auth(`wrong-token-${i}-0123456789`))
          ).status,
        );
      expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
      const refused = await http().get('/hosts').set(auth(`wrong-token-x-0123456789`));
      expect(refused.body.message).toMatch(/too many failed authentications/);
    });
  });
});
