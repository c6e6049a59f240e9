import type { ConnectionSettings } from '@passport/config';
import type { ClusterSourceKind } from './choose';

/** A cluster that tests or programs can use, however it came to be. */
export interface RunningCluster {
  readonly kind: ClusterSourceKind;
  /** The admin principal's connection. */
  readonly connection: ConnectionSettings;
  /** JSON file `{ "principals": { "<name>": "<password>" } }` with the agencies' SCRAM passwords. */
  readonly principalsFile: string | undefined;
  /** Stops what this run started; a cluster that was already there is left running. */
  stop(): Promise<void>;
}
