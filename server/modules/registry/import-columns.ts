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

/** 实有单位 (units), matched on re-import by credit code, else by name within the community. */
export const UNIT_COLUMNS: ColumnDef[] = [
  {
    key: 'name',
    header: '单位名称',
    required: true,
    aliases: ['名称', '企业名称', '商户名称', '店名'],
    example: '江城便利店',
    note: '必填，至少2个字',
  },
  {
    key: 'creditCode',
    header: '统一社会信用代码',
    required: false,
    aliases: ['信用代码', '社会信用代码', '营业执照号'],
    example: '91330212MA2AG3XK5P',
    note: '18位；填写则按此代码识别同一单位，空白则按单位名称',
  },
  {
    key: 'unitType',
    header: '单位类型',
    required: false,
    aliases: ['类型', '单位性质'],
    example: '个体工商户',
    note: '企业 / 个体工商户 / 机关 / 事业单位 / 社会组织 / 其他，空白为企业',
  },
  { key: 'industry', header: '行业', required: false, aliases: ['所属行业', '经营范围'], example: '零售', note: '' },
  { key: 'address', header: '地址', required: false, aliases: ['单位地址', '经营地址'], example: '江城路12号', note: '' },
  {
    key: 'houseCode',
    header: '房屋编码',
    required: false,
    aliases: ['房屋代码', '门牌编码'],
    example: '',
    note: '24位门牌编码（底商等）；空白则登记在社区',
  },
  { key: 'contactName', header: '联系人', required: false, aliases: ['负责人', '法定代表人'], example: '王丽', note: '' },
  {
    key: 'contactPhone',
    header: '联系电话',
    required: false,
    aliases: ['电话', '手机号', '联系方式'],
    example: '13905741234',
    note: '导出文件中遮蔽的号码（如 139****1234）再次导入时保持原号码不变',
  },
  { key: 'employees', header: '从业人数', required: false, aliases: ['员工人数', '职工人数', '人数'], example: '3', note: '整数' },
  { key: 'note', header: '备注', required: false, aliases: [], example: '', note: '' },
];

/** 实有车辆 (vehicles), matched on re-import by plate. */
export const VEHICLE_COLUMNS: ColumnDef[] = [
  {
    key: 'plate',
    header: '车牌号码',
    required: true,
    aliases: ['车牌号', '车牌', '号牌号码'],
    example: '浙B12345',
    note: '必填；新能源如 浙BD12345',
  },
  {
    key: 'vehicleType',
    header: '车辆类型',
    required: false,
    aliases: ['车型', '类型'],
    example: '轿车',
    note: '轿车 / SUV / 面包车 / 货车 / 摩托车 / 电动自行车 / 其他，空白为轿车',
  },
  { key: 'brand', header: '品牌', required: false, aliases: ['品牌型号', '厂牌'], example: '比亚迪', note: '' },
  { key: 'color', header: '颜色', required: false, aliases: ['车身颜色'], example: '白色', note: '' },
  {
    key: 'ownerIdNumber',
    header: '车主证件号码',
    required: false,
    aliases: ['车主身份证号', '车主身份证号码', '车主证件号'],
    example: '330212195804120275',
    note: '车主须已登记在本区；请将单元格设为文本格式',
  },
  {
    key: 'ownerCreditCode',
    header: '车主单位信用代码',
    required: false,
    aliases: ['所属单位信用代码', '单位信用代码'],
    example: '',
    note: '单位车辆填写；单位须已登记',
  },
  { key: 'parking', header: '停车位', required: false, aliases: ['车位', '车位号', '停放位置'], example: '地下B1-023', note: '' },
];

export type ImportKind = 'persons' | 'units' | 'vehicles';
export const IMPORT_KINDS = ['persons', 'units', 'vehicles'] as const;

export const KIND_COLUMNS: Record<ImportKind, ColumnDef[]> = {
  persons: PERSON_COLUMNS,
  units: UNIT_COLUMNS,
  vehicles: VEHICLE_COLUMNS,
};

/** The template's sheet and file name of each kind. */
export const KIND_TITLE: Record<ImportKind, string> = { persons: '人口', units: '单位', vehicles: '车辆' };

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

/**
 * A first guess for the column-mapping step: headers matched by name or alias as `mapHeaders`
 * does, then each header not matched goes to the field whose name or alias it contains (the
 * longest such name wins: 居民姓名 → 姓名, 车主身份证号码 → 车主证件号码 before 证件号码), when that
 * field is not taken yet. Pure.
 */
export function suggestMapping(headers: string[], columns: ColumnDef[] = PERSON_COLUMNS): (string | null)[] {
  const exact = mapHeaders(headers, columns);
  const taken = new Set(exact.fields.filter((f): f is string => !!f));
  const names = columns
    .flatMap((c) => [c.header, ...c.aliases].map((n) => ({ key: c.key, name: normalise(n) })))
    .filter((n) => n.name.length >= 2)
    .sort((a, b) => b.name.length - a.name.length);
  return headers.map((raw, i) => {
    if (exact.fields[i]) return exact.fields[i];
    const h = normalise(raw ?? '');
    if (!h) return null;
    const hit = names.find((n) => !taken.has(n.key) && h.includes(n.name));
    if (!hit) return null;
    taken.add(hit.key);
    return hit.key;
  });
}

/**
 * A mapping the user chose in the wizard (one field key or null per column of the file): every
 * key must be a field of this kind, none twice, every required field present. Columns mapped to
 * null are left out of the import. Pure.
 */
export function checkMapping(
  headers: string[],
  chosen: (string | null)[],
  columns: ColumnDef[] = PERSON_COLUMNS,
): HeaderMapping & { invalid: string[] } {
  const known = new Set(columns.map((c) => c.key));
  const seen = new Set<string>();
  const fields: (string | null)[] = [];
  const duplicate: string[] = [];
  const invalid: string[] = [];
  headers.forEach((_h, i) => {
    const key = chosen[i] || null;
    if (key === null) fields.push(null);
    else if (!known.has(key)) {
      invalid.push(key);
      fields.push(null);
    } else if (seen.has(key)) {
      duplicate.push(headerOf(key, columns));
      fields.push(null);
    } else {
      seen.add(key);
      fields.push(key);
    }
  });
  if (chosen.length > headers.length) invalid.push(...chosen.slice(headers.length).filter((k): k is string => !!k));
  const missing = columns.filter((c) => c.required && !seen.has(c.key)).map((c) => c.header);
  return { fields, missing, unknown: [], duplicate, invalid };
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

export const UNIT_TYPE_BY_TEXT: Record<string, 'enterprise' | 'individual' | 'government' | 'institution' | 'social' | 'other'> = {
  企业: 'enterprise',
  公司: 'enterprise',
  个体工商户: 'individual',
  个体户: 'individual',
  个体: 'individual',
  机关: 'government',
  党政机关: 'government',
  事业单位: 'institution',
  社会组织: 'social',
  社团: 'social',
  民办非企业: 'social',
  其他: 'other',
};

export const VEHICLE_TYPE_BY_TEXT: Record<string, 'car' | 'suv' | 'van' | 'truck' | 'motorcycle' | 'ebike' | 'other'> = {
  轿车: 'car',
  小型汽车: 'car',
  小汽车: 'car',
  SUV: 'suv',
  越野车: 'suv',
  面包车: 'van',
  客车: 'van',
  货车: 'truck',
  卡车: 'truck',
  摩托车: 'motorcycle',
  电动自行车: 'ebike',
  电动车: 'ebike',
  其他: 'other',
};
