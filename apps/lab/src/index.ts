export { type GbrOptions, GradientBoostingRegressor, meanAbsoluteError, r2Score, shuffle } from './analysis/gbr.js';
export { LabConfigError, LabError, type LabErrorCode } from './errors.js';
