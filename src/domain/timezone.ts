import { FixedOffsetZone, IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';

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

const MINUTE_MS = 60_000;

/**
 * An IANA zone for luxon that remembers its UTC offsets minute by minute. luxon's own asks Intl for the offset
 * (formatToParts) every time it needs one, several times per local-time step, and answering `status` takes a dozen
 * such steps: that was most of what luxon still cost per command (measured with --cpu-prof under bench/ack.ts).
 * Offsets change only at transitions, and in today's tzdata those fall on whole minutes, so an offset asked for
 * once holds for its whole minute.
 */
class RememberingZone extends Zone {
  private readonly offsets = new Map<number, number>();

  constructor(private readonly zone: IANAZone) {
    super();
  }

  override get type(): string {
    return this.zone.type;
  }
  override get name(): string {
    return this.zone.name;
  }
  override get isUniversal(): boolean {
    return this.zone.isUniversal;
  }
  override get isValid(): boolean {
    return this.zone.isValid;
  }
  override offsetName(ts: number, opts: ZoneOffsetOptions): string | null {
    return this.zone.offsetName(ts, opts);
  }
  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.zone.formatOffset(ts, format);
  }
  override equals(other: Zone): boolean {
    return other.type === this.type && other.name === this.name;
  }
  override offset(ts: number): number {
    const minute = Math.floor(ts / MINUTE_MS);
    let offset = this.offsets.get(minute);
    if (offset === undefined) {
      offset = this.zone.offset(ts);
      // Bounded: instants keep coming (every `now` is new), and a few thousand minutes cover what one day asks.
      if (this.offsets.size >= MAX_OFFSETS) this.offsets.clear();
      this.offsets.set(minute, offset);
    }
    return offset;
  }
}

const MAX_OFFSETS = 5_000;
const luxonZones = new Map<string, Zone>();

/** The zone `name` for luxon, its offsets remembered (see RememberingZone); UTC for a name the runtime does not know. */
export function zoneOf(name: string): Zone {
  let zone = luxonZones.get(name);
  if (!zone) {
    // UTC as luxon reads the name 'UTC' (a fixed offset: no Intl to ask, and written "Z").
    zone = name !== 'UTC' && isValidZone(name) ? new RememberingZone(IANAZone.create(name)) : FixedOffsetZone.utcInstance;
    if (luxonZones.size < MAX_KEPT) luxonZones.set(name, zone);
  }
  return zone;
}
