export * from './fixtures';
export * from './record';
export * from './replay';
export * from './golden';
export { waitForGroupCaughtUp, topicNames, type TopicNames } from '@passport/streams';
