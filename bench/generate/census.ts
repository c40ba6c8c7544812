import type { Rng } from '../../server/modules/territory/prng.ts';

/**
 * The shapes generated people follow. Figures are rounded from the Seventh National Population
 * Census (2020) bulletins: the population by five-year age group (the last group 100+), the
 * household size distribution (average 2.62 people per family household) and the sex ratio
 * (105.07 men per 100 women). Surnames follow the 2020 public-security household register
 * ranking (the hundred most common cover about 86% of people); given names are drawn from the
 * characters popular in each birth cohort. Approximations, stated as such in docs/SCALING.md.
 */

/** Share (%) of the population in each five-year group 0–4, 5–9, …, 95–99, 100+. */
export const AGE_GROUP_SHARES = [
  5.52, 6.4, 6.04, 5.15, 5.31, 6.51, 8.8, 7.02, 6.61, 8.1, 8.59, 7.19, 5.2, 5.25, 3.52, 2.2, 1.44, 0.75, 0.23, 0.05, 0.01,
] as const;

/** Census shares of the broad bands, which the generator's output is tested against. */
export const CENSUS_BANDS = { under15: 17.95, from15to59: 63.35, from60: 18.7 } as const;

export const MAX_AGE = 104;

/** Cumulative weight by single year of age (each five-year group spread evenly over its years). */
const CUMULATIVE: Float64Array = (() => {
  const c = new Float64Array(MAX_AGE + 2);
  for (let age = 0; age <= MAX_AGE; age++) {
    const g = Math.min(Math.floor(age / 5), AGE_GROUP_SHARES.length - 1);
    const years = g === AGE_GROUP_SHARES.length - 1 ? MAX_AGE - 100 + 1 : 5;
    c[age + 1] = c[age] + AGE_GROUP_SHARES[g] / years;
  }
  return c;
})();

/** An age drawn from the census pyramid, restricted to [lo, hi] (clamped to 0–MAX_AGE). */
export function ageBetween(rng: Rng, lo: number, hi: number): number {
  const a = Math.max(0, Math.min(MAX_AGE, Math.floor(lo)));
  const b = Math.max(a, Math.min(MAX_AGE, Math.floor(hi)));
  const u = CUMULATIVE[a] + rng.next() * (CUMULATIVE[b + 1] - CUMULATIVE[a]);
  let left = a;
  let right = b;
  while (left < right) {
    const mid = (left + right) >> 1;
    if (CUMULATIVE[mid + 1] <= u) left = mid + 1;
    else right = mid;
  }
  return left;
}

/** Family household sizes 1–6 (the census's 6+ folded into 6). */
export const HOUSEHOLD_SIZES = [0.252, 0.297, 0.21, 0.135, 0.07, 0.036] as const;
/** Tenant households are smaller: single workers and young couples. */
export const TENANT_HOUSEHOLD_SIZES = [0.38, 0.3, 0.2, 0.09, 0.03, 0] as const;

