import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/shared/csv.js';

describe('CSV (RFC 4180) with formula injection defused', () => {
  it('quotes cells holding a comma, a double quote or a line break, doubling the quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rlf')).toBe('"cr\rlf"');
  });

  it('numbers, booleans and empty values as they are', () => {
    expect(csvCell(25)).toBe('25');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(true)).toBe('yes');
    expect(csvCell(false)).toBe('no');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it.each([
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+1+1', `"'+1+1"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\t=1', `"'\t=1"`],
    ['\r=1', `"'\r=1"`],
  ])('text starting a formula (%j) is shown as text: an apostrophe first, and quoted', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('a file: byte order mark, header row, CRLF after every row', () => {
    expect(
      toCsv(
        ['user_id', 'note'],
        [
          ['U1', 'a, b'],
          ['U2', null],
        ],
      ),
    ).toBe('\uFEFFuser_id,note\r\nU1,"a, b"\r\nU2,\r\n');
    expect(toCsv(['only'], [])).toBe('\uFEFFonly\r\n');
  });
});
