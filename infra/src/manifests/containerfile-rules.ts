/**
 * A few rules for deploy/container/Containerfile, checked without a container engine: no engine runs
 * where this was written, and hadolint is not packaged for Debian. They cover what the issue asks of
 * the images: a pinned base, a lockfile-exact install, a non-root user, a health check, no secrets.
 */
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Instructions with their continuation lines joined; comments and blank lines dropped. */
export function parseContainerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: Instruction | undefined;
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (pending === undefined && (line === '' || line.startsWith('#'))) continue;
    const continues = line.endsWith('\\');
    const body = continues ? line.slice(0, -1).trim() : line;
    if (pending) pending.args = `${pending.args} ${body}`.trim();
    else {
      const [keyword = '', ...rest] = body.split(/\s+/);
      pending = { keyword: keyword.toUpperCase(), args: rest.join(' '), line: index + 1 };
    }
    if (!continues) {
      instructions.push(pending);
      pending = undefined;
    }
  }
  return instructions;
}

interface Stage {
  name: string;
  parent: string;
  instructions: Instruction[];
}

function stagesOf(instructions: readonly Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [parent = '', , name = parent] = instruction.args.split(/\s+/);
      stages.push({ name, parent, instructions: [] });
    } else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

/** The stage and the stages it is built on, nearest first. */
function lineage(stages: readonly Stage[], stage: Stage): Stage[] {
  const parent = stages.find((candidate) => candidate.name === stage.parent);
  return parent ? [stage, ...lineage(stages, parent)] : [stage];
}

const PINNED_NODE = /^node:20\.\d+\.\d+-bookworm-slim(@sha256:[0-9a-f]{64})?$/;
const SECRET_SOURCE = /(^|\/)(\.passport|\.env|keys|secrets)(\/|$)|\.(pem|key|p12|env)$/;

function baseImageProblems(instructions: readonly Instruction[], stages: readonly Stage[]): string[] {
  const args = new Map(
    instructions
      .filter((i) => i.keyword === 'ARG' && i.args.includes('='))
      .map((i) => [i.args.slice(0, i.args.indexOf('=')), i.args.slice(i.args.indexOf('=') + 1)]),
  );
  return stages
    .filter((stage) => !stages.some((other) => other.name === stage.parent))
    .map((stage) => args.get(/^\$\{(\w+)\}$/.exec(stage.parent)?.[1] ?? '') ?? stage.parent)
    .filter((image, index, images) => !PINNED_NODE.test(image) && images.indexOf(image) === index)
    .map((image) => `base image ${image} is not a pinned node:20.x.y-bookworm-slim`);
}

function installProblems(instructions: readonly Instruction[]): string[] {
  const runs = instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
  const problems = runs.some((run) => /\bnpm ci\b/.test(run)) ? [] : ['no `npm ci` (lockfile-exact install)'];
  for (const run of runs.filter((r) => /\bnpm (install|i|add)\b/.test(r))) {
    problems.push(`\`${run}\` may change the lockfile's versions; use npm ci`);
  }
  return problems;
}

function secretCopyProblems(instructions: readonly Instruction[]): string[] {
  return instructions
    .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
    .flatMap((i) =>
      i.args
        .split(/\s+/)
        .filter((word) => !word.startsWith('--'))
        .slice(0, -1)
        .filter((source) => SECRET_SOURCE.test(source))
        .map((source) => `line ${i.line}: ${i.keyword} of ${source} would put secrets into the image`),
    );
}

/** Per final stage: who it runs as and whether the platform can ask it about its health. */
function targetProblems(stages: readonly Stage[], target: string): string[] {
  const stage = stages.find((candidate) => candidate.name === target);
  if (!stage) return [`no stage ${target}`];
  // Latest instruction first, so the first USER found is the one the container runs as.
  const inherited = lineage(stages, stage).flatMap((s) => [...s.instructions].reverse());
  const user = inherited.find((i) => i.keyword === 'USER')?.args.split(':')[0];
  const problems: string[] = [];
  if (user === undefined || user === 'root' || user === '0') problems.push(`${target}: runs as root`);
  if (!inherited.some((i) => i.keyword === 'HEALTHCHECK' && !/^NONE$/i.test(i.args))) {
    problems.push(`${target}: no HEALTHCHECK`);
  }
  return problems;
}

export function containerfileProblems(text: string, targets: readonly string[]): string[] {
  const instructions = parseContainerfile(text);
  const stages = stagesOf(instructions);
  return [
    ...baseImageProblems(instructions, stages),
    ...installProblems(instructions),
    ...secretCopyProblems(instructions),
    ...targets.flatMap((target) => targetProblems(stages, target)),
  ];
}
