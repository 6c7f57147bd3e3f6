import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../support/api/test-database';
import { ANALYST, auth, OPERATOR, sampleHost, startTestApp } from '../support/api/test-app';

describe.each<DatabaseKind>(['sqlite', 'postgres'])('inventory API on %s', (kind) => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    app = await startTestApp({ databaseUrl: db.url });
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it(`runs on ${kind}`, () => {
    expect(app.get(DataSource).options.type).toBe(kind === 'sqlite' ? 'better-sqlite3' : 'postgres');
  });

  describe('authentication and roles', () => {
    it('answers 401 without a token, in the error shape', async () => {
      const res = await http().post('/hosts').send(sampleHost('auth-a'));
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'a bearer token is required',
        details: { header: 'Authorization' },
      });
    });

    it('answers 401 for an unknown token', async () => {
      const res = await http().get('/hosts').set(auth('not-a-token'));
      expect(res.status).toBe(401);
    });

    it('answers 403 when an analyst tries a mutation', async () => {
      const res = await http().post('/hosts').set(auth(ANALYST)).send(sampleHost('auth-b'));
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/analyst/);
    });

    it('lets an analyst read and an operator create', async () => {
      const created = await http().post('/hosts').set(auth(OPERATOR)).send(sampleHost('auth-c'));
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'auth-c', state: 'enabled', agentEndpoint: null });
      const read = await http().get(`/hosts/${created.body.id}`).set(auth(ANALYST));
      expect(read.status).toBe(200);
      expect(read.body.libvirtUri).toBe('qemu+tcp://192.0.2.11/system');
    });

    it('serves /health without a token, with a database check', async () => {
      const res = await http().get('/health');
      expect(res.status).toBe(200);
      expect(res.body.info.database.status).toBe('up');
    });
  });

  describe('validation', () => {
    it('names each invalid field', async () => {
      const res = await http()
        .post('/hosts')
        .set(auth(OPERATOR))
        .send(sampleHost('bad-1', { libvirtUri: 'http://192.0.2.11/system', memoryMiB: -1 }));
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('Bad Request');
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['libvirtUri', 'memoryMiB']);
      expect(res.body.message).toContain('libvirtUri');
    });

    it.each([
      ['migrationInterface', 'eth0; rm -rf /'],
      ['migrationInterface', 'an-interface-name-too-long'],
      ['name', '../etc'],
      ['instancesPath', 'relative/path'],
      ['instancesPath', '/var/../etc'],
      ['migrationAddress', '192.0.2.300'],
      ['state', 'gone'],
      ['vcpus', 1.5],
      ['libvirtUri', 'qemu+tcp:///system'],
    ])('refuses %s = %j', async (field, value) => {
      const res = await http()
        .post('/hosts')
        .set(auth(OPERATOR))
        .send(sampleHost('bad-2', { [field]: value }));
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('refuses unknown fields and malformed JSON', async () => {
      const extra = await http()
        .post('/hosts')
        .set(auth(OPERATOR))
        .send(sampleHost('bad-3', { sshPassword: 'x' }));
      expect(extra.status).toBe(400);
      expect(extra.body.message).toContain('sshPassword');
      const broken = await http().post('/hosts').set(auth(OPERATOR)).set('Content-Type', 'application/json').send('{"name":');
      expect(broken.status).toBe(400);
      expect(broken.body.statusCode).toBe(400);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const missing = await http().get('/hosts/3f1f7e38-27b3-4d5a-9a64-2f4f1d9b8c11').set(auth(ANALYST));
      expect(missing.status).toBe(404);
      expect(missing.body.message).toContain('not found');
      const malformed = await http().get('/hosts/not-a-uuid').set(auth(ANALYST));
      expect(malformed.status).toBe(400);
    });
  });

  describe('hosts, flavors and instances', () => {
    it('seeds the OpenStack default flavors', async () => {
      const res = await http().get('/flavors').set(auth(ANALYST));
      const byName = Object.fromEntries(res.body.items.map((f: { name: string }) => [f.name, f]));
      expect(byName['m1.nano']).toMatchObject({ ramMiB: 64, vcpus: 1, diskGiB: 0 });
      expect(byName['m1.micro']).toMatchObject({ ramMiB: 128, vcpus: 1, diskGiB: 0 });
      expect(byName['m1.tiny']).toMatchObject({ ramMiB: 512, vcpus: 1, diskGiB: 1 });
      expect(byName['m1.small']).toMatchObject({ ramMiB: 2048, vcpus: 1, diskGiB: 20 });
      expect(byName['m1.medium']).toMatchObject({ ramMiB: 4096, vcpus: 2, diskGiB: 40 });
      expect(byName['m1.large']).toMatchObject({ ramMiB: 8192, vcpus: 4, diskGiB: 80 });
    });

    it('answers 409 for a duplicate name', async () => {
      expect((await http().post('/hosts').set(auth(OPERATOR)).send(sampleHost('dup-a'))).status).toBe(201);
      const res = await http().post('/hosts').set(auth(OPERATOR)).send(sampleHost('dup-a'));
      expect(res.status).toBe(409);
      expect(res.body.details).toEqual({ field: 'name' });
      const flavor = await http().post('/flavors').set(auth(OPERATOR)).send({ name: 'm1.nano', vcpus: 1, ramMiB: 64, diskGiB: 0 });
      expect(flavor.status).toBe(409);
    });

    it('keeps a host with instances, and pages and filters instances', async () => {
      const flavor = await http().post('/flavors').set(auth(OPERATOR)).send({ name: 'lab.tiny', vcpus: 1, ramMiB: 256, diskGiB: 0 });
      expect(flavor.status).toBe(201);
      const hostA = (await http().post('/hosts').set(auth(OPERATOR)).send(sampleHost('inv-a'))).body;
      const hostB = (
        await http()
          .post('/hosts')
          .set(auth(OPERATOR))
          .send(sampleHost('inv-b', { state: 'maintenance' }))
      ).body;
      for (let i = 0; i < 5; i++) {
        const res = await http()
          .post('/instances')
          .set(auth(OPERATOR))
          .send({
            name: `vm-${i}`,
            domainName: `instance-0000000${i}`,
            domainUuid: `6e1b0f7a-0c1d-4a55-9d6e-00000000000${i}`,
            flavorId: flavor.body.id,
            hostId: i < 3 ? hostA.id : hostB.id,
          });
        expect(res.status).toBe(201);
      }

      const deleteBusy = await http().delete(`/hosts/${hostA.id}`).set(auth(OPERATOR));
      expect(deleteBusy.status).toBe(409);
      expect(deleteBusy.body.details).toEqual({ instances: 3 });
      const deleteFlavor = await http().delete(`/flavors/${flavor.body.id}`).set(auth(OPERATOR));
      expect(deleteFlavor.status).toBe(409);

      const page = await http().get('/instances').query({ host: 'inv-a', limit: 2, page: 2 }).set(auth(ANALYST));
      expect(page.body).toMatchObject({ total: 3, page: 2, limit: 2 });
      expect(page.body.items.map((i: { name: string }) => i.name)).toEqual(['vm-2']);
      const byFlavor = await http().get('/instances').query({ flavor: 'lab.tiny', state: 'active' }).set(auth(ANALYST));
      expect(byFlavor.body.total).toBe(5);
      const byHostId = await http().get('/instances').query({ host: hostB.id }).set(auth(ANALYST));
      expect(byHostId.body.total).toBe(2);
      const inMaintenance = await http().get('/hosts').query({ state: 'maintenance' }).set(auth(ANALYST));
      expect(inMaintenance.body.items.map((h: { name: string }) => h.name)).toEqual(['inv-b']);
      const badLimit = await http().get('/instances').query({ limit: 0 }).set(auth(ANALYST));
      expect(badLimit.status).toBe(400);

      const dangling = await http().post('/instances').set(auth(OPERATOR)).send({
        name: 'vm-x',
        domainName: 'instance-x',
        domainUuid: '6e1b0f7a-0c1d-4a55-9d6e-0000000000ff',
        flavorId: flavor.body.id,
        hostId: '3f1f7e38-27b3-4d5a-9a64-2f4f1d9b8c11',
      });
      expect(dangling.status).toBe(422);
      expect(dangling.body.details).toEqual({ field: 'hostId' });

      // Once its instances move away, the host can go.
      const moved = await http().get('/instances').query({ host: 'inv-a' }).set(auth(ANALYST));
      for (const instance of moved.body.items) {
        expect((await http().patch(`/instances/${instance.id}`).set(auth(OPERATOR)).send({ hostId: hostB.id })).status).toBe(200);
      }
      expect((await http().delete(`/hosts/${hostA.id}`).set(auth(OPERATOR))).status).toBe(204);
      expect((await http().get(`/hosts/${hostA.id}`).set(auth(ANALYST))).status).toBe(404);
    });

    it('stores an agent token but never returns it', async () => {
      const created = await http()
        .post('/hosts')
        .set(auth(OPERATOR))
        .send(sampleHost('tok-a', { agentEndpoint: 'http://192.0.2.11:7070', agentToken: 'agent-secret-1' }));
      expect(created.status).toBe(201);
      expect(created.body).not.toHaveProperty('agentToken');
      expect((await http().get(`/hosts/${created.body.id}`).set(auth(ANALYST))).body).not.toHaveProperty('agentToken');
      const patched = await http().patch(`/hosts/${created.body.id}`).set(auth(OPERATOR)).send({ state: 'disabled' });
      expect(patched.status).toBe(200);
      expect(patched.body).not.toHaveProperty('agentToken');
      const listed = await http().get('/hosts').set(auth(ANALYST));
      expect(JSON.stringify(listed.body)).not.toContain('agent-secret-1');
    });

    it('updates a host state', async () => {
      const host = (await http().post('/hosts').set(auth(OPERATOR)).send(sampleHost('upd-a'))).body;
      const res = await http().patch(`/hosts/${host.id}`).set(auth(OPERATOR)).send({ state: 'disabled' });
      expect(res.status).toBe(200);
      expect(res.body.state).toBe('disabled');
    });
  });

  describe('observability', () => {
    it('exposes Prometheus metrics with request counters, latency and process metrics', async () => {
      await http().get('/hosts').set(auth(ANALYST));
      const res = await http().get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/plain/);
      expect(res.text).toMatch(/livemig_http_requests_total\{method="GET",route="\/hosts",status="200"\} \d+/);
      expect(res.text).toContain('livemig_http_request_duration_seconds_bucket');
      expect(res.text).toContain('process_cpu_user_seconds_total');
    });

    it('echoes a sane request id and makes one otherwise', async () => {
      const given = await http().get('/health').set('x-request-id', 'abc-123');
      expect(given.headers['x-request-id']).toBe('abc-123');
      const made = await http().get('/health').set('x-request-id', 'bad id with spaces');
      expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});
