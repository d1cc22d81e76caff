/**
 * fast-check settings for the unit project.
 *
 * `npm test` runs every property with one fixed seed, so CI is reproducible: a property that fails
 * there fails on every machine, and a red build is a regression, not a roll of the dice.
 * `npm run test:fuzz` searches instead: a fresh random seed each run and FC_SCALE times the runs.
 * A counterexample it finds belongs in the test's table of fixed cases, with the fix.
 */
import fc from 'fast-check';

const seed = process.env.FC_SEED === 'random' ? undefined : Number(process.env.FC_SEED ?? 20261124);
fc.configureGlobal(seed === undefined ? {} : { seed });
