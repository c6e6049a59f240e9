import { sign as ed25519Sign } from 'node:crypto';
import path from 'node:path';
import { ConfigError } from '@passport/errors';
import { hpkeOpen, type HpkeCiphertext } from './hpke-suite';
import {
  ensurePrivateDirectory,
  generationFileName,
  listGenerations,
  readPrivateFile,
  removeFile,
  writeNewPrivateFile,
} from './key-files';
import {
  newGenerationFile,
  parseGenerationFile,
  type KeyGenerationInfo,
  type LoadedGeneration,
} from './key-generation';

export interface Signature {
  keyId: string;
  signature: Buffer;
}

/** Signs as one agency with the key generation active now. */
export interface RecordSigner {
  readonly agencyId: string;
  sign(message: Uint8Array): Signature;
}

/** Opens HPKE ciphertexts for the private keys it holds; says undefined for a key it does not hold. */
export interface SealedFieldOpener {
  openHpke(keyId: string, sealed: HpkeCiphertext, aad: Uint8Array): Promise<Uint8Array | undefined>;
}

export interface AgencyKeyOptions {
  /** The clock that decides which generation signs; tests pass their own. */
  now?: () => Date;
}

const AGENCY_ID = /^[a-z][a-z0-9]{1,15}$/;

/**
 * An agency's key generations in an owner-only directory. The private keys stay in this object: it
 * signs and opens, it never hands key material out. The newest generation whose `activeFrom` has come
 * signs; every generation still on disk opens what was sealed to it.
 */
export class AgencyKeys implements RecordSigner, SealedFieldOpener {
  readonly #dir: string;
  readonly #now: () => Date;
  #generations: LoadedGeneration[];

  private constructor(
    readonly agencyId: string,
    dir: string,
    generations: LoadedGeneration[],
    now: () => Date,
  ) {
    this.#dir = dir;
    this.#generations = generations;
    this.#now = now;
  }

  /** @internal use loadOrCreateAgencyKeys */
  static async open(dir: string, agencyId: string, options: AgencyKeyOptions): Promise<AgencyKeys> {
    if (!AGENCY_ID.test(agencyId))
      throw new ConfigError('agencyId', 'agencyId must be 2-16 lower-case letters or digits');
    const now = options.now ?? (() => new Date());
    await ensurePrivateDirectory(dir);
    const numbers = await listGenerations(dir);
    if (numbers.length === 0) {
      const at = now();
      await writeNewPrivateFile(
        path.join(dir, generationFileName(1)),
        newGenerationFile(agencyId, 1, at, at),
      );
      numbers.push(1);
    }
    const generations: LoadedGeneration[] = [];
    for (const generation of numbers) {
      const file = path.join(dir, generationFileName(generation));
      generations.push(
        await parseGenerationFile(file, await readPrivateFile(file), { agencyId, generation }),
      );
    }
    return new AgencyKeys(agencyId, dir, generations, now);
  }

  /** Public facts of every generation held, oldest first. */
  generations(): readonly KeyGenerationInfo[] {
    return this.#generations.map((loaded) => loaded.info);
  }

  /** The generation that signs now: the newest whose activeFrom has come. */
  current(): KeyGenerationInfo {
    return this.#active().info;
  }

  sign(message: Uint8Array): Signature {
    return signWith(this.#active(), message);
  }

  /** Signs with a named generation, active or not; rotation statements need the old and the new key. */
  signWithGeneration(generation: number, message: Uint8Array): Signature {
    return signWith(this.#find(generation), message);
  }

  async openHpke(keyId: string, sealed: HpkeCiphertext, aad: Uint8Array): Promise<Uint8Array | undefined> {
    const loaded = this.#generations.find((candidate) => candidate.info.encryptionKeyId === keyId);
    return loaded === undefined ? undefined : hpkeOpen(loaded.recipientKey, sealed, aad);
  }

  /**
   * Creates the next generation, signing only from `activeFrom` on: in between, partners learn its
   * public keys (a rotation statement) while the current generation still signs. The previous
   * generations stay on disk to open what was sealed to them until forgetGeneration.
   */
  async rotate(activeFrom: Date): Promise<KeyGenerationInfo> {
    const latest = this.#generations[this.#generations.length - 1];
    const generation = (latest?.info.generation ?? 0) + 1;
    if (activeFrom.getTime() <= this.#now().getTime())
      throw new ConfigError('activeFrom', 'activeFrom must lie ahead: a key is announced before it signs');
    if (latest !== undefined && activeFrom.getTime() <= latest.info.activeFrom.getTime())
      throw new ConfigError('activeFrom', 'activeFrom must be later than that of the latest generation');
    const file = path.join(this.#dir, generationFileName(generation));
    await writeNewPrivateFile(file, newGenerationFile(this.agencyId, generation, this.#now(), activeFrom));
    const loaded = await parseGenerationFile(file, await readPrivateFile(file), {
      agencyId: this.agencyId,
      generation,
    });
    this.#generations = [...this.#generations, loaded];
    return loaded.info;
  }

  /**
   * Deletes an older generation's file: nothing sealed to it opens any more, here or from any copy.
   * The generation that signs now and any later one are kept.
   */
  async forgetGeneration(generation: number): Promise<void> {
    const loaded = this.#find(generation);
    if (generation >= this.#active().info.generation)
      throw new ConfigError('generation', `generation ${generation} signs now or later; rotate first`);
    await removeFile(path.join(this.#dir, generationFileName(generation)));
    this.#generations = this.#generations.filter((candidate) => candidate !== loaded);
  }

  #active(): LoadedGeneration {
    const now = this.#now().getTime();
    const active = this.#generations.filter((loaded) => loaded.info.activeFrom.getTime() <= now);
    const newest = active[active.length - 1] ?? this.#generations[0];
    if (newest === undefined) throw new ConfigError('generation', `agency ${this.agencyId} holds no keys`);
    return newest;
  }

  #find(generation: number): LoadedGeneration {
    const loaded = this.#generations.find((candidate) => candidate.info.generation === generation);
    if (loaded === undefined)
      throw new ConfigError('generation', `agency ${this.agencyId} holds no key generation ${generation}`);
    return loaded;
  }
}

function signWith(loaded: LoadedGeneration, message: Uint8Array): Signature {
  return { keyId: loaded.info.signingKeyId, signature: ed25519Sign(null, message, loaded.signingKey) };
}

/**
 * The agency's keys from `dir`, creating the first generation (Ed25519 for signing, X25519 for HPKE)
 * on first start. Refuses a directory or file others can read, and a file that is not a key of ours.
 */
export function loadOrCreateAgencyKeys(
  dir: string,
  agencyId: string,
  options: AgencyKeyOptions = {},
): Promise<AgencyKeys> {
  return AgencyKeys.open(dir, agencyId, options);
}
