export interface AgentConfig {
  /** The name this agent reports; the controller checks it against its inventory. */
  host: string;
  token: string;
  /** Where captures and probe pcaps are written. */
  dataDir: string;
  /** Nova's instances_path on this host; the only directory markers are written into. */
  instancesPath: string;
  version: string;
}

export const AGENT_CONFIG = Symbol('AgentConfig');

export const DEFAULT_AGENT_DATA_DIR = '/var/lib/livemig-agent';
export const DEFAULT_INSTANCES_PATH = '/var/lib/nova/instances';
