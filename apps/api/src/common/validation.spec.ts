import { ArrayMaxSize, IsArray, IsString, MaxLength } from 'class-validator';
import { createValidationPipe, MAX_INPUT_DEPTH, RequestValidationException, tooDeeplyNested } from './validation';

/** `depth` levels of arrays around `inner`, built without recursion. */
function nested(depth: number, inner: unknown = 1): unknown {
  let value = inner;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

class NameBody {
  @IsString() name!: string;
}

class IdsBody {
  @IsArray()
  @ArrayMaxSize(3)
  @IsString({ each: true })
  @MaxLength(4, { each: true })
  ids!: string[];
}

describe('tooDeeplyNested', () => {
  it('names the top-level property under which the limit is passed', () => {
    expect(tooDeeplyNested({ a: 1, b: nested(3) }, 4)).toBeUndefined();
    expect(tooDeeplyNested({ a: 1, b: nested(4) }, 4)).toBe('b');
    expect(tooDeeplyNested({ a: { x: { y: {} } } }, 3)).toBe('a');
    expect(tooDeeplyNested(nested(5), 4)).toBe('');
    expect(tooDeeplyNested('text', 0)).toBeUndefined();
    expect(tooDeeplyNested(null, 0)).toBeUndefined();
  });

  it('walks a million levels without recursion', () => {
    expect(tooDeeplyNested({ deep: nested(1_000_000) }, MAX_INPUT_DEPTH)).toBe('deep');
  });
});

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const asBody = { type: 'body' as const, metatype: NameBody };

  it('refuses a body nested past the limit with a 400 naming the field, before class-transformer recurses', async () => {
    const attempt = pipe.transform({ name: 'x', extra: nested(50_000) }, asBody);
    await expect(attempt).rejects.toBeInstanceOf(RequestValidationException);
    await expect(attempt).rejects.toMatchObject({
      details: [{ field: 'extra', message: `must not nest objects or arrays deeper than ${MAX_INPUT_DEPTH} levels` }],
    });
    await expect(pipe.transform(nested(50_000), asBody)).rejects.toMatchObject({ details: [{ field: 'body' }] });
  });

  it('still validates ordinary bodies', async () => {
    await expect(pipe.transform({ name: 'x' }, asBody)).resolves.toEqual({ name: 'x' });
    await expect(pipe.transform({ name: 1 }, asBody)).rejects.toMatchObject({
      details: [{ field: 'name', message: 'must be a string' }],
    });
  });

  it('names a missing field by its type first, in the order the DTO declares its rules', async () => {
    const missing = pipe.transform({}, { type: 'body', metatype: IdsBody });
    await expect(missing).rejects.toMatchObject({ message: 'ids must be an array' });
    const error = (await missing.catch((e: unknown) => e)) as RequestValidationException;
    expect(error.details.map((d) => d.message)).toEqual([
      'must be an array',
      'must contain no more than 3 elements',
      'each value must be a string',
      'each value must be shorter than or equal to 4 characters',
    ]);
    await expect(pipe.transform({ ids: ['abcdef'] }, { type: 'body', metatype: IdsBody })).rejects.toMatchObject({
      details: [{ field: 'ids', message: 'each value must be shorter than or equal to 4 characters' }],
    });
  });
});
