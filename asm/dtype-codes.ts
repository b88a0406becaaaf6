/**
 * The numeric dtype codes of the Wasm ABI: the `code` field of src/dtype/dtypes.ts's
 * DTYPES records (NumPy's type-number order). Keep the two in step.
 */

export const BOOL: i32 = 0;
export const INT8: i32 = 1;
export const UINT8: i32 = 2;
export const INT16: i32 = 3;
export const UINT16: i32 = 4;
export const INT32: i32 = 5;
export const UINT32: i32 = 6;
export const INT64: i32 = 7;
export const UINT64: i32 = 8;
export const FLOAT32: i32 = 9;
export const FLOAT64: i32 = 10;
