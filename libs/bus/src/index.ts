export * from './kafka-client';
export * from './schema-registry-client';
export * from './create-topics';
