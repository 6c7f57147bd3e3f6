import { randomUUID } from 'node:crypto';
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { dateColumn } from '../column-types';

/**
 * The guest's resume on the destination, from libvirt's event, ends the pause on the report's time axis.
 * The desired network state gets a generation: this database's identity, sent with every revision. An agent
 * holding another generation's state refuses a push until the controller takes it over deliberately.
 */
export class NetworkGeneration1732320000000 implements MigrationInterface {
  name = 'NetworkGeneration1732320000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('network_revision', new TableColumn({ name: 'generation', type: 'varchar', length: '36', isNullable: true }));
    await runner.addColumn('live_migrations', new TableColumn(dateColumn(runner, 'guest_resumed_at')));
    // A UUID of our own making: hex digits and dashes only, safe to inline on either database.
    await runner.query(`UPDATE network_revision SET generation = '${randomUUID()}' WHERE id = 1`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('network_revision', 'generation');
    await runner.dropColumn('live_migrations', 'guest_resumed_at');
  }
}
