import { CSV_COMPLETE, CSV_END, CSV_NEED_MORE, CsvReader, parseCsv } from './csv';

describe('parseCsv', () => {
  it('reads plain fields, empty fields and a trailing comma', () => {
    expect(parseCsv('a,b,c\n1,,3\n4,5,\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '', '3'] },
      { line: 3, fields: ['4', '5', ''] },
    ]);
  });

  it('keeps commas inside quotes and collapses doubled quotes', () => {
    expect(parseCsv('x,"Hello, World","He said ""hi""",""\n')).toEqual([
      { line: 1, fields: ['x', 'Hello, World', 'He said "hi"', ''] },
    ]);
  });

  it('keeps line breaks inside quotes and numbers the following records by physical line', () => {
    const text = 'id,note\n1,"two\nlines"\n2,"three\r\nphysical\nlines"\n3,plain\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['id', 'note'] },
      { line: 2, fields: ['1', 'two\nlines'] },
      { line: 4, fields: ['2', 'three\r\nphysical\nlines'] },
      { line: 7, fields: ['3', 'plain'] },
    ]);
  });

  it('treats CRLF like LF and does not leave CR in the last field', () => {
    expect(parseCsv('a,b\r\n1,"q"\r\n2,3\r\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', 'q'] },
      { line: 3, fields: ['2', '3'] },
    ]);
  });

  it('reads a last record without a line break, and a CR-terminated end', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
    expect(parseCsv('a,b\r')).toEqual([{ line: 1, fields: ['a', 'b'] }]);
    expect(parseCsv('a,"b"\r')).toEqual([{ line: 1, fields: ['a', 'b'] }]);
  });

  it('skips blank lines (LF and CRLF) but still counts them as lines', () => {
    expect(parseCsv('\uFEFFa\n\n\r\nb\n\n')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 4, fields: ['b'] },
    ]);
  });

  it('treats a quote inside an unquoted field as text', () => {
    expect(parseCsv('12" vinyl,ok\n')).toEqual([{ line: 1, fields: ['12" vinyl', 'ok'] }]);
  });

  it('flags text after a closing quote but keeps the record boundary', () => {
    expect(parseCsv('"ab"c,d\nnext,1\n')).toEqual([
      { line: 1, fields: ['ab"c', 'd'], error: 'bad-quote' },
      { line: 2, fields: ['next', '1'] },
    ]);
  });

  it('rejects an unterminated quote as one line and reads the lines after it', () => {
    const records = parseCsv('a,b\n1,"never closed\n2,x\n3,y\n');
    expect(records.map((r) => [r.line, r.error ?? 'ok'])).toEqual([
      [1, 'ok'],
      [2, 'unterminated-quote'],
      [3, 'ok'],
      [4, 'ok'],
    ]);
    expect(records[2].fields).toEqual(['2', 'x']);
  });
});

describe('CsvReader without eof', () => {
  it('asks for more text instead of guessing where a record ends', () => {
    for (const partial of ['a,b', 'a,"b', 'a,"b"', 'a,"b""', 'a,"b"\r', 'a,b\r']) {
      const reader = new CsvReader(partial, { eof: false });
      expect([partial, reader.read()]).toEqual([partial, CSV_NEED_MORE]);
      expect(reader.pos).toBe(0);
    }
    const reader = new CsvReader('a,b\nc', { eof: false });
    expect(reader.read()).toBe(CSV_COMPLETE);
    expect(reader.read()).toBe(CSV_NEED_MORE);
    expect(reader.pos).toBe(4);
  });

  it('reports an open quote so a stream can wait for one', () => {
    const reader = new CsvReader('a,"open\nstill open\n', { eof: false });
    expect(reader.read()).toBe(CSV_NEED_MORE);
    expect(reader.openQuote).toBe(true);
  });

  it('skip() lands on the same boundaries and lines as read()', () => {
    const text = 'h\n1,"x\ny"\n2\n"3\n\n"\n4\n5,"unterminated\n6\n';
    const viaRead: number[][] = [];
    const a = new CsvReader(text);
    while (a.read() !== CSV_END) viaRead.push([a.pos, a.posLine]);
    const viaSkip: number[][] = [];
    const b = new CsvReader(text);
    while (b.skip() !== CSV_END) viaSkip.push([b.pos, b.posLine]);
    expect(viaSkip).toEqual(viaRead);
  });
});
