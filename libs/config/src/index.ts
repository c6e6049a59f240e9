export * from './env';
export * from './agencies';
export * from './topics';
export * from './connection';
export * from './kafka-tls';
export * from './config-file';
