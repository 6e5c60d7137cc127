// Regenerates the committed tiny test models: npm run fixtures -w @dojo-ts/models
import { fileURLToPath } from 'node:url';
import { writeTinyModels } from '../src/test-utils/tiny-models.js';

const dir = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
writeTinyModels(dir);
console.log(`wrote tiny models under ${dir}`);
