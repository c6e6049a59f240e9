/**
 * Sector vocabulary for the generated demo directories: NACE classes, HS headings and a few words per
 * language, so generated companies read naturally in their region's languages and match across them.
 */
export interface DemoSector {
  nace: string[];
  hs: string[];
  words: Record<'de' | 'en' | 'fr' | 'es' | 'ca' | 'it', string[]>;
}

export const DEMO_SECTORS: Record<string, DemoSector> = {
  machinery: {
    nace: ['28.15', '28.41', '28.99', '28.22'],
    hs: ['848340', '845710', '847990'],
    words: {
      de: ['Zahnräder', 'Getriebe', 'Maschinenbau', 'Werkzeugmaschinen'],
      en: ['gears', 'gearboxes', 'machine building', 'machine tools'],
      fr: ['engrenages', 'machines-outils', 'mécanique'],
      es: ['engranajes', 'maquinaria', 'máquinas herramienta'],
      ca: ['engranatges', 'maquinària', 'màquines eina'],
      it: ['ingranaggi', 'macchine utensili', 'meccanica'],
    },
  },
  automotive: {
    nace: ['29.32', '29.31', '22.29'],
    hs: ['870899', '870830'],
    words: {
      de: ['Fahrzeugteile', 'Automobilzulieferer'],
      en: ['automotive parts', 'vehicle components'],
      fr: ['équipementier automobile', 'pièces automobiles'],
      es: ['automoción', 'componentes de vehículo'],
      ca: ['automoció', 'components de vehicle'],
      it: ['componenti automobilistici', 'automotive'],
    },
  },
  electronics: {
    nace: ['26.51', '26.11', '27.12'],
    hs: ['903180', '854239'],
    words: {
      de: ['Sensoren', 'Elektronik', 'Messtechnik'],
      en: ['sensors', 'electronics', 'measurement'],
      fr: ['capteurs', 'électronique'],
      es: ['sensores', 'electrónica'],
      ca: ['sensors', 'electrònica'],
      it: ['sensori', 'elettronica'],
    },
  },
  food: {
    nace: ['10.51', '10.71', '10.39', '11.02'],
    hs: ['040690', '190590', '220421'],
    words: {
      de: ['Lebensmittel', 'Käse', 'Backwaren', 'Wein'],
      en: ['food', 'cheese', 'bakery', 'wine'],
      fr: ['alimentaire', 'fromage', 'vin'],
      es: ['alimentación', 'queso', 'vino'],
      ca: ['alimentació', 'formatge', 'vi'],
      it: ['alimentari', 'formaggio', 'vino'],
    },
  },
  chemicals: {
    nace: ['20.59', '20.14', '21.20'],
    hs: ['382499', '300490'],
    words: {
      de: ['Chemie', 'Spezialchemikalien', 'Pharma'],
      en: ['chemicals', 'specialty chemicals', 'pharmaceuticals'],
      fr: ['chimie', 'pharmacie'],
      es: ['química', 'farmacéutica'],
      ca: ['química', 'farmacèutica'],
      it: ['chimica', 'farmaceutica'],
    },
  },
  textiles: {
    nace: ['13.20', '14.13', '13.96'],
    hs: ['520942', '620342'],
    words: {
      de: ['Textil', 'Stoffe', 'Mode'],
      en: ['textiles', 'fabrics', 'fashion'],
      fr: ['textile', 'tissus', 'mode'],
      es: ['textil', 'tejidos', 'moda'],
      ca: ['tèxtil', 'teixits', 'moda'],
      it: ['tessile', 'tessuti', 'moda'],
    },
  },
  metal: {
    nace: ['25.62', '25.11', '24.53'],
    hs: ['732690', '760421'],
    words: {
      de: ['Metallbearbeitung', 'Guss', 'Blech'],
      en: ['metalworking', 'castings', 'sheet metal'],
      fr: ['métallurgie', 'fonderie', 'tôlerie'],
      es: ['metalurgia', 'fundición', 'chapa'],
      ca: ['metal·lúrgia', 'foneria', 'xapa'],
      it: ['metallurgia', 'fonderia', 'lamiera'],
    },
  },
  software: {
    nace: ['62.01', '62.02', '71.12'],
    hs: [],
    words: {
      de: ['Software', 'Automatisierung', 'Ingenieurdienstleistungen'],
      en: ['software', 'automation', 'engineering services'],
      fr: ['logiciel', 'automatisation', 'ingénierie'],
      es: ['software', 'automatización', 'ingeniería'],
      ca: ['programari', 'automatització', 'enginyeria'],
      it: ['software', 'automazione', 'ingegneria'],
    },
  },
};

/** Each region's sector mix (weights) and NUTS 3 codes, after the regions' industrial profiles. */
export const REGION_PROFILES: Record<string, { mix: Record<string, number>; nuts: string[] }> = {
  bwi: {
    mix: { machinery: 30, automotive: 25, electronics: 15, metal: 15, software: 10, chemicals: 5 },
    nuts: ['DE111', 'DE112', 'DE113', 'DE122', 'DE132', 'DE144'],
  },
  aura: {
    mix: { metal: 20, chemicals: 20, electronics: 15, machinery: 15, food: 15, software: 10, textiles: 5 },
    nuts: ['FRK21', 'FRK22', 'FRK24', 'FRK25', 'FRK26', 'FRK27', 'FRK14'],
  },
  accio: {
    mix: { food: 25, chemicals: 20, automotive: 15, textiles: 10, software: 15, machinery: 10, metal: 5 },
    nuts: ['ES511', 'ES512', 'ES513', 'ES514'],
  },
  promos: {
    mix: { textiles: 25, machinery: 25, food: 15, metal: 15, software: 10, chemicals: 10 },
    nuts: ['ITC41', 'ITC42', 'ITC44', 'ITC46', 'ITC4C', 'ITC4D'],
  },
};
