import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@passport/errors';
import { z } from 'zod';

/**
 * Principal names the exchange itself uses: `admin` is the cluster's super user and the registry's
 * writer, `controller` the controllers' own login. An agency under one of them would hold their powers.
 */
const RESERVED_PRINCIPALS = ['admin', 'controller'];

/** Lower-case letters and digits only: the id becomes a SCRAM principal and a consumer-group prefix. */
const agencyIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]{1,15}$/, 'must be 2-16 lower-case letters or digits')
  .refine((id) => !RESERVED_PRINCIPALS.includes(id), {
    error: `must not be ${RESERVED_PRINCIPALS.join(' or ')}: those principals belong to the exchange's operators`,
  });

export const agencySchema = z.object({
  id: agencyIdSchema,
  name: z.string().min(1),
  region: z.string().min(1),
  nuts: z.string().regex(/^[A-Z]{2}[A-Z0-9]{0,3}$/, 'must be a NUTS code such as DE1 or ITC4'),
  iso3166_2: z.string().regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'must be an ISO 3166-2 code such as DE-BW'),
  languages: z.array(z.string().regex(/^[a-z]{2}$/)).min(1),
  /**
   * How the agency's service logs in to the shared cluster: its SCRAM password (the default), or its
   * client certificate on the mTLS listener (`tls`; the service then runs with KAFKA_AUTH=mtls). The
   * Strimzi KafkaUser follows it.
   */
  kafkaAuthentication: z.enum(['scram-sha-512', 'tls'], { error: 'must be scram-sha-512 or tls' }).optional(),
});

export type Agency = Readonly<z.infer<typeof agencySchema>>;

const agencyListSchema = z
  .array(agencySchema)
  .min(2, 'the exchange needs at least two agencies')
  .refine((list) => new Set(list.map((a) => a.id)).size === list.length, 'agency ids must be unique');

/** The default agency list shipped with the product; PASSPORT_AGENCIES_FILE points to another. */
export const DEFAULT_AGENCIES_FILE = join(__dirname, '..', 'agencies.json');

export function loadAgencies(
  file: string = process.env.PASSPORT_AGENCIES_FILE ?? DEFAULT_AGENCIES_FILE,
): readonly Agency[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(
      'PASSPORT_AGENCIES_FILE',
      `Cannot read the agency list ${file}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const parsed = agencyListSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // Named as in the list: `agencies.4.id` is the fifth entry's id (the file itself is the array).
    const where = issue?.path.length ? ` at ${['agencies', ...issue.path].join('.')}` : '';
    throw new ConfigError(
      'PASSPORT_AGENCIES_FILE',
      `Agency list ${file} is invalid${where}: ${issue?.message}`,
      {
        cause: parsed.error,
      },
    );
  }
  return Object.freeze(parsed.data.map((agency) => Object.freeze({ ...agency })));
}
