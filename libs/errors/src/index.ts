export * from './codes';
export * from './passport-error';
export * from './catalogue';
