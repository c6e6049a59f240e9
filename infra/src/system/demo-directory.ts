import type { Agency } from '@passport/config';
import { DEMO_SECTORS, REGION_PROFILES } from './demo-sectors';

/** A small seeded PRNG (mulberry32): the same agency always gets the same demo directory. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const seedOf = (text: string) =>
  [...text].reduce((hash, char) => Math.imul(hash ^ char.charCodeAt(0), 16_777_619), 2_166_136_261);

const TEMPLATES: Record<string, (what: string, extra: string) => string> = {
  de: (what, extra) =>
    `Mittelständischer Hersteller: ${what}. Schwerpunkt ${extra}, Export in mehrere EU-Länder.`,
  en: (what, extra) =>
    `Manufacturer specialised in ${what}, with a focus on ${extra} and customers across Europe.`,
  fr: (what, extra) =>
    `Entreprise spécialisée dans ${what}, avec un accent sur ${extra} et des clients en Europe.`,
  es: (what, extra) => `Empresa especializada en ${what}, con foco en ${extra} y clientes en Europa.`,
  ca: (what, extra) => `Empresa especialitzada en ${what}, amb focus en ${extra} i clients a Europa.`,
  it: (what, extra) => `Azienda specializzata in ${what}, con attenzione a ${extra} e clienti in Europa.`,
};

const SIZES = ['MICRO', 'SMALL', 'SMALL', 'MEDIUM', 'MEDIUM', 'LARGE'];
const PARTNERSHIPS = [
  'DISTRIBUTION',
  'SUPPLY_CONTRACT',
  'MANUFACTURING',
  'SUBCONTRACTING',
  'TECHNICAL_COOPERATION',
  'LICENSE',
  'COMMERCIAL_AGENCY',
];
const MARKETS = ['DE', 'FR', 'ES', 'IT', 'AT', 'CH', 'PT', 'PL', 'US', 'CN', 'GB', 'NL'];
const CERTIFICATES = ['ISO 9001', 'ISO 14001', 'IATF 16949', 'ISO 13485', 'IFS Food', 'ISO 27001'];

/**
 * A realistic directory for one region: `count` companies with the region's sector mix, texts in the
 * region's languages (and English), NACE and HS codes, sizes, markets and a contact person each.
 */
export function generateDemoDirectory(agency: Agency, count: number): unknown[] {
  const next = random(seedOf(agency.id));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const some = <T>(items: readonly T[], max: number): T[] =>
    items.length === 0
      ? []
      : [...new Set(Array.from({ length: 1 + Math.floor(next() * max) }, () => pick(items)))];
  const profile = REGION_PROFILES[agency.id] ?? { mix: { machinery: 1, software: 1 }, nuts: [agency.nuts] };
  const weighted = Object.entries(profile.mix).flatMap(([sector, weight]) =>
    Array.from({ length: weight }, () => sector),
  );
  const languages = [...new Set([...agency.languages, 'en'])];
  return Array.from({ length: count }, (_, index) => {
    const sector = DEMO_SECTORS[pick(weighted)] as (typeof DEMO_SECTORS)[string];
    const descriptions = Object.fromEntries(
      languages.map((lang) => {
        const words = sector.words[lang as keyof typeof sector.words] ?? sector.words.en;
        return [
          lang,
          (TEMPLATES[lang] ?? (TEMPLATES.en as (a: string, b: string) => string))(pick(words), pick(words)),
        ];
      }),
    );
    const id = `${agency.id}-${String(index + 1).padStart(5, '0')}`;
    return {
      companyId: id,
      name: `${agency.region} Demo ${index + 1}`,
      naceCodes: some(sector.nace, 2).map((code) => ({ code, revision: 'REV_2' })),
      products: some(sector.hs, 2).map((code) => ({ scheme: 'HS', code })),
      keywords: some(
        languages.flatMap((lang) => sector.words[lang as keyof typeof sector.words] ?? []),
        4,
      ),
      descriptions,
      sizeBand: pick(SIZES),
      foundingYear: 1950 + Math.floor(next() * 74),
      nutsRegion: pick(profile.nuts),
      exportMarkets: some(MARKETS, 4),
      certifications: some(CERTIFICATES, 2),
      languages,
      partnershipTypes: some(PARTNERSHIPS, 3),
      nameDisclosable: next() < 0.4,
      contact: {
        fullName: `Contact ${index + 1}`,
        role: 'Export manager',
        email: `export@${id}.demo.example`,
        phone: null,
        preferredLanguage: agency.languages[0],
      },
    };
  });
}
