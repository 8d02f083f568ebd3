import type { Certification } from '../content/schema.js';

/**
 * A certification's status on `today` (YYYY-MM-DD): content records a retiring exam's last date and
 * an upcoming exam's first, so the answer stays right after those days pass without a content edit.
 */
export function certStatusOn(c: Certification, today: string): Certification['status'] {
  if (c.status === 'retiring' && c.retired && today > c.retired.lastExamDate) return 'retired';
  if (c.status === 'upcoming' && c.available && today >= c.available) return 'active';
  return c.status;
}
