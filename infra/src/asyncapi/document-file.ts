import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAgencies } from '@passport/config';
import { REPO_ROOT } from '../profile';
import { buildAsyncApiDocument } from './build-document';

/** docs/asyncapi.json is committed so the contract can be read without running anything. */
export const ASYNCAPI_FILE = join(REPO_ROOT, 'docs', 'asyncapi.json');

/** The document for this checkout: its schemas, topic declaration, agency list and the local cluster. */
export function currentAsyncApiDocument() {
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return buildAsyncApiDocument(loadAgencies(), {
    version,
    brokers: '127.0.0.1:19092',
    registryUrl: 'http://127.0.0.1:18081/apis/ccompat/v7',
    replicas: 1,
  });
}
