import { randomUUID } from 'node:crypto';
import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The desired network state gets a generation: this database's identity, sent with every revision. An agent
 * holding another generation's state refuses a push until the controller takes it over deliberately.
 */
export class NetworkGeneration1732320000000 implements MigrationInterface {
  name = 'NetworkGeneration1732320000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('network_revision', new TableColumn({ name: 'generation', type: 'varchar', length: '36', isNullable: true }));
    // A UUID of our own making: hex digits and dashes only, safe to inline on either database.
    await runner.query(`UPDATE network_revision SET generation = '${randomUUID()}' WHERE id = 1`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('network_revision', 'generation');
  }
}
