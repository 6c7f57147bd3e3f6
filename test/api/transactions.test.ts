import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transactions } from '../../src/common/repositories/transactions';
import { FlavorsRepository } from '../../src/inventory/repositories/flavors.repository';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../support/api/test-database';
import { startTestApp } from '../support/api/test-app';

const flavor = (id: string, name: string) => ({ id, name, vcpus: 1, ramMiB: 64, diskGiB: 1 });

describe.each<DatabaseKind>(['sqlite', 'postgres'])('repository transactions on %s', (kind) => {
  let db: TestDatabase;
  let app: INestApplication;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    app = await startTestApp({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('commits every write of the callback together', async () => {
    const flavors = app.get(FlavorsRepository);
    await app.get(Transactions).run(async (tx) => {
      await flavors.inTransaction(tx).insert(flavor('00000000-0000-4000-8000-0000000000a1', 'tx.a'));
      await flavors.inTransaction(tx).insert(flavor('00000000-0000-4000-8000-0000000000a2', 'tx.b'));
    });
    expect(await flavors.existsByName('tx.a')).toBe(true);
    expect(await flavors.existsByName('tx.b')).toBe(true);
  });

  it('rolls every write back when the callback fails, and the failure reaches the caller', async () => {
    const flavors = app.get(FlavorsRepository);
    const failing = app.get(Transactions).run(async (tx) => {
      await flavors.inTransaction(tx).insert(flavor('00000000-0000-4000-8000-0000000000b1', 'tx.c'));
      // Inside the transaction the write is visible; outside it is not yet.
      expect(await flavors.inTransaction(tx).existsByName('tx.c')).toBe(true);
      throw new Error('second step failed');
    });
    await expect(failing).rejects.toThrow('second step failed');
    expect(await flavors.existsByName('tx.c')).toBe(false);
  });
});
