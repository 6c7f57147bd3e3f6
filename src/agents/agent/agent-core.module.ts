import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TcpdumpCaptureRepository, type CaptureRepository } from './captures/tcpdump/capture.repository';
import { ExecaProcessRunner } from '../../common/process/execa-process-runner';
import { PROCESS_RUNNER, type ProcessRunner } from '../../common/process/process-runner';
import { AGENT_CONFIG, type AgentConfig } from './agent.config';
import { CAPTURE_REPOSITORY, TCP_ECHO_PROBER } from './agent.tokens';
import { nodeTcpEchoProber, type TcpEchoProberFactory } from './probes/tcp-echo.prober';

/** The seams of the agent; tests replace any of them. */
export interface AgentAdapters {
  runner?: ProcessRunner;
  captures?: CaptureRepository;
  tcpEchoProber?: TcpEchoProberFactory;
}

@Global()
@Module({})
export class AgentCoreModule {
  static forRoot(config: AgentConfig, adapters: AgentAdapters = {}): DynamicModule {
    const runner = adapters.runner ?? new ExecaProcessRunner();
    const providers: Provider[] = [
      { provide: AGENT_CONFIG, useValue: config },
      { provide: PROCESS_RUNNER, useValue: runner },
      { provide: CAPTURE_REPOSITORY, useValue: adapters.captures ?? new TcpdumpCaptureRepository(runner) },
      { provide: TCP_ECHO_PROBER, useValue: adapters.tcpEchoProber ?? nodeTcpEchoProber },
    ];
    return { module: AgentCoreModule, providers, exports: providers };
  }
}
