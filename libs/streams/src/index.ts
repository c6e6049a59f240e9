export * from './topic-names';
export * from './positions';
export * from './read-range';
export * from './decode';
export * from './group-progress';
