export { DojoError, type DojoErrorOptions } from './errors.js';
