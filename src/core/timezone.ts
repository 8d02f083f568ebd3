import { IANAZone } from 'luxon';

/** True for names the IANA database knows (Europe/London), false for offsets or made-up zones. */
export function isIanaZone(name: string): boolean {
  return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(name) && IANAZone.isValidZone(name);
}
