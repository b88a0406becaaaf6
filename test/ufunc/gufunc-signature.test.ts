import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import {
  bindCoreSizes, coreLayout, parseGufuncSignature, type GufuncSignature,
} from '../../src/ufunc/gufunc-signature.js';

const names = (sig: GufuncSignature) => sig.operands.map((o) => o.map((d) => sig.dims[d]!.name));

describe('parseGufuncSignature: valid signatures', () => {
  it('named dims: (m,n),(n,p)->(m,p)', () => {
    const sig = parseGufuncSignature('(m,n),(n,p)->(m,p)');
    expect(sig.nin).toBe(2);
    expect(sig.nout).toBe(1);
    expect(sig.text).toBe('(m,n),(n,p)->(m,p)');
    expect(sig.dims.map((d) => d.name)).toEqual(['m', 'n', 'p']);
    expect(sig.operands).toEqual([[0, 1], [1, 2], [0, 2]]);
    expect(sig.dims.every((d) => d.frozen === null && !d.optional && !d.outputOnly)).toBe(true);
    expect(sig.hasOptional).toBe(false);
    expect(sig.hasOutputOnly).toBe(false);
  });

  it("NumPy's matmul: optional dims (n?,k),(k,m?)->(n?,m?)", () => {
    const sig = parseGufuncSignature('(n?,k),(k,m?)->(n?,m?)', { nin: 2, nout: 1 });
    expect(sig.text).toBe('(n?,k),(k,m?)->(n?,m?)');
    expect(sig.dims.map((d) => [d.name, d.optional])).toEqual([['n', true], ['k', false], ['m', true]]);
    expect(sig.hasOptional).toBe(true);
  });

  it('scalars, several outputs, repeated names, whitespace', () => {
    const vecdot = parseGufuncSignature('(n),(n)->()');
    expect(vecdot.operands).toEqual([[0], [0], []]);
    const two = parseGufuncSignature(' ( i ) -> ( ) , (i,i) ');
    expect(two.nin).toBe(1);
    expect(two.nout).toBe(2);
    expect(two.text).toBe('(i)->(),(i,i)');
    expect(names(two)).toEqual([['i'], [], ['i', 'i']]);
    const det = parseGufuncSignature('(m,m)->()');
    expect(det.operands).toEqual([[0, 0], []]);
    expect(parseGufuncSignature('(i_1,_j2)->()').dims.map((d) => d.name)).toEqual(['i_1', '_j2']);
    expect(parseGufuncSignature('(),()->()').operands).toEqual([[], [], []]);
  });

  it('frozen dims: (3),(3)->(3), canonical sizes ("01" is 1)', () => {
    const cross = parseGufuncSignature('(3),(3)->(3)');
    expect(cross.dims).toEqual([{ name: '3', frozen: 3, optional: false, outputOnly: false }]);
    expect(cross.operands).toEqual([[0], [0], [0]]);
    expect(parseGufuncSignature('(01)->()').text).toBe('(1)->()');
    const mixed = parseGufuncSignature('(n,3)->(n)');
    expect(mixed.dims.map((d) => d.frozen)).toEqual([null, 3]);
    // A frozen output dim needs no out=.
    expect(parseGufuncSignature('(i)->(3)').hasOutputOnly).toBe(false);
    expect(parseGufuncSignature('(3?)->()').dims[0]).toMatchObject({ frozen: 3, optional: true });
  });

  it('output-only dims are flagged', () => {
    const sig = parseGufuncSignature('(i),(i)->(j)');
    expect(sig.dims.map((d) => [d.name, d.outputOnly])).toEqual([['i', false], ['j', true]]);
    expect(sig.hasOutputOnly).toBe(true);
    expect(parseGufuncSignature('(n)->(n,p),(p)').dims.map((d) => d.outputOnly)).toEqual([false, true]);
  });
});

