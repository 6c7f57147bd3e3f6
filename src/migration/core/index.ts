// Public surface of the pure migration core.
export * from './convergence';
export * from './capacity-ledger';
export * from './concurrency';
export * from './drain-planner';
export * from './job-order';
export * from './precopy-model';
export * from './rebalance-planner';
export * from './scheduler';
export * from './stats';
export * from './types';
export * from './units';
export * from './utilisation';
export * from './sim/prng';
export * from './sim/synthetic-fleet';
export * from './sim/plan-scenario';
