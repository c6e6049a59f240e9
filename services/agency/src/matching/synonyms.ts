/**
 * Common sector terms of the four regions' languages and English, each mapped to one canonical stem, so a
 * German "Zahnrad" finds a Catalan "engranatge". Variants are written normalised (lower case, no
 * accents) and as the stemmers leave them: a word is looked up by its own language's stem, as written,
 * and by the other languages' stems (normalize.ts), so one spelling per stem is enough. The concepts are
 * those of the demo directories' sectors (infra/src/system/demo-sectors.ts) and their neighbours;
 * extend by adding a word to a line. A variant belongs to one concept only (a unit test checks).
 */
const GROUPS: Record<string, string> = {
  gear: 'gear gearbox zahnrad getrieb engrenag engranaj engranatg ingranaggi ingranagg',
  machin: 'machin machiner maschin maschinenbau werkzeugmaschin maquin maquinari macchin macchinari',
  mechan: 'mechan mechanic mechanik mecan mecaniqu meccan meccanic',
  tool: 'tool werkzeug outil herramient eina utensil',
  distribut:
    'distribut distributio distributor distributr distributeur vertrieb handel grosshandel handl grosshandl ' +
    'distribuzion distribuz distribuidor distribuid distribucion distribucio distribuc',
  automot:
    'automot automotiv automobil automobile automobilindustri automobilzuliefer fahrzeug fahrzeugteil ' +
    'kfz automocion automocio automoc automobilistic automobilist vehicul vehicl veicol',
  component: 'component komponent composant',
  electron: 'electron electronic electroniqu elektron elektronik elettron',
  sensor: 'sensor capteur sensori sensore',
  measur: 'measur measurement messtechnik mesur misur mesura',
  energ: 'energ energy energi energia energet energetiqu',
  chemic: 'chemic chemical chemi chemikali spezialchemikali chim chimi chimiqu chimic quimic',
  pharma: 'pharma pharm pharmaceutic pharmaceutical pharmazi pharmaci farmac farmaci farmaceut farmaceutic',
  plastic: 'plastic plast kunststoff plastiqu plastico plastica plastich',
  food: 'food lebensmittel nahrungsmittel alimentair alimentari aliment alimentar alimentac alimentacion alimentacio',
  chees: 'chees kase fromag ques formatg formaggi',
  baker: 'baker bakery backwar boulangeri panaderi forner fleca panifici',
  wine: 'wine wein vin vins vino vini',
  packag: 'packag verpack verpackung emballag envas embalatg embalaj imballagg confezion',
  textil: 'textil textili tessil textile',
  fabric: 'fabric stoff tissu tejid teixit tessut',
  fashion: 'fashion fash fashio mode moda',
  metal: 'metal metall metalli metallo metau metallurg metallurgi metalurgi metallbearbeit metalwork',
  cast: 'cast guss giesserei fonderi fundicion fundicio fundic fonder foneri',
  sheet: 'sheet blech tole toleri chap chapa xapa lamier lamiera',
  medic: 'medic medizin medizintechn medizintechnik medical medicall medicin sanitari medtech',
  robot: 'robot robotik robotiqu robotic robotica',
  aerospac: 'aerospac luftfahrt raumfahrt aeronaut aerospatial aeroespacial aerospazial',
  softwar: 'softwar logiciel programari',
  automat:
    'automat automation automatio automatisier automatisat automatisatio automatizac automatizacio ' +
    'automatitzac automatitzaci automaz automazion',
  engineer: 'engineer ingenieur ingenier ingenieri ingenieurdienstleist enginyeri ingegneri',
};

export const VARIANTS: ReadonlyArray<readonly [variant: string, concept: string]> = Object.entries(
  GROUPS,
).flatMap(([concept, variants]) => variants.split(' ').map((variant) => [variant, concept] as const));

export const SYNONYMS: ReadonlyMap<string, string> = new Map(VARIANTS);