describe('parseGufuncSignature: errors (ValueError E_VALUE_SIGNATURE at NumPy\'s positions)', () => {
  // [nin, nout, signature, NumPy's message, position] — NumPy 2.4.6's _parse_signature
  // (np._core._umath_tests.test_signature) on the same strings.
  const cases: [number, number, string, string, number][] = [
    [2, 1, '(0),(0)->()', 'expect dimension name or non-zero frozen size', 1],
    [2, 1, '(i,),(i)->()', "',' must not be followed by ')'", 3],
    [2, 1, '(i?),(i)->()', '? must be used, name already seen with ?', 6],
    [1, 1, '(i)->(i?)', '? cannot be used, name already seen without ?', 6],
    [2, 1, '(i)(i)->()', "expect ','", 3],
    [2, 1, '(i),(i)', 'incomplete signature: not all arguments found', 7],
    [2, 1, '(i),(i)->()->()', "expect '('", 11],
    [1, 1, '(1i)->()', 'expect dimension name or non-zero frozen size', 1],
    [1, 1, '(-1)->()', 'expect dimension name or non-zero frozen size', 1],
    [1, 1, '(i)->', "expect '('", 5],
    [1, 1, '', 'incomplete signature: not all arguments found', 0],
    [1, 1, '(i??)->()', "expect ',' or ')'", 3],
    [1, 1, '(i ?)->()', "expect ',' or ')'", 3],
    [1, 1, '(i)->(),', "expect '('", 7],
    [1, 1, '((i))->()', 'expect dimension name or non-zero frozen size', 1],
    [2, 1, '(i),(i),(i)->()', "expect '->'", 7],
    [2, 1, '(i),(i)->(),()', "expect '('", 11],
    [2, 1, '(i),(i)- >()', "expect '->'", 7],
    [2, 1, '(i),(i)->() x', "expect '('", 12],
    [2, 1, '(i,j k),(i)->()', "expect ',' or ')'", 5],
    [1, 1, '(i:)->()', "expect ',' or ')'", 2],
    [2, 1, '(i),(i)->(i', "expect ',' or ')'", 11],
    [1, 1, '(i)->(99999999999999999999)', 'expect dimension name or non-zero frozen size', 6],
    [2, 1, '(i)->()', "expect ','", 3],
  ];
  for (const [nin, nout, text, message, position] of cases) {
    it(`${JSON.stringify(text)} (nin ${nin}, nout ${nout}): ${message} at ${position}`, () => {
      let err: unknown;
      try {
        parseGufuncSignature(text, { nin, nout });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(nb.ValueError);
      expect(err).toMatchObject({ code: 'E_VALUE_SIGNATURE', position });
      expect((err as Error).message).toContain(`${message} at position ${position} in "${text}"`);
    });
  }

  it('without expected counts, any number of operands parses; with them, counts must match', () => {
    expect(parseGufuncSignature('(i),(i),(i)->()').nin).toBe(3);
    expect(() => parseGufuncSignature('(i),(i),(i)->()', { nin: 3, nout: 2 })).toThrow(/incomplete signature/);
    // The cached parse does not hide a count mismatch.
    parseGufuncSignature('(a)->(a)');
    expect(() => parseGufuncSignature('(a)->(a)', { nin: 2 })).toThrow(nb.ValueError);
    expect(() => parseGufuncSignature('(i)->() junk')).toThrow(/position 8/);
    expect(() => parseGufuncSignature(3 as unknown as string)).toThrow(nb.ValueError);
  });

  it('the message points at the problem with a caret', () => {
    expect(() => parseGufuncSignature('(m,n),(n,p->(m,p)')).toThrow(/position 10[^]*\n {12}\^/);
  });
});

describe('coreLayout: optional dims dropped as NumPy does (_validate_num_dims)', () => {
  const matmul = parseGufuncSignature('(n?,k),(k,m?)->(n?,m?)');
  it('2-D @ 2-D keeps every dim', () => {
    expect(coreLayout('matmul', matmul, [2, 3, null])).toEqual({ missing: [false, false, false], coreNdim: [2, 2, 2] });
  });
  it('1-D first operand drops n (also from the output)', () => {
    expect(coreLayout('matmul', matmul, [1, 3, null])).toEqual({ missing: [true, false, false], coreNdim: [1, 2, 1] });
  });
  it('1-D second operand drops m', () => {
    expect(coreLayout('matmul', matmul, [4, 1, null])).toEqual({ missing: [false, false, true], coreNdim: [2, 1, 1] });
  });
  it('1-D @ 1-D drops both: a 0-d result', () => {
    expect(coreLayout('matmul', matmul, [1, 1, null])).toEqual({ missing: [true, false, true], coreNdim: [1, 1, 0] });
  });
  it('a given output takes part (out 1-D with 2-D inputs is too short)', () => {
    // The inputs keep n and m; the 1-D output then drops n, which no longer matches the inputs.
    expect(coreLayout('matmul', matmul, [2, 2, 1]).missing).toEqual([true, false, false]);
  });
  it('0-d operands: ShapeError with NumPy\'s message', () => {
    expect(() => coreLayout('matmul', matmul, [0, 2, null])).toThrowError(
      'matmul: Input operand 0 does not have enough dimensions (has 0, gufunc core with signature (n?,k),(k,m?)->(n?,m?) requires 1)',
    );
    expect(() => coreLayout('matmul', matmul, [2, 0, null])).toThrowError(
      expect.objectContaining({ code: 'E_SHAPE_CORE_NDIM', name: 'ShapeError' }),
    );
    const vecdot = parseGufuncSignature('(n),(n)->()');
    expect(() => coreLayout('vecdot', vecdot, [1, 0, null])).toThrowError(
      'vecdot: Input operand 1 does not have enough dimensions (has 0, gufunc core with signature (n),(n)->() requires 1)',
    );
    expect(() => coreLayout('g', parseGufuncSignature('(i)->(i,j)'), [1, 1])).toThrowError(/Output operand 0 does not have enough/);
  });
});

describe('bindCoreSizes: sizes from trailing dims, mismatches, output-only dims', () => {
  const matmul = parseGufuncSignature('(n?,k),(k,m?)->(n?,m?)');
  it('binds n, k, m from batch-stacked operands (trailing dims are core)', () => {
    const layout = coreLayout('matmul', matmul, [4, 3, null]);
    expect(bindCoreSizes('matmul', matmul, layout, [[2, 1, 3, 4], [5, 4, 2], null])).toEqual([3, 4, 2]);
  });
  it('a missing dim has size 1', () => {
    const layout = coreLayout('matmul', matmul, [1, 2, null]);
    expect(bindCoreSizes('matmul', matmul, layout, [[3], [3, 5], null])).toEqual([1, 3, 5]);
  });
  it("mismatch: ShapeError E_SHAPE_CORE with NumPy's wording plus the dim's name", () => {
    const layout = coreLayout('matmul', matmul, [2, 2, null]);
    expect(() => bindCoreSizes('matmul', matmul, layout, [[2, 3], [4, 2], null])).toThrowError(
      "matmul: Input operand 1 has a mismatch in its core dimension 0 ('k'), with gufunc signature " +
        '(n?,k),(k,m?)->(n?,m?) (size 4 is different from 3)',
    );
    const l1 = coreLayout('matmul', matmul, [1, 2, null]);
    expect(() => bindCoreSizes('matmul', matmul, l1, [[3], [4, 2], null])).toThrowError(/Input operand 1 .* core dimension 0 \('k'\)/);
    // An output of the wrong core size.
    expect(() => bindCoreSizes('matmul', matmul, layout, [[2, 3], [3, 2], [2, 5]])).toThrowError(
      expect.objectContaining({ code: 'E_SHAPE_CORE', message: expect.stringMatching(/^matmul: Output operand 0 .* dimension 1 \('m'\).*size 5 is different from 2/) }),
    );
  });
  it('frozen dims must have their size', () => {
    const cross = parseGufuncSignature('(3),(3)->(3)');
    const layout = coreLayout('cross', cross, [1, 1, null]);
    expect(bindCoreSizes('cross', cross, layout, [[3], [3], null])).toEqual([3]);
    expect(() => bindCoreSizes('cross', cross, layout, [[4], [3], null])).toThrowError(
      /cross: Input operand 0 has a mismatch in its core dimension 0 \('3'\).*size 4 is different from 3/,
    );
  });
  it('output-only dims: sized by out=, else E_SHAPE_CORE_UNSPECIFIED', () => {
    const sig = parseGufuncSignature('(i),(i)->(j)');
    const layout = coreLayout('g', sig, [1, 1, 1]);
    expect(bindCoreSizes('g', sig, layout, [[5, 3], [3], [5, 7]])).toEqual([3, 7]);
    const noOut = coreLayout('g', sig, [1, 1, null]);
    expect(() => bindCoreSizes('g', sig, noOut, [[5, 3], [3], null])).toThrowError(
      expect.objectContaining({
        name: 'ShapeError',
        code: 'E_SHAPE_CORE_UNSPECIFIED',
        message: expect.stringMatching(/Output operand 0 has core dimension 0 \('j'\) unspecified.*out= array/),
      }),
    );
    // Sizes the caller knows (guvectorize) fill the gap, and are checked against operands.
    expect(bindCoreSizes('g', sig, noOut, [[5, 3], [3], null], { j: 4 })).toEqual([3, 4]);
    expect(() => bindCoreSizes('g', sig, noOut, [[5, 3], [3], null], { i: 4 })).toThrowError(expect.objectContaining({ code: 'E_SHAPE_CORE' }));
    expect(() => bindCoreSizes('g', sig, noOut, [[5, 3], [3], null], { q: 4 })).toThrowError(nb.ValueError);
  });
});
