export * from './codes';
export * from './passport-error';
export * from './catalogue';
export * from './trust-errors';
