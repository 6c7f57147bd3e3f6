import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { isConstraintViolation } from '../../common/http/conflict';
import { newId } from '../../common/ids';
import { RebalanceJobs } from './rebalance-jobs.service';
import { RebalancePolicyEntity } from './rebalance-policy.entity';
import type { CreateRebalancePolicyDto, UpdateRebalancePolicyDto } from './rebalance-policy.dto';
import { RebalanceRunEntity } from './rebalance-run.entity';
import { RebalanceRunner } from './rebalance-runner.service';

@Injectable()
export class RebalancePoliciesService {
  constructor(
    @InjectRepository(RebalancePolicyEntity) private readonly policies: Repository<RebalancePolicyEntity>,
    @InjectRepository(RebalanceRunEntity) private readonly runs: Repository<RebalanceRunEntity>,
    private readonly jobs: RebalanceJobs,
    private readonly runner: RebalanceRunner,
  ) {}

  list(): Promise<RebalancePolicyEntity[]> {
    return this.policies.find({ order: { name: 'ASC' } });
  }

  async get(id: string): Promise<RebalancePolicyEntity> {
    const policy = await this.policies.findOneBy({ id });
    if (!policy) throw new NotFoundException({ message: `rebalance policy ${id} not found`, details: { id } });
    return policy;
  }

  async create(dto: CreateRebalancePolicyDto): Promise<RebalancePolicyEntity> {
    const policy = await this.saveOrConflict(
      this.policies.create({ id: newId(), ...dto, goal: { ...dto.goal }, enabled: dto.enabled ?? true }),
    );
    await this.jobs.sync();
    return policy;
  }

  async update(id: string, dto: UpdateRebalancePolicyDto): Promise<RebalancePolicyEntity> {
    const policy = await this.get(id);
    Object.assign(policy, dto, dto.goal ? { goal: { ...dto.goal } } : {});
    const saved = await this.saveOrConflict(policy);
    await this.jobs.sync();
    return saved;
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.policies.delete({ id });
    await this.jobs.sync();
  }

  /** Now, on this replica, whatever the schedule or leadership: for operators and tests. */
  async runNow(id: string): Promise<RebalanceRunEntity> {
    return this.runner.run(await this.get(id), 'manual');
  }

  async runsOf(id: string): Promise<RebalanceRunEntity[]> {
    await this.get(id);
    return this.runs.find({ where: { policyId: id }, order: { createdAt: 'DESC' }, take: 100 });
  }

  async run(runId: string): Promise<RebalanceRunEntity> {
    const run = await this.runs.findOneBy({ id: runId });
    if (!run) throw new NotFoundException({ message: `rebalance run ${runId} not found`, details: { id: runId } });
    return run;
  }

  private async saveOrConflict(policy: RebalancePolicyEntity): Promise<RebalancePolicyEntity> {
    try {
      return await this.policies.save(policy);
    } catch (err) {
      if (isConstraintViolation(err))
        throw new ConflictException({ message: `a rebalance policy named ${policy.name} exists`, details: { field: 'name' } });
      throw err;
    }
  }
}
