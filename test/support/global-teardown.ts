const registry = globalThis as typeof globalThis & {
  __passportCluster?: { cluster: { stop(): Promise<void> }; users: number };
};

export default async function globalTeardown(): Promise<void> {
  const shared = registry.__passportCluster;
  if (!shared) return;
  shared.users -= 1;
  if (shared.users > 0) return;
  registry.__passportCluster = undefined;
  await shared.cluster.stop();
}
