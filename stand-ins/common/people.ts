/** Names and places the simulators' seeded customers are made of, and a weighted pick. */
import type { Rng } from './prng.ts';

export const FIRST_NAMES = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'Ken',
  'Radia',
  'Leslie',
];
export const LAST_NAMES = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Perlman',
  'Lamport',
];
export const COMPANIES = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Hooli',
  'Stark',
  'Wayne',
  'Wonka',
  'Tyrell',
  'Cyberdyne',
];

/** City, state code, postal code, country. */
export type Place = [string, string, string, string];

/** One value of a `[value, weight]` table, chosen with probability proportional to its weight. */
export function weightedPick(rng: Rng, table: readonly (readonly [string, number])[]): string {
  const total = table.reduce((a, [, w]) => a + w, 0);
  let x = rng.int(1, total);
  for (const [value, w] of table) {
    x -= w;
    if (x <= 0) return value;
  }
  return (table[0] as readonly [string, number])[0];
}
