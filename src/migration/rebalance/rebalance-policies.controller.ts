import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/http/api-errors.decorator';
import { LeaderElection } from '../leader/leader-election.service';
import { CreateRebalancePolicyDto, UpdateRebalancePolicyDto } from './rebalance-policy.dto';
import { RebalancePoliciesService } from './rebalance-policies.service';
import { LeadershipDto, RebalancePolicyResponseDto, RebalanceRunDto } from './rebalance-response.dto';

@ApiTags('rebalancing')
@ApiBearerAuth()
@ApiErrors()
@Controller()
export class RebalancePoliciesController {
  constructor(
    private readonly policies: RebalancePoliciesService,
    private readonly leader: LeaderElection,
  ) {}

  // Before the :id routes, so "leader" is not taken for an id.
  @Get('rebalance-policies/leader')
  @ApiOkResponse({ type: LeadershipDto, description: 'whether this replica runs policy jobs (PostgreSQL advisory lock; SQLite: always)' })
  leadership() {
    return this.leader.view();
  }

  @Get('rebalance-policies')
  @ApiOkResponse({ type: [RebalancePolicyResponseDto], description: 'every policy' })
  list() {
    return this.policies.list();
  }

  @Post('rebalance-policies')
  @ApiCreatedResponse({ type: RebalancePolicyResponseDto, description: 'the policy; when enabled its cron job is registered' })
  create(@Body() dto: CreateRebalancePolicyDto) {
    return this.policies.create(dto);
  }

  @Get('rebalance-policies/:id')
  @ApiOkResponse({ type: RebalancePolicyResponseDto })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.policies.get(id);
  }

  @Patch('rebalance-policies/:id')
  @ApiOkResponse({ type: RebalancePolicyResponseDto, description: 'the policy; its cron job is re-registered, or removed when disabled' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateRebalancePolicyDto) {
    return this.policies.update(id, dto);
  }

  @Delete('rebalance-policies/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'deleted; its cron job is removed (its runs stay for the audit)' })
  remove(@Param('id', ParseUUIDPipe) id: string) {
    return this.policies.remove(id);
  }

  @Post('rebalance-policies/:id/run')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: RebalanceRunDto,
    description: 'the recorded run; in execute mode its migrations go on in the background (state running)',
  })
  run(@Param('id', ParseUUIDPipe) id: string) {
    return this.policies.runNow(id);
  }

  @Get('rebalance-policies/:id/runs')
  @ApiOkResponse({ type: [RebalanceRunDto], description: 'recent runs of the policy, newest first' })
  runs(@Param('id', ParseUUIDPipe) id: string) {
    return this.policies.runsOf(id);
  }

  @Get('rebalance-runs/:id')
  @ApiOkResponse({ type: RebalanceRunDto, description: 'one run: inputs, moves with reasons, stddev before/after, results' })
  getRun(@Param('id', ParseUUIDPipe) id: string) {
    return this.policies.run(id);
  }
}
