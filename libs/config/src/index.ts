export * from './env';
export * from './agencies';
export * from './topics';
export * from './connection';
export * from './config-file';
