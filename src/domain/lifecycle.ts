import type { Certification } from '../content/schema.js';

/**
 * A certification's status on `today` (YYYY-MM-DD): content records a retiring exam's last date and
 * an upcoming exam's first, so the answer stays right after those days pass without a content edit.
 */
export function certStatusOn(c: Certification, today: string): Certification['status'] {
  // The last exam date decides, whichever of retiring or retired the record says.
  if (c.retired) return today > c.retired.lastExamDate ? 'retired' : 'retiring';
  if (c.status === 'upcoming' && c.available && today >= c.available) return 'active';
  return c.status;
}
