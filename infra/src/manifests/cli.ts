import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../profile';
import { manifestFiles, renderManifestFile, STRIMZI_DIR } from './manifest-files';
import { strimziSchemaProblems } from './crd-schemas';

/**
 * `npm run manifests` writes deploy/strimzi from the topic and ACL declaration; `-- --check` only
 * compares, and fails when a checked-in file is stale, so CI catches a declaration changed alone.
 */
function main(args: readonly string[]): number {
  const check = args.includes('--check');
  const files = manifestFiles();
  const problems = files.flatMap((file) =>
    file.resources.flatMap((resource) => strimziSchemaProblems(resource).map((p) => `${file.name}: ${p}`)),
  );
  if (problems.length > 0) {
    for (const problem of problems) console.error(`manifests: ${problem}`);
    return 1;
  }
  mkdirSync(STRIMZI_DIR, { recursive: true });
  let stale = 0;
  for (const file of files) {
    const path = join(STRIMZI_DIR, file.name);
    const text = renderManifestFile(file);
    const shown = relative(REPO_ROOT, path);
    if (!check) {
      writeFileSync(path, text);
      console.log(`Wrote ${shown} (${file.resources.length} resources, valid for Strimzi's CRD schemas).`);
    } else if (!existsSync(path) || readFileSync(path, 'utf8') !== text) {
      console.error(
        `manifests: ${shown} differs from the declaration; run \`npm run manifests\` and commit it.`,
      );
      stale += 1;
    }
  }
  if (check && stale === 0) console.log(`deploy/strimzi matches the declaration (${files.length} files).`);
  return stale > 0 ? 1 : 0;
}

process.exit(main(process.argv.slice(2)));
