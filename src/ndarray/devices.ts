/**
 * The device registry: how arrays move to and from memory JS cannot address (a GPU), and
 * the few operations such arrays need from the core (a cast on the device, a repr). A
 * target that owns a device registers it here when it loads (src/gpu registers 'gpu');
 * NDArray's `toGpu`/`toCpu`/`astype`/`toString` look the device up by `storage.device`.
 * The registry is generic over the array type so that this file needs no import of
 * NDArray (ndarray.ts makes the one instance, `devices`).
 */
import type { DType } from '../dtype/dtypes.js';
import { TargetError } from '../util/errors.js';

/** One device's operations on arrays of type `A`. */
export interface Device<A> {
  /** The name storages on it carry in `storage.device`. */
  readonly name: string;
  /** Copy a host array to the device (an array already there resolves to itself). */
  toDevice(a: A): Promise<A>;
  /** Read an array on the device back to host memory. */
  toHost(a: A, options: { copy?: boolean }): Promise<A>;
  /** `a.astype(to)` / `a.copy()` of an array on the device: a new array there. */
  astype(a: A, to: DType): A;
  /** The repr of an array on the device (its elements are not readable from JS). */
  repr(a: A): string;
}

/** Devices by name. */
export class DeviceRegistry<A> {
  private readonly byName = new Map<string, Device<A>>();

  /**
   * Register a device (a later registration of the same name replaces it).
   *
   * @example
   * ```ts
   * devices.register({ name: 'gpu', toDevice, toHost, astype, repr });
   * ```
   */
  register(device: Device<A>): void {
    this.byName.set(device.name, device);
  }

  /**
   * The device called `name`.
   *
   * @throws TargetError `E_TARGET_UNAVAILABLE` when no loaded target registered it.
   * @example
   * ```ts
   * await devices.get('gpu').toDevice(a);
   * ```
   */
  get(name: string): Device<A> {
    const d = this.byName.get(name);
    if (d === undefined) {
      throw new TargetError(
        'E_TARGET_UNAVAILABLE',
        `no '${name}' device is registered: import numbats through its package entry ('numbats'), which loads every target`,
      );
    }
    return d;
  }
}
