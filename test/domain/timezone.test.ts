import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isZone } from '../../src/domain/boards.js';
import { canonicalZone, isValidZone, zoneOf } from '../../src/domain/timezone.js';

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

describe('zoneOf', () => {
  it('gives the offsets and local times luxon gives, minute by minute across DST changes, in zones with odd rules', () => {
    const zones = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kathmandu', 'America/St_Johns', 'Etc/UTC'];
    for (const name of zones) {
      const plain = IANAZone.create(name);
      const remembering = zoneOf(name);
      // Twice over two years, every 37 minutes and some seconds, so remembered minutes are asked for again.
      for (let pass = 0; pass < 2; pass++)
        for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2028, 0, 1); t += 37 * 60_000 + 8_638)
          if (remembering.offset(t) !== plain.offset(t)) expect.fail(`${name} at ${new Date(t).toISOString()}`);
      const at = DateTime.fromISO('2026-10-25T01:30', { zone: remembering });
      expect(at.toISO()).toBe(DateTime.fromISO('2026-10-25T01:30', { zone: name }).toISO());
      expect(at.zoneName).toBe(name);
    }
  });

  it('is UTC for UTC and for a name the runtime does not know', () => {
    expect(DateTime.fromISO('2026-10-25T01:30', { zone: zoneOf('UTC') }).toISO()).toBe('2026-10-25T01:30:00.000Z');
    expect(zoneOf('Mars/Olympus').name).toBe('UTC');
  });
});
