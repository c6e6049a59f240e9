/**
 * SEALED_INTRODUCTIONS (README "Sealed personal data"):
 * - `required` (default): introductions travel sealed on passport.introductions.v2; to a partner that
 *   announced no introduction key (a version before sealing) the API answers 409 and sends nothing.
 * - `fallback-to-clear`: sealed where the partner announced a key, clear on v1 where it did not; for
 *   the rolling upgrade only.
 * - `off`: the behaviour before sealing (no key announced, clear v1 sent); a rollback switch.
 * Sealed events received are opened in every mode.
 */
export const SEALING_MODES = ['required', 'fallback-to-clear', 'off'] as const;
export type SealingMode = (typeof SEALING_MODES)[number];
export const DEFAULT_SEALING: SealingMode = 'required';
