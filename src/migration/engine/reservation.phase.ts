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

/** Phase 2: capacity held on the destination; then together the network pre-plugged there, the prediction made and the captures started. */
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
    // The fast start: pre-plug, the prediction's readings and the captures are independent, so they run together
    // and the copy waits only for the longest (the captures stop with the report whatever happens next).
    const started = Date.now();
    const timed = async <T>(work: Promise<T>): Promise<[T, number]> => [await work, Date.now() - started];
    const startCapture = async () => {
      const floatingIp = await this.network.floatingIpOf(instance.id);
      ctx.capture = await this.capture.start(migration.id, source, { guestIp: instance.ipAddress, floatingIp });
    };
    const [[plugged, prePlugMs], [, predictionMs], [, captureMs]] = await Promise.all([
      timed(this.network.prePlug(ctx)),
      timed(this.prediction.beforeCopy(ctx)),
      timed(startCapture()),
    ]);
    // Where the time before the first byte goes (the fast-start budget is 2 s from the request); the copy's phase says it too.
    ctx.readyDetail = `ready after pre-plug ${prePlugMs} ms, prediction ${predictionMs} ms, capture start ${captureMs} ms (together)`;
    this.logger.log(`migration ${migration.id} before the copy: ${ctx.readyDetail}`);
    if (!plugged) {
      return { ok: false, reason: `the network could not be pre-plugged on ${destination.name}: ${failedSteps(ctx.networkSteps)}` };
    }
    await this.recorder.save(migration, { reportState: 'pending' });
    await this.instances.setState(instance.id, 'migrating');
    return { ok: true };
  }
}
