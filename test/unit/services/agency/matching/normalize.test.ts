import { LANGUAGES } from '@passport/events';
import { companyTerms, profileTerms, terms } from '@passport/agency-service/matching/normalize';
import { stem } from '@passport/agency-service/matching/stemmer';
import { VARIANTS } from '@passport/agency-service/matching/synonyms';
import { cooperationRequestedSample } from '../../../../fixtures/events';
import { validateOutgoing, type NeedsProfile } from '@passport/events';

type Words = Record<(typeof LANGUAGES)[number], string[]>;

/** Each concept as the six languages write it, singular and plural, in the texts of that language. */
const CONCEPTS: Record<string, Words> = {
  distribution: {
    en: ['distribution', 'distributors'],
    de: ['Vertrieb', 'Distribution'],
    fr: ['distribution', 'distributeurs'],
    it: ['distribuzione', 'distributori'],
    es: ['distribución', 'distribuidores'],
    ca: ['distribució', 'distribuïdors'],
  },
  automotive: {
    en: ['automotive', 'vehicles'],
    de: ['Automobil', 'Fahrzeuge'],
    fr: ['automobile', 'véhicules'],
    it: ['automotive', 'veicoli'],
    es: ['automoción', 'vehículos'],
    ca: ['automoció', 'vehicles'],
  },
  energy: {
    en: ['energy'],
    de: ['Energie'],
    fr: ['énergie', 'énergétique'],
    it: ['energia'],
    es: ['energía'],
    ca: ['energia'],
  },
  chemicals: {
    en: ['chemicals', 'chemical'],
    de: ['Chemie', 'Chemikalien'],
    fr: ['chimie', 'chimiques'],
    it: ['chimica', 'chimici'],
    es: ['química', 'químicos'],
    ca: ['química', 'químics'],
  },
  gears: {
    en: ['gears', 'gearboxes'],
    de: ['Zahnräder', 'Getriebe'],
    fr: ['engrenages'],
    it: ['ingranaggi'],
    es: ['engranajes'],
    ca: ['engranatges'],
  },
  automation: {
    en: ['automation'],
    de: ['Automatisierung'],
    fr: ['automatisation'],
    it: ['automazione'],
    es: ['automatización'],
    ca: ['automatització'],
  },
};

describe('per-language stemming', () => {
  it('strips English endings to the stems the other languages reach', () => {
    expect(stem('distribution', 'en')).toBe('distribut');
    expect(stem('automotive', 'en')).toBe('automot');
    expect(stem('energy', 'en')).toBe('energ');
    expect(stem('chemicals', 'en')).toBe('chemic');
  });

  it("uses each language's own endings", () => {
    expect(stem('distribution', 'fr')).toBe('distribut');
    expect(stem('maschinen', 'de')).toBe('maschin');
    expect(stem('elettronica', 'it')).toBe('elettron');
    expect(stem('distribucion', 'es')).toBe('distribuc');
    expect(stem('distribucio', 'ca')).toBe('distribuc');
  });

  it('falls back to the generic endings for an unknown language', () => {
    expect(stem('zahnrader')).toBe('zahnrad');
    expect(stem('gears', 'xx')).toBe('gear');
  });
});

describe('terms across languages', () => {
  it.each(Object.entries(CONCEPTS))('brings %s in all six languages to one term', (_, words) => {
    const found = new Set(
      Object.entries(words).flatMap(([language, list]) => list.flatMap((word) => terms(word, language))),
    );
    expect(found.size).toBe(1);
  });

  it('reaches the same term for a keyword, whose language is unknown', () => {
    for (const words of Object.values(CONCEPTS)) {
      const [first] = terms(words.en[0] as string, 'en');
      for (const word of Object.values(words).flat()) expect(terms(word)).toEqual([first]);
    }
  });

  it('maps every variant of the synonym table to one concept only', () => {
    const concepts = new Map<string, string[]>();
    for (const [variant, concept] of VARIANTS)
      concepts.set(variant, [...(concepts.get(variant) ?? []), concept]);
    expect([...concepts].filter(([, list]) => list.length > 1)).toEqual([]);
  });
});

describe('the texts a request and a company are matched on', () => {
  const profile = (validateOutgoing(cooperationRequestedSample) as { payload: { profile: NeedsProfile } })
    .payload.profile;

  it("stems a request's texts in their language and its keywords in any", () => {
    const english = profileTerms({
      ...profile,
      title: 'Energy distribution',
      summary: 'Automotive',
      description: 'Chemicals',
      textLanguage: 'en',
      translations: [],
      keywords: ['Zahnräder'],
    });
    expect([...english].sort()).toEqual(['automot', 'chemic', 'distribut', 'energ', 'gear']);
  });

  it("stems a company's description per language, so the request meets it", () => {
    const company = companyTerms({
      keywords: ['distribuzione'],
      descriptions: { de: 'Vertrieb von Chemie und Energie', es: 'Automoción' },
    });
    expect([...company].sort()).toEqual(['automot', 'chemic', 'distribut', 'energ']);
  });

  it('meets a keyword in a description of any language, also for words the synonym table does not know', () => {
    const keywords = companyTerms({
      keywords: ['bearings', 'coatings', 'precision', 'roulements', 'logistica', 'metálicas'],
      descriptions: { en: 'x' },
    });
    const described = new Set([
      ...terms('Supplier of precision bearings and industrial coatings', 'en'),
      ...terms('Roulements et revêtements', 'fr'),
      ...terms('Servizi di logistica', 'it'),
      ...terms('Piezas metálicas', 'es'),
    ]);
    for (const term of keywords) if (term !== 'x') expect(described).toContain(term);
    expect(terms('piezas metálicas', 'es')).toEqual(terms('pieza metálica', 'es'));
  });

  it('reads German Händler and Großhändler as distributors', () => {
    expect(terms('Händler Großhändler', 'de')).toEqual(['distribut', 'distribut']);
  });
});
