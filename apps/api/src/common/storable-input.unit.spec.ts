import { MAX_INPUT_DEPTH, unstorableInputProblems } from './storable-input';

describe('input the event store cannot keep', () => {
  it('passes ordinary text, umlauts, emoji (paired surrogates) and nested values', () => {
    expect(unstorableInputProblems({ text: 'Wir wissen, wo du wohnst. Grüße 👋', list: [{ url: 'https://t.me/x/1' }] }, 'body')).toEqual([]);
  });

  it('names the field with a NUL character, however deep', () => {
    expect(unstorableInputProblems({ contentLocations: [{ url: 'https://t.me/\u0000' }], text: 'ok' }, 'body')).toEqual([
      { field: 'contentLocations.0.url', problems: ['contentLocations.0.url must not contain a NUL character (\\u0000)'] },
    ]);
  });

  it('names an unpaired surrogate, high or low', () => {
    for (const text of ['a\uD800b', 'a\uDC00', '\uDBFF']) {
      expect(unstorableInputProblems({ text }, 'body')).toEqual([
        { field: 'text', problems: ['text must be valid Unicode text (it contains an unpaired surrogate)'] },
      ]);
    }
  });

  it('refuses a field name that cannot be stored', () => {
    expect(unstorableInputProblems({ 'a\u0000': 1 }, 'body')).toEqual([
      { field: 'body', problems: ['a field name in body must not contain a NUL character (\\u0000)'] },
    ]);
  });

  it('refuses nesting deeper than the limit without recursing, and accepts it at the limit', () => {
    const nest = (levels: number) => {
      let value: unknown = 'leaf';
      for (let i = 0; i < levels; i++) value = [value];
      return value;
    };
    expect(unstorableInputProblems(nest(5_000), 'body')).toEqual([{ field: 'body', problems: [`body is nested deeper than ${MAX_INPUT_DEPTH} levels`] }]);
    expect(unstorableInputProblems(nest(MAX_INPUT_DEPTH), 'body')).toEqual([]);
  });

  it('checks a query string the same way', () => {
    expect(unstorableInputProblems({ text: '\u0000' }, 'query')).toEqual([{ field: 'text', problems: ['text must not contain a NUL character (\\u0000)'] }]);
  });
});
