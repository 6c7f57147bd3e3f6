import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { isConstraintViolation } from '../../common/http/conflict';
import { newId } from '../../common/ids';
import { RebalanceJobs } from './rebalance-jobs.service';
import type { RebalancePolicyEntity } from './rebalance-policy.entity';
import type { CreateRebalancePolicyDto, UpdateRebalancePolicyDto } from './rebalance-policy.dto';
import type { RebalanceRunEntity } from './rebalance-run.entity';
import { RebalanceRunner } from './rebalance-runner.service';
import { RebalancePoliciesRepository } from './repositories/rebalance-policies.repository';
import { RebalanceRunsRepository } from './repositories/rebalance-runs.repository';

@Injectable()
export class RebalancePoliciesService {
  constructor(
    private readonly policies: RebalancePoliciesRepository,
    private readonly runs: RebalanceRunsRepository,
    private readonly jobs: RebalanceJobs,
    private readonly runner: RebalanceRunner,
  ) {}

  list(): Promise<RebalancePolicyEntity[]> {
    return this.policies.findAll();
  }

  async get(id: string): Promise<RebalancePolicyEntity> {
    const policy = await this.policies.findById(id);
    if (!policy) throw new NotFoundException({ message: `rebalance policy ${id} not found`, details: { id } });
    return policy;
  }

  async create(dto: CreateRebalancePolicyDto): Promise<RebalancePolicyEntity> {
    const policy = await this.orConflict(dto.name, () =>
      this.policies.insert({ id: newId(), ...dto, goal: { ...dto.goal }, enabled: dto.enabled ?? true }),
    );
    await this.jobs.sync();
    return policy;
  }

  async update(id: string, dto: UpdateRebalancePolicyDto): Promise<RebalancePolicyEntity> {
    const policy = await this.get(id);
    Object.assign(policy, dto, dto.goal ? { goal: { ...dto.goal } } : {});
    const saved = await this.orConflict(policy.name, () => this.policies.save(policy));
    await this.jobs.sync();
    return saved;
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.policies.delete(id);
    await this.jobs.sync();
  }

  /** Now, on this replica, whatever the schedule or leadership: for operators and tests. */
  async runNow(id: string): Promise<RebalanceRunEntity> {
    return this.runner.run(await this.get(id), 'manual');
  }

  async runsOf(id: string): Promise<RebalanceRunEntity[]> {
    await this.get(id);
    return this.runs.findRecentOfPolicy(id);
  }

  async run(runId: string): Promise<RebalanceRunEntity> {
    const run = await this.runs.findById(runId);
    if (!run) throw new NotFoundException({ message: `rebalance run ${runId} not found`, details: { id: runId } });
    return run;
  }

  private async orConflict(name: string, write: () => Promise<RebalancePolicyEntity>): Promise<RebalancePolicyEntity> {
    try {
      return await write();
    } catch (err) {
      if (isConstraintViolation(err))
        throw new ConflictException({ message: `a rebalance policy named ${name} exists`, details: { field: 'name' } });
      throw err;
    }
  }
}
