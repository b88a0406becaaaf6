/**
 * From the run-time dtype codes (dtype-codes.ts) to the generic loop instantiated for that
 * type pair: one switch on the source code picks S, a second on the destination picks D.
 * bool is AssemblyScript's `bool` (one byte); the others map to the matching Wasm type.
 * An unknown code does nothing (the JS side validates dtypes before calling).
 */
import { BOOL, FLOAT32, FLOAT64, INT16, INT32, INT64, INT8, UINT16, UINT32, UINT64, UINT8 } from './dtype-codes';
import { copyPlan } from './copy';
import { fillPlan } from './fill';
import { copyRowContiguous } from './rows';

/** copyPlan<S, D> for run-time codes. */
export function dispatchCopy(srcType: i32, dstType: i32, plan: usize): void {
  switch (srcType) {
    case BOOL: copyPlanTo<bool>(dstType, plan); break;
    case INT8: copyPlanTo<i8>(dstType, plan); break;
    case UINT8: copyPlanTo<u8>(dstType, plan); break;
    case INT16: copyPlanTo<i16>(dstType, plan); break;
    case UINT16: copyPlanTo<u16>(dstType, plan); break;
    case INT32: copyPlanTo<i32>(dstType, plan); break;
    case UINT32: copyPlanTo<u32>(dstType, plan); break;
    case INT64: copyPlanTo<i64>(dstType, plan); break;
    case UINT64: copyPlanTo<u64>(dstType, plan); break;
    case FLOAT32: copyPlanTo<f32>(dstType, plan); break;
    case FLOAT64: copyPlanTo<f64>(dstType, plan); break;
  }
}

function copyPlanTo<S>(dstType: i32, plan: usize): void {
  switch (dstType) {
    case BOOL: copyPlan<S, bool>(plan); break;
    case INT8: copyPlan<S, i8>(plan); break;
    case UINT8: copyPlan<S, u8>(plan); break;
    case INT16: copyPlan<S, i16>(plan); break;
    case UINT16: copyPlan<S, u16>(plan); break;
    case INT32: copyPlan<S, i32>(plan); break;
    case UINT32: copyPlan<S, u32>(plan); break;
    case INT64: copyPlan<S, i64>(plan); break;
    case UINT64: copyPlan<S, u64>(plan); break;
    case FLOAT32: copyPlan<S, f32>(plan); break;
    case FLOAT64: copyPlan<S, f64>(plan); break;
  }
}

/** copyRowContiguous<S, D> for run-time codes. */
export function dispatchCopyContiguous(srcType: i32, dstType: i32, src: usize, dst: usize, n: usize): void {
  switch (srcType) {
    case BOOL: copyRowTo<bool>(dstType, src, dst, n); break;
    case INT8: copyRowTo<i8>(dstType, src, dst, n); break;
    case UINT8: copyRowTo<u8>(dstType, src, dst, n); break;
    case INT16: copyRowTo<i16>(dstType, src, dst, n); break;
    case UINT16: copyRowTo<u16>(dstType, src, dst, n); break;
    case INT32: copyRowTo<i32>(dstType, src, dst, n); break;
    case UINT32: copyRowTo<u32>(dstType, src, dst, n); break;
    case INT64: copyRowTo<i64>(dstType, src, dst, n); break;
    case UINT64: copyRowTo<u64>(dstType, src, dst, n); break;
    case FLOAT32: copyRowTo<f32>(dstType, src, dst, n); break;
    case FLOAT64: copyRowTo<f64>(dstType, src, dst, n); break;
  }
}

function copyRowTo<S>(dstType: i32, src: usize, dst: usize, n: usize): void {
  switch (dstType) {
    case BOOL: copyRowContiguous<S, bool>(src, dst, n); break;
    case INT8: copyRowContiguous<S, i8>(src, dst, n); break;
    case UINT8: copyRowContiguous<S, u8>(src, dst, n); break;
    case INT16: copyRowContiguous<S, i16>(src, dst, n); break;
    case UINT16: copyRowContiguous<S, u16>(src, dst, n); break;
    case INT32: copyRowContiguous<S, i32>(src, dst, n); break;
    case UINT32: copyRowContiguous<S, u32>(src, dst, n); break;
    case INT64: copyRowContiguous<S, i64>(src, dst, n); break;
    case UINT64: copyRowContiguous<S, u64>(src, dst, n); break;
    case FLOAT32: copyRowContiguous<S, f32>(src, dst, n); break;
    case FLOAT64: copyRowContiguous<S, f64>(src, dst, n); break;
  }
}

/** fillPlan for a run-time code: only the element width matters. */
export function dispatchFill(dstType: i32, plan: usize, value: usize): void {
  switch (dstType) {
    case BOOL: case INT8: case UINT8: fillPlan<u8>(plan, value); break;
    case INT16: case UINT16: fillPlan<u16>(plan, value); break;
    case INT32: case UINT32: case FLOAT32: fillPlan<u32>(plan, value); break;
    case INT64: case UINT64: case FLOAT64: fillPlan<u64>(plan, value); break;
  }
}
