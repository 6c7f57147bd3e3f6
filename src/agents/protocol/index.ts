// The host agent's wire contract: bodies, routes and the desired host network state.
export * from './agent-api';
export * from './agent-routes';
export * from './host-network-state';
export * from './switchover-id';
