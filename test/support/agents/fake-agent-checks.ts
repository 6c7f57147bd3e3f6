import { BadRequestException, type HttpException } from '@nestjs/common';
import { AgentError } from '../../../src/agents/client/agent.client';
import { toErrorBody } from '../../../src/agents/agent/http/agent-exception.filter';
import { agentValidationPipe } from '../../../src/agents/agent/http/validation.pipe';
import { checkHostNetworkState } from '../../../src/agents/agent/network/network-state.check';
import { HostNetworkStateDto } from '../../../src/agents/agent/network/host-network-state.dto';
import { isAgentId } from '../../../src/agents/agent/ids';
import { switchoverIdProblem, type HostNetworkState } from '../../../src/agents/protocol';

// The fake agent checks its input with the real agent's own DTOs, pipe and checks, and turns the
// agent's HTTP exceptions into the AgentError the HTTP client would throw: the two cannot disagree
// on what is refused, nor on the reason given.

const pipe = agentValidationPipe();

/** The AgentError that HttpAgentClient makes of the agent's answer to `exception`. */
export function asAgentError(host: string, exception: HttpException): AgentError {
  const body = toErrorBody(exception);
  return new AgentError(host, 'rejected', body.message, body.statusCode, body.details);
}

/** Runs a request body through the agent's validation pipe, as the route would; throws AgentError 400. */
export async function validateBody<T extends object>(host: string, dto: new () => T, body: unknown): Promise<T> {
  try {
    return (await pipe.transform(body, { type: 'body', metatype: dto })) as T;
  } catch (err) {
    if (err instanceof BadRequestException) throw asAgentError(host, err);
    throw err;
  }
}

export function rejectWith(host: string, statusCode: number, reason: string, details?: unknown): AgentError {
  return new AgentError(host, 'rejected', reason, statusCode, details);
}

export function checkSessionId(host: string, kind: 'capture' | 'probe', id: string): void {
  if (!isAgentId(id)) throw rejectWith(host, 400, `"${id}" is not a ${kind} id`);
}

/** What the agent's PUT /v1/network refuses, and the state as it keeps it (absent nullable fields are null). */
export async function checkNetworkState(host: string, input: HostNetworkState): Promise<HostNetworkState> {
  await validateBody(host, HostNetworkStateDto, structuredClone(input));
  const state: HostNetworkState = {
    ...structuredClone(input),
    routers: input.routers.map((r) => ({
      ...structuredClone(r),
      dvrHostMac: r.dvrHostMac ?? null,
      externalGateway: r.externalGateway ?? null,
    })),
  };
  const errors = checkHostNetworkState(state);
  if (state.host !== host) errors.unshift(`host: "${state.host}" is not this agent's host "${host}"`);
  if (errors.length > 0)
    throw new AgentError(
      host,
      'rejected',
      errors.join('; '),
      400,
      errors.map((reason) => ({ reasons: [reason] })),
    );
  return state;
}

export function checkSwitchoverId(host: string, id: string): void {
  const problem = switchoverIdProblem(id);
  if (problem) throw rejectWith(host, 400, problem);
}
