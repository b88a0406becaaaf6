/** The parallel target: settings, pool lifecycle, and the hooks the ufunc paths call. */
export { config, type NumbatsConfig, type ParallelSettings } from './config.js';
export { shutdown } from './pool.js';
import './register.js';
