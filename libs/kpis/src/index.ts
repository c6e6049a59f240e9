export * from './kpis';
export * from './statistics';
export * from './project';
export * from './from-topics';
export * from './format';
