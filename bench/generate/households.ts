import type { Rng } from '../../server/modules/territory/prng.ts';
import { MALE_SHARE, ageBetween, surname } from './census.ts';

/**
 * Households: who lives together in one house — the head (户主), a spouse, children, the head's
 * parents in three-generation families, grandchildren — with ages drawn from the census pyramid
 * within each role's band and the father's surname passed on. The constants are calibrated so the
 * generated population lands near the census's broad age bands (tested in generate.test.ts).
 */

export type Gender = 'M' | 'F';

export interface Member {
  role: string;
  age: number;
  gender: Gender;
  surname: string;
}

/** Share of owner families of three or more whose head is 25–55 (calibrated to the census bands). */
export const HEAD_OF_FAMILY_25_55 = 0.75;
/** Share of families of three or more living with the head's parents (三代同堂). */
export const THREE_GENERATIONS = 0.45;

/** A household of `size`: its members' roles, ages (census pyramid within each role's band) and sexes. */
export function household(rng: Rng, size: number, tenant = false): Member[] {
  // Heads of families with children at home are mostly 25–55; tenants are mostly young workers.
  const head = tenant
    ? ageBetween(rng, 18, rng.chance(0.5) ? 50 : 85)
    : size >= 3 && rng.chance(HEAD_OF_FAMILY_25_55)
      ? ageBetween(rng, 27, 52)
      : ageBetween(rng, size === 1 ? 18 : 22, 100);
  const headGender: Gender = rng.chance(size === 1 ? 0.5 : 0.7) ? 'M' : 'F';
  const headSurname = surname(rng);
  const other = (g: Gender): Gender => (g === 'M' ? 'F' : 'M');
  const members: Member[] = [{ role: '户主', age: head, gender: headGender, surname: headSurname }];
  if (size === 1) return members;
  // Couples unless a lone parent with a child (a third of two-person households under 50).
  const withSpouse = size > 2 || head >= 50 || rng.chance(0.65);
  let fatherSurname = headSurname;
  if (withSpouse) {
    const spouse: Member = { role: '配偶', age: ageBetween(rng, head - 4, head + 4), gender: other(headGender), surname: surname(rng) };
    members.push(spouse);
    if (spouse.gender === 'M') fatherSurname = spouse.surname;
  }
  const threeGenerations = rng.chance(THREE_GENERATIONS);
  const childGender = (): Gender => (rng.next() < MALE_SHARE ? 'M' : 'F');
  while (members.length < size) {
    const children = members.filter((m) => m.role === '子女');
    const parents = members.filter((m) => m.role === '父母');
    // Children if the head is young enough to have them at home (a three-generation family takes
    // in the head's parents after the first child), else the head's parents, then grandchildren.
    const takeParents = children.length >= 1 && parents.length < 2 && head + 20 <= 100 && threeGenerations;
    if (children.length < 2 && head >= 20 && !takeParents) {
      const eldest = children[0];
      const hi = eldest ? eldest.age - 1 : head - 22;
      const lo = eldest ? Math.max(0, eldest.age - 10) : Math.max(0, head - 36);
      if (hi >= 0) {
        // Uniform within the band: the pyramid's own dip at 5–19 would otherwise be doubled.
        members.push({ role: '子女', age: rng.int(lo, hi), gender: childGender(), surname: fatherSurname });
        continue;
      }
    }
    if (parents.length < 2 && head + 20 <= 100) {
      const age = parents.length ? ageBetween(rng, parents[0].age - 4, parents[0].age + 4) : ageBetween(rng, head + 20, head + 38);
      const gender = parents.length ? other(parents[0].gender) : rng.chance(0.5) ? 'M' : 'F';
      members.push({ role: '父母', age, gender, surname: gender === 'M' ? headSurname : surname(rng) });
      continue;
    }
    const young = Math.min(...children.map((c) => c.age), head);
    members.push({ role: '孙子女', age: ageBetween(rng, 0, Math.max(0, young - 20)), gender: childGender(), surname: fatherSurname });
  }
  return members;
}
