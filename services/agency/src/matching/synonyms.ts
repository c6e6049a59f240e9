/**
 * Common sector terms of the four regions' languages, each mapped to one canonical English stem, so a
 * German "Zahnrad" finds a Catalan "engranatge". Keys are already normalised (lower case, no accents,
 * stemmed); extend by adding a line.
 */
const GROUPS: Record<string, string[]> = {
  gear: ['gear', 'zahnrad', 'getrieb', 'engrenag', 'engranaj', 'engranatg', 'ingranaggi', 'ingranagg'],
  machin: ['machin', 'maschin', 'maquin', 'macchin', 'maquinari', 'macchinari'],
  distribut: [
    'distribut',
    'distributor',
    'handl',
    'vertrieb',
    'grosshandl',
    'distributeur',
    'distribuidor',
    'distribuid',
    'distributor',
    'distributr',
    'distribuzion',
    'distribucio',
    'distribucion',
  ],
  automot: [
    'automot',
    'automobil',
    'fahrzeug',
    'kfz',
    'automobile',
    'automocion',
    'automocio',
    'automobilistic',
    'vehicul',
    'veicol',
  ],
  food: [
    'food',
    'lebensmittel',
    'nahrungsmittel',
    'alimentair',
    'alimentari',
    'aliment',
    'alimentacion',
    'alimentacio',
    'alimentar',
  ],
  packag: ['packag', 'verpackung', 'emballag', 'envas', 'embalatg', 'embalaj', 'imballagg', 'confezion'],
  sensor: ['sensor', 'capteur', 'sensori', 'sensore'],
  medic: ['medic', 'medizin', 'medizintechn', 'medical', 'medicall', 'medicin', 'sanitari', 'medtech'],
  textil: ['textil', 'tessil', 'textile'],
  plastic: ['plastic', 'kunststoff', 'plastiqu', 'plastico', 'plastica', 'plastich'],
  metal: ['metal', 'metall', 'metalli', 'metallo', 'metallurg'],
  robot: ['robot', 'robotik', 'robotiqu', 'robotic', 'robotica'],
  energ: ['energ', 'energi', 'energia', 'energetiqu'],
  chemic: ['chemic', 'chemi', 'chimiqu', 'quimic', 'chimic'],
  softwar: ['softwar', 'logiciel', 'programari'],
  aerospac: ['aerospac', 'luftfahrt', 'raumfahrt', 'aeronaut', 'aerospatial', 'aeroespacial', 'aerospazial'],
  cast: ['cast', 'guss', 'giesserei', 'fonderi', 'fundicion', 'fundicio', 'fonder'],
  tool: ['tool', 'werkzeug', 'outil', 'herramient', 'eina', 'utensil'],
  wine: ['wine', 'wein', 'vin', 'vino', 'vi'],
  electron: ['electron', 'elektron', 'electroniqu', 'electronic', 'elettron'],
};

export const SYNONYMS: ReadonlyMap<string, string> = new Map(
  Object.entries(GROUPS).flatMap(([canonical, variants]) =>
    variants.map((variant) => [variant, canonical] as const),
  ),
);
