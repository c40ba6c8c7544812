import { describe, expect, it } from 'vitest';
import { DEMO_FOUR_LEVEL, DEMO_THREE_POST } from './demo-schemes.ts';
import { validateRules } from './pay-rules-schema.ts';
import type { FourLevelRules, ThreePostRules } from './pay-rules.ts';

/** Writes a value of the wrong type, as a hand-edited or hostile rule set might. */
const put = (o: object, key: string, v: unknown) => ((o as Record<string, unknown>)[key] = v);

/** The editor's server-side check: the TypeBox shape first, then the pure pay rules, one problem per field. */
const four = (edit: (r: FourLevelRules) => void) => {
  const r = structuredClone(DEMO_FOUR_LEVEL);
  edit(r);
  return r;
};
const three = (edit: (r: ThreePostRules) => void) => {
  const r = structuredClone(DEMO_THREE_POST);
  edit(r);
  return r;
};

describe('validateRules', () => {
  it('accepts both demo schemes', () => {
    expect(validateRules(DEMO_THREE_POST).ok).toBe(true);
    expect(validateRules(DEMO_FOUR_LEVEL).ok).toBe(true);
  });

  it.each([
    // the 400–2000 yuan bounds of the grade subsidy, at and across each edge
    ['subsidy 399.99 yuan', four((r) => (r.subsidyFen.staff[0] = 39_999)), 'subsidyFen.staff.0', '职级补贴须在每月 400–2000 元之间'],
    [
      'subsidy 2000.01 yuan',
      four((r) => (r.subsidyFen.dual_head[5] = 200_001)),
      'subsidyFen.dual_head.5',
      '职级补贴须在每月 400–2000 元之间',
    ],
    ['steps that fall', four((r) => (r.subsidyFen.head[3] = r.subsidyFen.head[2] - 1)), 'subsidyFen.head.3', '档次越高补贴不能越低'],
    ['five steps', four((r) => r.subsidyFen.deputy.pop()), 'subsidyFen.deputy', '须有 6 项'],
    ['a field nobody knows', four((r) => put(r, 'bonus', 1)), 'bonus', '不认识的字段'],
    ['a missing level', four((r) => delete (r.postPayFen as Partial<FourLevelRules['postPayFen']>).staff), 'postPayFen.staff', '缺少此项'],
    ['yuan as text', three((r) => put(r.postPayFen, 'head', '1500')), 'postPayFen.head', '类型不正确'],
    ['a fraction of a fen', three((r) => (r.qualificationFen.social_worker = 200.5)), 'qualificationFen.social_worker', '类型不正确'],
    ['17 grades', three((r) => r.gradePayFen.staff.pop()), 'gradePayFen.staff', '须有 18 项'],
    ['grades that fall', three((r) => (r.gradePayFen.head[17] = 0)), 'gradePayFen.head', '等级越高工资不能越低'],
    ['0 years per grade', three((r) => (r.yearsPerGrade = 0)), 'yearsPerGrade', '不能小于 1'],
    ['an unknown recipient', three((r) => put(r.otherItems[0], 'when', 'mayor')), 'otherItems.0.when', '取值不正确'],
    [
      'thresholds out of order',
      four((r) => (r.stepThresholds = [0, 6, 6, 18, 24, 30])),
      'stepThresholds',
      '须为 6 个递增的整数分值，第一档为 0',
    ],
  ])('%s is refused at its field', (_, rules, field, reason) => {
    const c = validateRules(rules);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.problems).toContainEqual({ field, reason });
  });

  it.each([
    ['subsidy exactly 400 yuan', four((r) => (r.subsidyFen.staff = [40_000, 40_000, 40_000, 40_000, 40_000, 40_000]))],
    ['subsidy exactly 2000 yuan', four((r) => (r.subsidyFen.dual_head[5] = 200_000))],
    ['no other items', three((r) => (r.otherItems = []))],
  ])('%s is accepted', (_, rules) => expect(validateRules(rules).ok).toBe(true));

  it('names each field once, and an unknown kind alone', () => {
    const c = validateRules(four((r) => (r.subsidyFen.staff[0] = 1)));
    expect(!c.ok && c.problems.filter((p) => p.field === 'subsidyFen.staff.0')).toHaveLength(1);
    expect(validateRules({ kind: 'nine_grades' })).toEqual({ ok: false, problems: [{ field: 'kind', reason: '未知的薪酬体系' }] });
    expect(validateRules(null).ok).toBe(false);
  });
});
