import { IANAZone } from 'luxon';

/**
 * The IANA name for what someone typed, in its canonical spelling ("europe/berlin" → "Europe/Berlin"),
 * or undefined. Only Area/City names and UTC: abbreviations such as EST are fixed offsets that ignore
 * daylight saving, so a New York learner would get the wrong hour half the year.
 */
export function canonicalZone(name: string): string | undefined {
  if (/^utc$/i.test(name)) return 'UTC';
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+$/.test(name) || !isValidZone(name)) return undefined;
  // Spelled as the database spells it already (Asia/Kolkata): keep it, even where ICU prefers an older alias.
  if (name.split('/').every((part) => /^[A-Z]/.test(part))) return name;
  const known = knownZones().get(name.toLowerCase());
  if (known) return known;
  const titled = name.replace(/[A-Za-z]+/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase());
  return isValidZone(titled) ? titled : undefined;
}

/** Past this many names, answers are no longer kept (the names come from user input too, so they are not bounded). */
const MAX_KEPT = 2_000;
const validity = new Map<string, boolean>();

/**
 * Whether the runtime knows `zone` (as luxon's IANAZone.isValidZone), remembered: luxon builds an Intl.DateTimeFormat
 * on every call (a tenth of a millisecond or more), and boards, profiles and periods ask about the same few zones on
 * every request. The answer for a name never changes while the process runs.
 */
export function isValidZone(zone: string): boolean {
  let valid = validity.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (validity.size < MAX_KEPT) validity.set(zone, valid);
  }
  return valid;
}

let zones: Map<string, string> | undefined;
/** The zone names this runtime knows, by lower-case spelling. */
function knownZones(): Map<string, string> {
  zones ??= new Map(Intl.supportedValuesOf('timeZone').map((z) => [z.toLowerCase(), z]));
  return zones;
}

/** True for names the IANA database knows, spelled as it spells them (Europe/London, UTC). */
export function isIanaZone(name: string): boolean {
  return canonicalZone(name) === name;
}
