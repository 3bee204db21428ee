/**
 * Simulator seeds, part 2 of 2 (two files so npm test's two workers share them).
 * See vopr-runner.ts for SEED / VOPR_SEEDS / VOPR_BASE.
 */
import { fileURLToPath } from 'node:url';
import { defineVoprTest } from './vopr-runner.js';

defineVoprTest(1, 2, fileURLToPath(import.meta.url));
