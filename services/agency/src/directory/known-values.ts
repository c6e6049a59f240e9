import {
  NACE_REVISIONS,
  naceCode,
  PARTNERSHIP_TYPES,
  PRODUCT_CODE_SCHEMES,
  productCode,
  SIZE_BANDS,
} from '@passport/events';
import { z } from 'zod';

/**
 * The event enums end in UNKNOWN, the Avro enum default that lets a reader survive a newer writer's
 * value. A directory is written by people, not by a newer schema, so a row must name a real value. The
 * output type keeps UNKNOWN: rows stored before this check may hold it, and matching copes with it.
 */
function knownEnum<const T extends readonly string[]>(values: T) {
  const allowed = values.filter((value) => value !== 'UNKNOWN');
  const error = `must be one of ${allowed.join(', ')}`;
  return z.enum(values, { error }).refine((value) => value !== 'UNKNOWN', error);
}

export const knownSizeBand = knownEnum(SIZE_BANDS);
export const knownPartnershipType = knownEnum(PARTNERSHIP_TYPES);
export const knownNaceCode = naceCode.extend({ revision: knownEnum(NACE_REVISIONS) });
/** `safeExtend` keeps the contract's check that the code fits its scheme. */
export const knownProductCode = productCode.safeExtend({ scheme: knownEnum(PRODUCT_CODE_SCHEMES) });
