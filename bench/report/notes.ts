/** Notes under the report's tables: the downsample goals of issue 7, in ms per image. */
import type { Section } from './report.js';

export function downsampleNotes(s: Section, np: Record<string, number>): string[] {
  const M = 15e6; // output pixels
  const ms = (nsPerEl: number | undefined) => (nsPerEl === undefined ? 'n/a' : `${((nsPerEl * M) / 1e6).toFixed(1)} ms`);
  const find = (part: string) => s.results.find((r) => r.name.includes(part));
  const direct = find('form=img.slice');
  const sten = find('form=stencil');
  const views = find('form=vectorize');
  const perEl = (ns: number | undefined) => (ns === undefined ? undefined : ns / M);
  const lines = [
    'Per image (12000x5000 uint8 in, 6000x2500 out; ms = ns/element x 15):',
    '',
    '| | numbats | plain JS | NumPy | Numba loop (uint16 sum) | Numba loop (window `.mean()`) |',
    '|---|---:|---:|---:|---:|---:|',
    `| direct | ${ms(perEl(direct?.numbats))} | ${ms(perEl(direct?.plainJs))} | ${ms(np.direct_numpy)} | ${ms(np.direct_numba)} | |`,
    `| 2x2 mean, stencil stride 2 | ${ms(perEl(sten?.numbats))} | ${ms(perEl(sten?.plainJs))} | ${ms(np.mean_numpy)} | ${ms(np.mean_numba)} | ${ms(np.mean_numba_window)} |`,
    `| 2x2 mean, vectorize over 4 strided views | ${ms(perEl(views?.numbats))} | | | | |`,
    '',
  ];
  if (direct && np.direct_numpy !== undefined) {
    lines.push(`Goal "direct <= 1.0x NumPy's \`img[::2, ::2].copy()\`": ${(perEl(direct.numbats)! / np.direct_numpy).toFixed(2)}x in this run.`);
  }
  if (sten) {
    const t = (perEl(sten.numbats)! * M) / 1e6;
    lines.push(
      '',
      `Goal "2x2 mean <= 0.25x Numba's loop (171 ms in DESIGN.md)": ${t.toFixed(1)} ms is ${(t / 171).toFixed(2)}x of 171 ms` +
        (np.mean_numba_window !== undefined ? `, ${(perEl(sten.numbats)! / np.mean_numba_window).toFixed(2)}x of the window-mean Numba loop measured here` : '') +
        (np.mean_numba !== undefined ? `, and ${(perEl(sten.numbats)! / np.mean_numba).toFixed(2)}x of the tighter uint16-sum Numba loop measured here` : '') +
        ". DESIGN.md does not give the loop behind its 171 ms; both loops are in bench/numpy/downsample.py.",
    );
  }
  return lines;
}
