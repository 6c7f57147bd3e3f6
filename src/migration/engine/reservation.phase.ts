import { Injectable, Logger } from '@nestjs/common';
import { MigrationCaptureService } from '../../capture/migration-capture.service';
import { errorMessage } from '../hypervisor';
import { MigrationRecorder } from '../migration-recorder.service';
import { PrecopyPredictionService } from '../prediction/precopy-prediction.service';
import { InstancesRepository } from '../../inventory/repositories/instances.repository';
import { ReservationsService } from '../reservations.service';
import { failedSteps, NetworkSteps } from './network-steps';
import type { RunContext } from './run-context';

export type ReservationOutcome = { ok: true } | { ok: false; reason: string };

/** Phase 2: capacity held on the destination, the network pre-plugged there, the prediction made and the captures started. */
@Injectable()
export class ReservationPhase {
  private readonly logger = new Logger(ReservationPhase.name);

  constructor(
    private readonly recorder: MigrationRecorder,
    private readonly reservations: ReservationsService,
    private readonly network: NetworkSteps,
    private readonly prediction: PrecopyPredictionService,
    private readonly capture: MigrationCaptureService,
    private readonly instances: InstancesRepository,
  ) {}

  /** Capacity first; `prepareCopy` follows when no abort came in between. */
  async reserve(ctx: RunContext): Promise<ReservationOutcome> {
    const { migration, flavor, destination } = ctx;
    await this.recorder.enterPhase(migration, 'reservation', `${flavor.vcpus} vCPU, ${flavor.ramMiB} MiB on ${destination.name}`);
    try {
      await this.reservations.reserve(migration.id, destination.id, flavor.vcpus, flavor.ramMiB);
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: errorMessage(err) };
    }
  }

  async prepareCopy(ctx: RunContext): Promise<ReservationOutcome> {
    const { migration, instance, source, destination } = ctx;
    // The dirty-rate windows (about 3 s) are the longest wait before the copy: they run beside the pre-plug.
    const started = Date.now();
    const timed = async <T>(work: Promise<T>): Promise<[T, number]> => [await work, Date.now() - started];
    const [[plugged, prePlugMs], [, predictionMs]] = await Promise.all([
      timed(this.network.prePlug(ctx)),
      timed(this.prediction.beforeCopy(ctx)),
    ]);
    if (!plugged) {
      return { ok: false, reason: `the network could not be pre-plugged on ${destination.name}: ${failedSteps(ctx.networkSteps)}` };
    }
    const floatingIp = await this.network.floatingIpOf(instance.id);
    const captureStarted = Date.now();
    ctx.capture = await this.capture.start(migration.id, source, { guestIp: instance.ipAddress, floatingIp });
    // Where the time before the first byte goes (the fast-start budget is 2 s from the request).
    this.logger.log(
      `migration ${migration.id} before the copy: pre-plug ${prePlugMs} ms, prediction ${predictionMs} ms (together), capture start ${Date.now() - captureStarted} ms`,
    );
    await this.recorder.save(migration, { reportState: 'pending' });
    await this.instances.setState(instance.id, 'migrating');
    return { ok: true };
  }
}
