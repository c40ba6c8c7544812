/**
 * Recruitment rules (W3), pure: eligibility with reasons, bonus points for certificates, the
 * composite score and the ranking that decides who is selected and who goes to the reserve pool.
 */
import type { CertificateKind, Education, PlanStage } from '../../db/types-workforce.ts';
import { CERTIFICATE_ZH, EDUCATIONS, EDUCATION_ZH, yearsOfService } from './pay-rules.ts';

export interface Requirements {
  minAge: number;
  maxAge: number;
  /** Age is counted on this day (usually the close of applications). */
  ageOn: string;
  minEducation: Education;
  /** Keywords a major must contain (社会工作, 心理, ...); empty: any major. */
  majors: string[];
  fullTimeOnly: boolean;
}

/** Written-exam bonus points per certificate; the highest one applies (不累计). */
export type BonusTable = Partial<Record<CertificateKind, number>>;

export interface Applicant {
  birthDate: string;
  education: Education;
  major: string;
  fullTime: boolean;
  certificates: CertificateKind[];
}

export const STAGES: readonly PlanStage[] = ['draft', 'open', 'screening', 'written', 'interview', 'checks', 'notice', 'closed'];
export const STAGE_ZH: Record<PlanStage, string> = {
  draft: '草拟',
  open: '报名',
  screening: '资格审查',
  written: '笔试',
  interview: '面试',
  checks: '体检与考察',
  notice: '公示',
  closed: '聘用完成',
};

export function screen(a: Applicant, r: Requirements): { eligible: boolean; reasons: string[] } {
  const reasons: string[] = [];
  const age = yearsOfService(a.birthDate, r.ageOn);
  if (age < r.minAge) reasons.push(`年龄 ${age} 岁，低于 ${r.minAge} 岁`);
  if (age > r.maxAge) reasons.push(`年龄 ${age} 岁，超过 ${r.maxAge} 岁`);
  if (EDUCATIONS.indexOf(a.education) < EDUCATIONS.indexOf(r.minEducation))
    reasons.push(`学历 ${EDUCATION_ZH[a.education]}，要求 ${EDUCATION_ZH[r.minEducation]} 及以上`);
  if (r.majors.length && !r.majors.some((m) => a.major.includes(m)))
    reasons.push(`专业“${a.major || '未填'}”不在 ${r.majors.join('、')} 之列`);
  if (r.fullTimeOnly && !a.fullTime) reasons.push('要求全日制学历');
  return { eligible: reasons.length === 0, reasons };
}

export function bonusFor(certs: readonly CertificateKind[], table: BonusTable): { points: number; reason: string } {
  let points = 0;
  let best: CertificateKind | null = null;
  for (const c of certs) {
    const p = table[c] ?? 0;
    if (p > points) {
      points = p;
      best = c;
    }
  }
  return { points, reason: best ? `${CERTIFICATE_ZH[best]} 加 ${points} 分` : '无加分证书' };
}

/** Composite score, three decimals: (written + bonus) × weight + interview × (1 − weight). */
export function totalScore(written: number, bonus: number, interview: number, writtenWeight: number): number {
  return Math.round(((written + bonus) * writtenWeight + interview * (1 - writtenWeight)) * 1000) / 1000;
}

export interface Ranked {
  id: string;
  total: number;
  written: number;
  interview: number;
  /** Application order, the last tie-break. */
  seq: number;
}

/** Best first: total, then written (with bonus), then interview, then who applied first. */
export function rankCandidates<T extends Ranked>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => b.total - a.total || b.written - a.written || b.interview - a.interview || a.seq - b.seq);
}
