export * from './kafka-client';
export * from './schema-registry-client';
