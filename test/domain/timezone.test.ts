import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isZone } from '../../src/domain/boards.js';
import { canonicalZone, isValidZone } from '../../src/domain/timezone.js';

describe('isValidZone', () => {
  it('answers as luxon does, the first time and every time after', () => {
    for (const zone of ['Europe/London', 'America/New_York', 'UTC', 'Etc/GMT+5', 'europe/london', 'Fantasia/Castle', 'Sport~~blorp', '']) {
      const luxon = IANAZone.isValidZone(zone);
      expect(isValidZone(zone)).toBe(luxon);
      expect(isValidZone(zone)).toBe(luxon);
      expect(isZone(zone)).toBe(luxon);
    }
  });

  it('keeps canonicalZone as it was', () => {
    expect(canonicalZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(canonicalZone('Mars/Olympus')).toBeUndefined();
    expect(canonicalZone('EST')).toBeUndefined();
  });
});