export function weightedIndex(rng: Rng, weights: readonly number[]): number {
  let total = 0;
  for (const w of weights) total += w;
  let u = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/** Men per woman: 105.07 / 100 → P(male) = 0.5124. */
export const MALE_SHARE = 0.5124;

/** Surnames with their share (%), most common first. */
const SURNAMES: readonly [string, number][] = [
  ['王', 7.12],
  ['李', 7.0],
  ['张', 6.74],
  ['刘', 5.38],
  ['陈', 4.53],
  ['杨', 3.08],
  ['黄', 2.23],
  ['赵', 2.21],
  ['吴', 2.05],
  ['周', 1.94],
  ['徐', 1.73],
  ['孙', 1.54],
  ['马', 1.52],
  ['朱', 1.45],
  ['胡', 1.31],
  ['郭', 1.19],
  ['何', 1.17],
  ['林', 1.14],
  ['高', 1.12],
  ['罗', 1.06],
  ['郑', 1.0],
  ['梁', 0.99],
  ['谢', 0.83],
  ['宋', 0.79],
  ['唐', 0.78],
  ['许', 0.74],
  ['韩', 0.71],
  ['邓', 0.69],
  ['冯', 0.69],
  ['曹', 0.68],
  ['彭', 0.67],
  ['曾', 0.64],
  ['肖', 0.61],
  ['田', 0.6],
  ['董', 0.59],
  ['潘', 0.58],
  ['袁', 0.56],
  ['蔡', 0.53],
  ['蒋', 0.53],
  ['余', 0.52],
  ['于', 0.51],
  ['杜', 0.5],
  ['叶', 0.49],
  ['程', 0.47],
  ['魏', 0.46],
  ['苏', 0.45],
  ['吕', 0.45],
  ['丁', 0.44],
  ['任', 0.43],
  ['卢', 0.42],
  ['姚', 0.41],
  ['沈', 0.4],
  ['钟', 0.39],
  ['姜', 0.39],
  ['崔', 0.38],
  ['谭', 0.37],
  ['陆', 0.37],
  ['范', 0.35],
  ['汪', 0.35],
  ['廖', 0.34],
  ['石', 0.33],
  ['金', 0.32],
  ['韦', 0.31],
  ['贾', 0.31],
  ['夏', 0.3],
  ['付', 0.3],
  ['方', 0.3],
  ['邹', 0.29],
  ['熊', 0.29],
  ['白', 0.28],
  ['孟', 0.28],
  ['秦', 0.27],
  ['邱', 0.27],
  ['侯', 0.26],
  ['江', 0.26],
  ['尹', 0.25],
  ['薛', 0.24],
  ['闫', 0.24],
  ['段', 0.23],
  ['雷', 0.23],
  ['龙', 0.22],
  ['黎', 0.22],
  ['史', 0.22],
  ['陶', 0.21],
  ['贺', 0.21],
  ['毛', 0.2],
  ['郝', 0.2],
  ['顾', 0.2],
  ['龚', 0.2],
  ['邵', 0.19],
  ['万', 0.19],
  ['覃', 0.18],
  ['武', 0.18],
  ['钱', 0.18],
  ['戴', 0.17],
  ['严', 0.17],
  ['应', 0.12],
  ['单', 0.05],
  ['欧阳', 0.05],
  ['解', 0.03],
];
const SURNAME_WEIGHTS = SURNAMES.map(([, w]) => w);

export function surname(rng: Rng): string {
  return SURNAMES[weightedIndex(rng, SURNAME_WEIGHTS)][0];
}

/** Given-name characters by birth cohort and sex. */
const GIVEN: Record<'old' | 'mid' | 'young', { M: string; F: string }> = {
  old: { M: '国建华明志文德福金荣海军保平忠伟春林生永祥宝长庆', F: '秀英兰桂芳珍凤玉华美琴翠娥菊梅云霞素芬月萍红' },
  mid: { M: '伟强磊军勇杰涛明超刚平辉鹏华飞斌波健俊峰东亮斌宁龙海建', F: '芳娜敏静丽艳娟霞燕玲萍红梅琳婷雪慧颖洁倩琴莉丹佳晶' },
  young: { M: '子浩宇轩睿泽航然梓皓一铭晨博俊杰文辰奕宸嘉明锦逸涵', F: '欣怡雨萱诗涵梦瑶可馨子思悦妍若佳琪语彤一诺雅婷晨沐' },
};

export function givenName(rng: Rng, birthYear: number, gender: 'M' | 'F'): string {
  const cohort = birthYear < 1970 ? 'old' : birthYear < 2000 ? 'mid' : 'young';
  const chars = GIVEN[cohort][gender];
  const one = rng.chance(cohort === 'old' ? 0.3 : cohort === 'mid' ? 0.25 : 0.12);
  const a = chars[rng.int(0, chars.length - 1)];
  if (one) return a;
  let b = chars[rng.int(0, chars.length - 1)];
  if (b === a) b = chars[rng.int(0, chars.length - 1)];
  return a + b;
}

/** Ethnic groups, Han first (Zhejiang is over 98% Han; the migrants bring the rest). */
const ETHNICITIES: readonly [string, number][] = [
  ['汉族', 97.5],
  ['土家族', 0.6],
  ['苗族', 0.6],
  ['回族', 0.3],
  ['布依族', 0.3],
  ['畲族', 0.3],
  ['侗族', 0.2],
  ['彝族', 0.1],
  ['满族', 0.1],
];
const ETHNICITY_WEIGHTS = ETHNICITIES.map(([, w]) => w);

export function ethnicity(rng: Rng): string {
  return ETHNICITIES[weightedIndex(rng, ETHNICITY_WEIGHTS)][0];
}

/** Provinces Ningbo's migrant workers mostly come from (GB/T 2260 province prefixes). */
export const MIGRANT_PROVINCES: readonly [string, number][] = [
  ['34', 18],
  ['51', 14],
  ['52', 14],
  ['36', 12],
  ['41', 12],
  ['43', 8],
  ['42', 6],
  ['53', 5],
  ['33', 8],
  ['32', 3],
];
