export * from './topics';
export * from './groups';
export * from './tail';
export * from './trace';
export * from './dlq';
export * from './transfer';
export * from './replay';
export * from './kpis';
