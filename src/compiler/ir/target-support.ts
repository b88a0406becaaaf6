/**
 * What each target can run, as data: the dtypes a kernel may compute in there and the
 * intrinsics-table spellings (ir/intrinsics.ts) its emitters print. The target-validation
 * pass (passes/validate-target.ts) reads this table; emitters never check types.
 *
 * cpu and parallel run AssemblyScript (Wasm) with the JS reference beside it: every dtype
 * and every intrinsic. The gpu target runs WGSL, which has f32, i32, u32 and bool only
 * (DESIGN.md decision 8): a float64 intermediate (`int32 / int32`, JavaScript's double
 * arithmetic) or a 64-bit integer local is reported at the construct that makes it.
 */
import type { DType } from '../../dtype/dtypes.js';
import type { DiagnosticCode } from '../frontend/diagnostics.js';
import type { Intrinsic } from './intrinsics.js';

/** The targets a kernel is compiled for. */
export type KernelTarget = 'cpu' | 'parallel' | 'gpu';

/** An intrinsic spelling field: the emitters that print it. */
export type Spelling = keyof Pick<Intrinsic, 'as' | 'js' | 'wgsl'>;

/** What a target lacks, and how a kernel that needs it is told. */
export interface TargetLimits {
  /** The diagnostic a kernel outside the limits raises (its message names the target). */
  readonly code: DiagnosticCode;
  /** The dtypes a value, local, parameter or result may have. */
  readonly dtypes: ReadonlySet<DType>;
  /** The diagnostic's explanation of a dtype outside `dtypes`. */
  readonly why: (t: DType) => string;
}

export interface TargetSupport {
  /** The intrinsic spellings the target's emitters print: each call needs all of them. */
  readonly spellings: readonly Spelling[];
  /** Absent: the target runs every dtype. */
  readonly limits?: TargetLimits;
  /**
   * Scratch arrays need a length known at compile time (WGSL's function-scope arrays, a
   * private array per invocation); absent: any integer length (the cpu targets' arena).
   */
  readonly fixedScratch?: boolean;
}

/**
 * The largest scratch array on the gpu target, in elements: WGSL's private arrays live in
 * each invocation's registers or local memory, and drivers slow down (or fail to compile
 * the pipeline) well before this; 16384 elements is 64 KiB per invocation.
 */
export const MAX_GPU_SCRATCH = 16384;

const GPU_DTYPES: ReadonlySet<DType> = new Set<DType>(['bool', 'int32', 'uint32', 'float32']);

/** Per target: what it supports. */
export const TARGET_SUPPORT: Readonly<Record<KernelTarget, TargetSupport>> = {
  cpu: { spellings: ['as', 'js'] },
  parallel: { spellings: ['as', 'js'] },
  gpu: {
    spellings: ['wgsl'],
    fixedScratch: true,
    limits: {
      code: 'NB6001',
      dtypes: GPU_DTYPES,
      why: (t) => (t === 'float64'
        ? 'it computes in float64 here (JavaScript computes / and Math functions of integers in double); use float32 operands or Math.fround(...)'
        : `${t} has no WGSL type`),
    },
  },
};
