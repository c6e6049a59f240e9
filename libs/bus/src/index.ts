export * from './kafka-client';
export * from './schema-registry-client';
export * from './https-call';
export * from './registry-call';
export * from './create-topics';
