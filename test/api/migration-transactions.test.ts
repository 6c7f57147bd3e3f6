import type { NestExpressApplication } from '@nestjs/platform-express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/common/ids';
import { CONVERGENCE_PRESETS } from '../../src/migration/core';
import { Transactions } from '../../src/common/repositories/transactions';
import { LiveMigrationsRepository, ReservationsRepository, type NewLiveMigration } from '../../src/migration/repositories';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../support/api/test-database';
import { startTestApp } from '../support/api/test-app';

const record = (instanceId: string): NewLiveMigration => ({
  id: newId(),
  instanceId,
  instanceName: 'tx-vm',
  domainName: 'tx-vm',
  flavorName: 'm1.tiny',
  flavorRamMiB: 512,
  sourceHostId: newId(),
  destinationHostId: newId(),
  state: 'queued',
  policyName: 'nova-default',
  policy: { ...CONVERGENCE_PRESETS['nova-default'] },
  convergenceEvents: [],
});

describe.each<DatabaseKind>(['sqlite', 'postgres'])('migration repositories in a transaction on %s', (kind) => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  let transactions: Transactions;
  let migrations: LiveMigrationsRepository;
  let reservations: ReservationsRepository;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    app = await startTestApp({ databaseUrl: db.url });
    transactions = app.get(Transactions);
    migrations = app.get(LiveMigrationsRepository);
    reservations = app.get(ReservationsRepository);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('commits the record, its phase and its reservation together', async () => {
    const fields = record(newId());
    const result = await transactions.run(async (t) => {
      const tx = { migrations: migrations.inTransaction(t), reservations: reservations.inTransaction(t) };
      const created = await tx.migrations.insert(fields);
      await tx.migrations.addPhase(created.id, 'queued', new Date(), 'in a transaction');
      await tx.reservations.insert({
        id: newId(),
        migrationId: created.id,
        hostId: fields.destinationHostId,
        vcpus: 1,
        memoryMiB: 512,
        releasedAt: null,
      });
      return created.id;
    });
    expect(result).toBe(fields.id);
    expect((await migrations.findById(fields.id))?.state).toBe('queued');
    expect((await migrations.phasesOf(fields.id)).map((p) => p.detail)).toEqual(['in a transaction']);
    expect(await reservations.findOpenOf(fields.id)).toHaveLength(1);
  });

  it('writes nothing when the callback throws, and throws the callback error on', async () => {
    const fields = record(newId());
    await expect(
      transactions.run(async (t) => {
        const tx = { migrations: migrations.inTransaction(t), reservations: reservations.inTransaction(t) };
        await tx.migrations.insert(fields);
        await tx.migrations.addPhase(fields.id, 'queued', new Date(), null);
        await tx.reservations.insert({
          id: newId(),
          migrationId: fields.id,
          hostId: fields.destinationHostId,
          vcpus: 1,
          memoryMiB: 512,
          releasedAt: null,
        });
        throw new Error('refused half way');
      }),
    ).rejects.toThrow('refused half way');
    expect(await migrations.findById(fields.id)).toBeNull();
    expect(await migrations.phasesOf(fields.id)).toEqual([]);
    expect(await reservations.findOpenOf(fields.id)).toEqual([]);
  });

  it('sees its own writes inside the transaction before they commit', async () => {
    const instanceId = newId();
    await transactions.run(async (t) => {
      const tx = { migrations: migrations.inTransaction(t), reservations: reservations.inTransaction(t) };
      await tx.migrations.insert(record(instanceId));
      expect(await tx.migrations.findUnfinishedOfInstance(instanceId)).not.toBeNull();
    });
    expect(await migrations.findUnfinishedOfInstance(instanceId)).not.toBeNull();
  });
});
