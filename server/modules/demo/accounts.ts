import type { RoleKey } from '../../core/permissions.ts';

/**
 * The demo district's accounts. `scope` is a territory code, `org:<seed key>` for an organisation,
 * or '' for the global administrator roles.
 */
export interface DemoAccount {
  username: string;
  displayName: string;
  role: RoleKey;
  scope: string;
  note: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'sysadmin', displayName: '系统管理员', role: 'sysadmin', scope: '', note: '系统管理员 (三员之一)' },
  { username: 'secadmin', displayName: '安全管理员', role: 'secadmin', scope: '', note: '安全管理员: users and roles' },
  { username: 'auditor', displayName: '审计管理员', role: 'auditor', scope: '', note: '审计管理员: audit log' },
  { username: 'yinzhou', displayName: '鄞州区民政局 管理员', role: 'district_admin', scope: '330212', note: '区级管理员 鄞州区' },
  { username: 'fuming', displayName: '福明街道 周晓燕', role: 'street_staff', scope: '330212014', note: '街道 福明街道' },
  { username: 'jiangcheng', displayName: '江城社区 陈丽华', role: 'community_worker', scope: '330212014027', note: '社区工作者 江城社区' },
  {
    username: 'grid-jc-001',
    displayName: '江城社区网格员 王建国',
    role: 'grid_worker',
    scope: '330212014027001',
    note: '网格员 江城社区第1网格',
  },
  { username: 'wuhua', displayName: '五华区民政局 管理员', role: 'district_admin', scope: '530102', note: '区级管理员 五华区' },
  {
    username: 'changzhou',
    displayName: '常州市民政局 管理员',
    role: 'district_admin',
    scope: '320400',
    note: '市级管理员 常州市 (city command dashboard over its five seed districts)',
  },
  { username: 'tianning', displayName: '天宁区民政局 管理员', role: 'district_admin', scope: '320402', note: '区级管理员 常州市天宁区' },
  {
    username: 'xinfengyuan',
    displayName: '新丰苑社区 刘芳',
    role: 'community_worker',
    scope: '320402002005',
    note: '社区工作者 新丰苑社区',
  },
  {
    username: 'chengguan',
    displayName: '鄞州区综合执法 李明',
    role: 'department_staff',
    scope: 'org:dept:330212:law-enforcement',
    note: '部门工作人员 鄞州区综合行政执法局',
  },
  { username: 'jc-resident', displayName: '居民 张阿姨', role: 'resident', scope: '330212014027', note: '居民 江城社区' },
  { username: 'jc-volunteer', displayName: '志愿者 赵小宇', role: 'volunteer', scope: '330212014027', note: '志愿者 江城社区' },
  {
    username: 'jc-party',
    displayName: '党员 李建华',
    role: 'party_member',
    scope: '330212014027',
    note: '党员 江城社区 (自管党员, 接单、认岗)',
  },
];
