/**
 * Certificates (证明事项, MISSION V4 and A2), pure. A community issues only the types on its
 * certificate list (证明盖章事项清单), each with its legal basis. Everything a department can
 * verify itself is not the community's to certify ("奇葩证明""循环证明", 003): asking for it is
 * refused with the reason and the department that should verify instead.
 */
import crypto from 'node:crypto';

export interface CertificateType {
  key: string;
  name: string;
  /** May a community put this type on its list? */
  communityMayIssue: boolean;
  /** For types a community may issue: the legal basis proposed for the list. */
  legalBasis?: string;
  /** For types it may not: who verifies instead, and why. */
  verifiedBy?: string;
  reason?: string;
  /** The certificate text; {name} {idNumber} {address} {community} {purpose} are filled in. */
  template?: string;
}

export const CERTIFICATE_TYPES: readonly CertificateType[] = [
  {
    key: 'residence',
    name: '居住证明',
    communityMayIssue: true,
    legalBasis: '《居住证暂行条例》（国务院令第663号）第九条；《浙江省流动人口居住登记条例》',
    template: '兹证明{name}（公民身份号码：{idNumber}）现居住于{address}，系本社区实际居住居民。\n此证明用于{purpose}。',
  },
  {
    key: 'hardship',
    name: '家庭经济困难情况证明',
    communityMayIssue: true,
    legalBasis: '《社会救助暂行办法》（国务院令第649号）第十一条',
    template: '兹证明{name}（公民身份号码：{idNumber}），住{address}，经社区入户调查，其家庭经济状况困难。\n此证明用于{purpose}。',
  },
  {
    key: 'disability_living',
    name: '残疾人生活状况证明',
    communityMayIssue: true,
    legalBasis: '《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）',
    template: '兹证明{name}（公民身份号码：{idNumber}），住{address}，经社区核实，其生活状况属实。\n此证明用于{purpose}。',
  },
  {
    key: 'volunteer_service',
    name: '志愿服务记录证明',
    communityMayIssue: true,
    legalBasis: '《志愿服务条例》（国务院令第685号）第二十一条',
    template: '兹证明{name}（公民身份号码：{idNumber}）为{community}登记志愿者，其志愿服务记录真实有效。\n此证明用于{purpose}。',
  },
  {
    key: 'kinship',
    name: '亲属关系证明',
    communityMayIssue: false,
    verifiedBy: '户籍所在地公安派出所（户籍档案）或公证机构',
    reason: '亲属关系由户籍档案或公证证明，社区无法核实，不得要求社区出具',
  },
  {
    key: 'no_criminal_record',
    name: '无犯罪记录证明',
    communityMayIssue: false,
    verifiedBy: '户籍地或居住地公安机关',
    reason: '有无犯罪记录由公安机关依法出具',
  },
  {
    key: 'marital_status',
    name: '婚姻状况证明',
    communityMayIssue: false,
    verifiedBy: '民政部门婚姻登记机关（或由本人书面承诺）',
    reason: '婚姻登记信息由婚姻登记机关掌握，已取消社区出具',
  },
  {
    key: 'alive',
    name: '健在（生存）证明',
    communityMayIssue: false,
    verifiedBy: '人力资源和社会保障部门（养老金领取资格认证，可人脸识别自助认证）',
    reason: '领取待遇资格由人社部门通过数据比对或人脸识别认证',
  },
  {
    key: 'income',
    name: '收入证明',
    communityMayIssue: false,
    verifiedBy: '工作单位或税务部门（个人所得税纳税记录）',
    reason: '社区无法核实个人收入',
  },
  {
    key: 'no_property',
    name: '无房产证明',
    communityMayIssue: false,
    verifiedBy: '自然资源和规划部门（不动产登记中心）',
    reason: '不动产登记信息由不动产登记机构查询出具',
  },
  {
    key: 'birth',
    name: '出生证明',
    communityMayIssue: false,
    verifiedBy: '卫生健康部门（助产机构签发《出生医学证明》）',
    reason: '出生医学证明由助产机构签发',
  },
];

const BY_KEY = new Map(CERTIFICATE_TYPES.map((t) => [t.key, t]));

export function certificateType(key: string): CertificateType | undefined {
  return BY_KEY.get(key);
}

export interface ListEntry {
  type_key: string;
  name: string;
  legal_basis: string;
}

export type Allowed = { ok: true; entry: ListEntry } | { ok: false; reason: string; verifiedBy: string | null };

/**
 * May this community issue this type? Only when the type is on its list. The refusal says why and,
 * when the type belongs to a department, which department verifies it instead.
 */
export function certificateAllowed(list: readonly ListEntry[], typeKey: string): Allowed {
  const entry = list.find((e) => e.type_key === typeKey);
  if (entry) return { ok: true, entry };
  const t = certificateType(typeKey);
  const name = t?.name ?? typeKey;
  if (t && !t.communityMayIssue) {
    return {
      ok: false,
      reason: `该证明事项（${name}）不在本社区证明事项清单内：${t.reason}，请向${t.verifiedBy}申请核实。`,
      verifiedBy: t.verifiedBy ?? null,
    };
  }
  return {
    ok: false,
    reason: `该证明事项（${name}）不在本社区证明事项清单内，社区不予出具；请向要求出具证明的单位说明，由其依职责核实。`,
    verifiedBy: null,
  };
}

/** 江城社区证〔2026〕0007号 */
export function certificateNumber(communityName: string, year: number, seq: number): string {
  return `${communityName}证〔${year}〕${String(seq).padStart(4, '0')}号`;
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: read aloud or typed from paper

/** 12 characters from a 32-letter alphabet: 60 bits, so guessing a valid code is hopeless. */
export function newVerifyCode(random: (n: number) => Buffer = crypto.randomBytes): string {
  const bytes = random(12);
  let out = '';
  for (const b of bytes) out += CODE_ALPHABET[b % 32];
  return out;
}

export function isVerifyCode(s: string): boolean {
  return s.length === 12 && [...s].every((c) => CODE_ALPHABET.includes(c));
}

export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, k: string) => values[k] ?? whole);
}

/** A holder's name as lists show it: 张*芳, 李*, 欧**娜 — enough to tell people apart at the desk. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}
