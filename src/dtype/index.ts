/**
 * The dtype layer's public surface: dtype records and aliases, promotion, casting.
 *
 * `export *` rather than name lists, so a name added to one of these files is public
 * without a second edit here; everything these files export is meant to be public.
 */
export * from './dtypes.js';
export * from './promotion.js';
export * from './casting.js';
