/**
 * The columns of the people spreadsheet (人口导入模板), with the names Excel users actually type,
 * and header mapping by name. Pure.
 */
export interface ColumnDef {
  key: string;
  header: string;
  required: boolean;
  aliases: string[];
  example: string;
  note: string;
}

export const PERSON_COLUMNS: ColumnDef[] = [
  { key: 'name', header: '姓名', required: true, aliases: ['名字', '人员姓名'], example: '张三丰', note: '必填' },
  {
    key: 'idType',
    header: '证件类型',
    required: false,
    aliases: ['证件种类'],
    example: '居民身份证',
    note: '居民身份证 / 护照 / 港澳居民来往内地通行证 / 台湾居民来往大陆通行证，空白为居民身份证',
  },
  {
    key: 'idNumber',
    header: '证件号码',
    required: true,
    aliases: ['身份证号', '身份证号码', '公民身份号码', '证件号'],
    example: '330212195804120275',
    note: '必填；请将单元格设为文本格式',
  },
  {
    key: 'phone',
    header: '联系电话',
    required: false,
    aliases: ['手机号', '手机号码', '电话', '联系方式'],
    example: '13805741234',
    note: '手机号或带区号的固话',
  },
  { key: 'gender', header: '性别', required: false, aliases: [], example: '', note: '居民身份证可不填，由证件号码得出' },
  { key: 'birthDate', header: '出生日期', required: false, aliases: ['出生年月'], example: '', note: '居民身份证可不填' },
  { key: 'ethnicity', header: '民族', required: false, aliases: [], example: '汉族', note: '' },
  {
    key: 'householdPlace',
    header: '户籍地',
    required: false,
    aliases: ['户籍地址', '户口所在地'],
    example: '浙江省宁波市鄞州区',
    note: '',
  },
  { key: 'residency', header: '人口类型', required: false, aliases: ['人员类型', '居住类型'], example: '户籍', note: '户籍 / 流动 / 境外' },
  {
    key: 'houseCode',
    header: '房屋编码',
    required: false,
    aliases: ['房屋代码', '门牌编码'],
    example: '330212014027001001010101',
    note: '24位门牌编码；空白则登记在社区',
  },
  { key: 'relation', header: '居住关系', required: false, aliases: ['人房关系'], example: '业主', note: '业主 / 租户 / 家庭成员 / 其他' },
  {
    key: 'headRelation',
    header: '与户主关系',
    required: false,
    aliases: ['与户主的关系'],
    example: '户主',
    note: '户主、配偶、子女、父母……',
  },
  { key: 'moveIn', header: '入住日期', required: false, aliases: ['迁入日期', '入住时间'], example: '2015-06-01', note: '' },
  {
    key: 'tags',
    header: '标签',
    required: false,
    aliases: ['人员标签', '特殊人群'],
    example: '独居,残疾:二级',
    note: '多个用逗号分隔；年龄标签自动计算',
  },
  { key: 'note', header: '备注', required: false, aliases: [], example: '', note: '' },
];

export interface HeaderMapping {
  /** For each column of the file, the field it feeds, or null. */
  fields: (string | null)[];
  missing: string[];
  unknown: string[];
  duplicate: string[];
}

function normalise(h: string) {
  return h.replace(/[\s*＊:：()（）\u3000]/g, '').replace(/\(必填\)|必填/g, '');
}

export function mapHeaders(headers: string[], columns: ColumnDef[] = PERSON_COLUMNS): HeaderMapping {
  const byName = new Map<string, ColumnDef>();
  for (const c of columns) for (const n of [c.header, ...c.aliases]) byName.set(normalise(n), c);
  const fields: (string | null)[] = [];
  const unknown: string[] = [];
  const duplicate: string[] = [];
  const seen = new Set<string>();
  for (const raw of headers) {
    const h = normalise(raw ?? '');
    if (!h) {
      fields.push(null);
      continue;
    }
    const c = byName.get(h);
    if (!c) {
      unknown.push(raw.trim());
      fields.push(null);
    } else if (seen.has(c.key)) {
      duplicate.push(raw.trim());
      fields.push(null);
    } else {
      seen.add(c.key);
      fields.push(c.key);
    }
  }
  const missing = columns.filter((c) => c.required && !seen.has(c.key)).map((c) => c.header);
  return { fields, missing, unknown, duplicate };
}

export function headerOf(key: string, columns: ColumnDef[] = PERSON_COLUMNS): string {
  return columns.find((c) => c.key === key)?.header ?? key;
}

export const RELATION_BY_TEXT: Record<string, 'owner' | 'tenant' | 'family' | 'other'> = {
  业主: 'owner',
  产权人: 'owner',
  房主: 'owner',
  租户: 'tenant',
  承租人: 'tenant',
  租客: 'tenant',
  家庭成员: 'family',
  家属: 'family',
  同住: 'family',
  其他: 'other',
};
