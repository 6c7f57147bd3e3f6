export * from './actions';
export * from './decide';
export * from './downtime-steps';
export * from './merge-policy';
export * from './policy';
export * from './presets';
export * from './state';
export * from './timeouts';
