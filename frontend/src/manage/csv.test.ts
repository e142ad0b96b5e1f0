import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';

describe('customers CSV', () => {
  it('quotes every field, doubles quotes, ends lines with CRLF', () => {
    expect(toCsv(['id', 'name'], [[1, 'Ana "the" Pop'], [2, 'a,b\nc']])).toBe('"id","name"\r\n"1","Ana ""the"" Pop"\r\n"2","a,b\nc"\r\n');
  });

  it('empty for missing values; formulas are defused (CSV injection)', () => {
    expect(toCsv(['a', 'b', 'c'], [[undefined, '=HYPERLINK("x")', '+1']])).toBe('"a","b","c"\r\n"","\'=HYPERLINK(""x"")","\'+1"\r\n');
    expect(toCsv(['a'], [['[Private]'], ['-5'], ['@x']])).toBe('"a"\r\n"[Private]"\r\n"\'-5"\r\n"\'@x"\r\n');
  });
});
