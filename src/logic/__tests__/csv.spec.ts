import {
  csvField,
  guessDelimiter,
  hasHeader,
  normalisePasted,
  orderedValues,
  parseCsv,
  previewRecord,
  toCsvRow
} from '../csv';

describe('CSV helpers', () => {
  it('quotes fields only when needed', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField(null)).toBe('');
    expect(toCsvRow(['56', 'house,maid', null])).toBe('56,"house,maid",');
  });

  it('parses quotes, doubled quotes, CRLF and blank lines', () => {
    expect(parseCsv('a,b\r\n"x,1","say ""hi"""\n\n3,\n')).toEqual([
      ['a', 'b'],
      ['x,1', 'say "hi"'],
      ['3', '']
    ]);
    expect(parseCsv('a;b\n1;2', ';')).toEqual([
      ['a', 'b'],
      ['1', '2']
    ]);
    expect(parseCsv('')).toEqual([]);
  });

  it('guesses the delimiter of pasted text', () => {
    expect(guessDelimiter('56;"housemaid";"married"')).toBe(';');
    expect(guessDelimiter('a\tb\tc')).toBe('\t');
    expect(guessDelimiter('single')).toBe(',');
  });

  it('recognises a header of input columns', () => {
    expect(hasHeader([['age', 'job']], ['age', 'job', 'marital'])).toBe(true);
    expect(hasHeader([['56', 'housemaid']], ['age', 'job'])).toBe(false);
    expect(hasHeader([], ['age'])).toBe(false);
  });

  it('builds a row in the model’s input order from a preview row', () => {
    const preview = {
      columns: [{ name: 'y' }, { name: 'job' }, { name: 'age' }] as any,
      rows: [['no', 'housemaid', '56']]
    };
    const record = previewRecord(preview, 0);
    expect(record).toEqual({ y: 'no', job: 'housemaid', age: '56' });
    expect(orderedValues(record, ['age', 'job', 'missing'])).toEqual([
      '56',
      'housemaid',
      ''
    ]);
    expect(previewRecord(preview, 5)).toEqual({
      y: null,
      job: null,
      age: null
    });
  });

  it('normalises pasted CSV, reordering by header and dropping the target', () => {
    const pasted = '"job";"age";"y"\n"housemaid";56;"no"\n"services";57;"no"\n';
    expect(normalisePasted(pasted, ['age', 'job'])).toEqual({
      rows: [
        ['56', 'housemaid'],
        ['57', 'services']
      ],
      header: ['age', 'job'],
      body: '56,housemaid\n57,services\n'
    });
    expect(normalisePasted('56,housemaid\n', ['age', 'job'])).toEqual({
      rows: [['56', 'housemaid']],
      header: null,
      body: '56,housemaid\n'
    });
  });
});
