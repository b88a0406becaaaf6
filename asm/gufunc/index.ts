/**
 * The built-in gufunc kernels, by kernel id: id = 16 * op + dtype code, op 0 matmul,
 * op 1 vecdot (src/builtins/gufuncs.ts numbers them the same way). Every kernel is
 * 2-in 1-out; plan and core block layouts are in asm/index.ts's header.
 */
import {
  matmulBool, matmulF32, matmulF64, matmulI16, matmulI32, matmulI64, matmulI8, matmulU16, matmulU32, matmulU64, matmulU8,
} from './matmul';
import {
  vecdotBool, vecdotF32, vecdotF64, vecdotI16, vecdotI32, vecdotI64, vecdotI8, vecdotU16, vecdotU32, vecdotU64, vecdotU8,
} from './vecdot';
import { walkCore3 } from './walk';

/** Run built-in gufunc kernel `id` over a plan of loop dims with a core block. Unknown ids trap. */
export function gufuncKernel(id: i32, plan: usize, core: usize): void {
  switch (id) {
    case 0: walkCore3(plan, core, matmulBool); break;
    case 1: walkCore3(plan, core, matmulI8); break;
    case 2: walkCore3(plan, core, matmulU8); break;
    case 3: walkCore3(plan, core, matmulI16); break;
    case 4: walkCore3(plan, core, matmulU16); break;
    case 5: walkCore3(plan, core, matmulI32); break;
    case 6: walkCore3(plan, core, matmulU32); break;
    case 7: walkCore3(plan, core, matmulI64); break;
    case 8: walkCore3(plan, core, matmulU64); break;
    case 9: walkCore3(plan, core, matmulF32); break;
    case 10: walkCore3(plan, core, matmulF64); break;
    case 16: walkCore3(plan, core, vecdotBool); break;
    case 17: walkCore3(plan, core, vecdotI8); break;
    case 18: walkCore3(plan, core, vecdotU8); break;
    case 19: walkCore3(plan, core, vecdotI16); break;
    case 20: walkCore3(plan, core, vecdotU16); break;
    case 21: walkCore3(plan, core, vecdotI32); break;
    case 22: walkCore3(plan, core, vecdotU32); break;
    case 23: walkCore3(plan, core, vecdotI64); break;
    case 24: walkCore3(plan, core, vecdotU64); break;
    case 25: walkCore3(plan, core, vecdotF32); break;
    case 26: walkCore3(plan, core, vecdotF64); break;
    default: unreachable();
  }
}
