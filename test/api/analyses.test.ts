import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCapture } from '../support/pcap/encode-capture';
import { buildScenario, defaultScenario } from '../support/pcap/scenario';
import { ANALYST, auth, startTestApp } from '../support/api/test-app';
import { createTestDatabase, type TestDatabase } from '../support/api/test-database';

describe('POST /analyses', () => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  const { events, truth } = buildScenario(defaultScenario());
  const pcap = encodeCapture(events, { format: 'pcap-ns', link: 'ethernet' });
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    app = await startTestApp({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('analyzes an uploaded capture for an analyst, with the figures of the contract', async () => {
    const res = await http().post('/analyses').set(auth(ANALYST)).field('probeIntervalMs', '10').attach('files', pcap, 'migration.pcap');
    expect(res.status).toBe(200);
    expect(res.body.packets).toBe(truth.packets);
    expect(res.body.migrations[0].payloadBytes).toBe(truth.migrations[0].payloadBytes);
    expect(res.body.probe).toMatchObject({ sent: truth.probe!.sent, received: truth.probe!.received, lost: truth.probe!.lost });
    expect(Math.abs(res.body.probe.downtimeMs - truth.probe!.downtimeMs)).toBeLessThanOrEqual(10);
  });

  it('answers 422 with the byte offset for a broken capture', async () => {
    const broken = Buffer.from(pcap);
    broken.writeUInt32LE(0xdeadbeef, 0);
    const res = await http().post('/analyses').set(auth(ANALYST)).attach('files', broken, 'broken.pcap');
    expect(res.status).toBe(422);
    expect(res.body.details).toMatchObject({ file: 'broken.pcap', offset: 0 });
    expect(res.body.message).toMatch(/broken\.pcap: .*byte offset 0/);
  });

  it('answers 422 for a truncated capture and 400 without files or with bad fields', async () => {
    const truncated = pcap.subarray(0, pcap.length - 37);
    const cut = await http().post('/analyses').set(auth(ANALYST)).attach('files', truncated, 'cut.pcap');
    expect(cut.status).toBe(422);
    expect(cut.body.details.offset).toBeGreaterThan(24);
    expect((await http().post('/analyses').set(auth(ANALYST)).field('vmIp', '203.0.113.10')).status).toBe(400);
    const badPorts = await http().post('/analyses').set(auth(ANALYST)).field('migrationPorts', '9-1').attach('files', pcap, 'a.pcap');
    expect(badPorts.status).toBe(400);
    const badIp = await http().post('/analyses').set(auth(ANALYST)).field('vmIp', 'nope').attach('files', pcap, 'a.pcap');
    expect(badIp.status).toBe(400);
    expect(badIp.body.details[0].field).toBe('vmIp');
  });

  it('needs a token', async () => {
    expect((await http().post('/analyses').attach('files', pcap, 'a.pcap')).status).toBe(401);
  });
});
